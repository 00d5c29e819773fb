"""Decoding, normalising and titling text (leadlens.ingest.text)."""

from __future__ import annotations

import pytest

from leadlens.errors import InputError
from leadlens.ingest.options import ReadOptions
from leadlens.ingest.text import (clean_title, decode, looks_binary, normalise_text, read_limited, read_text,
                                  title_from_text)

SAMPLE = "Team Leader\nManage the team’s rota – £30,000 café"


@pytest.mark.parametrize("data, expected", [
    (SAMPLE.encode("utf-8"), SAMPLE),
    (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), SAMPLE),
    (SAMPLE.encode("cp1252"), SAMPLE),
    ("Team Leader\nRôle café £5 naïve ½".encode("latin-1"), "Team Leader\nRôle café £5 naïve ½"),
    (SAMPLE.encode("utf-16"), SAMPLE),                   # with a byte-order mark
    (SAMPLE.encode("utf-16-le"), SAMPLE),                # without one
    (SAMPLE.encode("utf-16-be"), SAMPLE),
    (SAMPLE.encode("utf-32"), SAMPLE),
    (b"Team Leader\r\nManage\rstaff", "Team Leader\nManage\nstaff"),
    (b"Lead\x00 Nurse\x00\nWard", "Lead Nurse\nWard"),  # NULs stripped
    ("Café leadership ".encode() + "– don’t".encode("cp1252"), "Café leadership – don’t"),  # mixed file
], ids=["utf8", "utf8-bom", "cp1252", "latin1", "utf16-bom", "utf16le", "utf16be", "utf32", "crlf", "nul",
        "mixed"])
def test_decode(data, expected):
    assert decode(data, "x.txt") == expected


def test_binary_is_e024():
    data = bytes(range(256)) * 40
    assert looks_binary(data)
    with pytest.raises(InputError) as err:
        decode(data, "blob.txt")
    assert err.value.code == "E024" and "blob.txt" in str(err.value) and "--encoding" in str(err.value)


def test_forced_encoding():
    assert decode("Rôle".encode("cp850"), "x.txt", encoding="cp850") == "Rôle"


@pytest.mark.parametrize("text, expected", [
    ("\x1b[31mLead\x1b[0m Nurse", "Lead Nurse"),                       # ANSI colours
    ("Lead\u202e Nurse\u2066", "Lead Nurse"),                          # bidi overrides
    ("man\u00adage\u200bment", "management"),                           # soft hyphen, zero width
    ("a\u2028b\u2029c\x0cd\x85e", "a\nb\nc\nd\ne"),                     # Unicode breaks
    ("tab\tkept", "tab\tkept"),
    ("bad \ud800 surrogate", "bad  surrogate"),
    ("\x1b]0;title\x07after", "after"),                                  # OSC
])
def test_normalise_text(text, expected):
    assert normalise_text(text) == expected


@pytest.mark.parametrize("raw, expected", [
    ("  Lead\n  Nurse\t ", "Lead Nurse"),
    ("=HYPERLINK(\"http://x\",\"Lead\")", "=HYPERLINK(\"http://x\",\"Lead\")"),  # kept; outputs neutralise
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),                # kept as text; reports escape
    ("\x1b[2J\x1b[31mMatron\x1b[0m", "Matron"),
    ("x" * 300, "x" * 200),
    ("   ", None),
    (None, None),
    (7, "7"),
])
def test_clean_title(raw, expected):
    assert clean_title(raw) == expected


@pytest.mark.parametrize("text, headings, title", [
    ("Job title: Lead Nurse\nBand 7", (), "Lead Nurse"),
    ("\n\n# Head of Data\nmore", (), "Head of Data"),
    ("Staff Nurse\nWard 5", (), "Staff Nurse"),
    ("**Job Title:** Ward Manager\n", (), "Ward Manager"),
    ("Position - Clinical Lead\n", (), "Clinical Lead"),
    ("Acme Trust\nJob purpose", ("Head of Estates",), "Head of Estates"),
    ("Acme Trust\nJob title | Matron\n", ("Head of Estates",), "Matron"),
    ("", (), None),
])
def test_title_from_text(text, headings, title):
    assert title_from_text(text, headings) == title


def test_read_limited_refuses_big_files(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"a" * 2048)
    with pytest.raises(InputError) as err:
        read_limited(f, ReadOptions(max_bytes=1024))
    assert err.value.code == "E017" and "2.0 KB" in str(err.value) and "1.0 KB" in str(err.value)


def test_read_text(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("# Head of Innovation\n\nLead innovation.", encoding="utf-8")
    assert read_text(f) == ("# Head of Innovation\n\nLead innovation.", "Head of Innovation")
