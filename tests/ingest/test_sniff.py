"""Choosing a reader by content as well as name (leadlens.ingest.sniff)."""

from __future__ import annotations

import gzip
import zipfile

import pytest
from .makefiles import pdf_bytes, write_docx, write_xlsx

from leadlens.errors import InputError
from leadlens.ingest.sniff import choose_reader, content_kind, looks_like_html

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _write(tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    return f


def _choose(f):
    return choose_reader(f, f.read_bytes()[:8192])


@pytest.mark.parametrize("name, data, kind", [
    ("a.txt", b"Lead Nurse\nLead the team.", "text"),
    ("a.md", b"# Lead\n<dl><dt>Grade</dt></dl>", "markdown"),        # Markdown may embed HTML
    ("a.txt", b"\xef\xbb\xbf <!DOCTYPE html><html><body>x</body></html>", "html"),  # a saved page renamed
    ("a.htm", b"<p>fragment</p>", "html"),
    ("a.html", b"<?xml version='1.0'?>\n<!-- saved -->\n<html><body>x</body></html>", "html"),
    ("a.csv", b"id,text\n1,x\n", "csv"),
    ("a.tsv", b"id\ttext\n1\tx\n", "tsv"),
    ("a.jsonl", b'{"text": "x"}\n', "jsonl"),
    ("a.json", b'[{"text": "x"}]', "json"),
    ("a.txt", pdf_bytes([["Lead"]]), "pdf"),                          # content wins
    ("a.csv", pdf_bytes([["Lead"]]), "pdf"),
    ("noext", pdf_bytes([["Lead"]]), "pdf"),
    ("a.PDF", b"junk before\n" + pdf_bytes([["Lead"]]), "pdf"),
])
def test_reader_chosen(tmp_path, name, data, kind):
    assert _choose(_write(tmp_path, name, data)) == kind


def test_zip_documents_by_content(tmp_path):
    assert _choose(write_docx(tmp_path / "really-word.txt")) == "docx"
    assert _choose(write_xlsx(tmp_path / "really-excel.csv", [["text"], ["x"]])) == "xlsx"


@pytest.mark.parametrize("name, data, code, words", [
    ("a.docx", b"Lead Nurse\nplain text", "E023", "plain text"),
    ("a.docx", OLE + b"\0" * 600, "E023", "old-format Office file"),
    ("a.docx", OLE + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"), "E021", "password"),
    ("a.xlsx", b"<html><body>x</body></html>", "E023", "web page"),
    ("a.pdf", b"<!DOCTYPE html><html></html>", "E023", "web page"),
    ("a.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "E023", "an image"),
    ("a.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "E023", "Run OCR"),
    ("a.txt", gzip.compress(b"hello"), "E023", "gzip"),
    ("a.txt", b"{\\rtf1\\ansi hello}", "E023", "Rich Text"),
    ("a.txt", bytes(range(256)) * 10, "E023", "binary data"),
    ("a.docx", b"PK\x03\x04broken zip", "E025", "zip structure"),
    ("a.png", b"\x89PNG\r\n\x1a\n", "E013", ".png"),
    ("Makefile", b"all:\n\ttrue\n", "E013", "(none)"),
    ("a.doc", OLE + b"\0" * 600, "E013", ".doc"),
])
def test_refusals(tmp_path, name, data, code, words):
    with pytest.raises(InputError) as err:
        _choose(_write(tmp_path, name, data))
    assert err.value.code == code
    assert words in str(err.value) and name in str(err.value)


def test_other_zips(tmp_path):
    f = tmp_path / "bundle.docx"
    with zipfile.ZipFile(f, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(InputError) as err:
        _choose(f)
    assert err.value.code == "E023" and "zip archive" in str(err.value) and "Unzip" in str(err.value)
    odt = tmp_path / "jd.docx"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert content_kind(odt, odt.read_bytes()) == "odf"


@pytest.mark.parametrize("head, html", [
    (b"<!doctype HTML>", True), (b"  <html lang=en>", True), (b"<!-- c --><html>", True),
    ("<html>".encode("utf-16"), True), (b"<p>only a fragment</p>", False), (b"# Markdown", False),
])
def test_looks_like_html(head, html):
    assert looks_like_html(head) is html
