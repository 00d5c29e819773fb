"""Office packages are checked before any parser opens them (leadlens.ingest.archive)."""

from __future__ import annotations

import zipfile

import pytest
from .makefiles import add_doctype, rewrite_zip, write_docx

from leadlens.errors import InputError
from leadlens.ingest.archive import check_package
from leadlens.ingest.options import ReadOptions

LAUGHS = b'<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">'


def _doc_xml(path):
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml")


def test_good_package_passes(tmp_path):
    check_package(write_docx(tmp_path / "a.docx"), "Word document")


@pytest.mark.parametrize("subset, use, reason", [
    (b'<!ENTITY xxe SYSTEM "file:///etc/hostname">', b"&xxe;", "a DTD"),
    (LAUGHS, b"&c;", "a DTD"),
    (b'<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;', b"", "a DTD"),
])
def test_dtds_and_entities_are_refused(tmp_path, subset, use, reason):
    f = write_docx(tmp_path / "x.docx")
    rewrite_zip(f, replace={"word/document.xml": add_doctype(_doc_xml(f), subset, use, b"<w:t>")})
    with pytest.raises(InputError) as err:
        check_package(f, "Word document")
    assert err.value.code == "E019" and "word/document.xml" in str(err.value) and reason in str(err.value)


def test_external_dtd_in_a_relationship_part_is_refused(tmp_path):
    f = write_docx(tmp_path / "x.docx")
    with zipfile.ZipFile(f) as zf:
        rels = zf.read("_rels/.rels")
    rels = rels.replace(b"?>", b'?><!DOCTYPE Relationships SYSTEM "file:///etc/passwd">', 1)
    rewrite_zip(f, replace={"_rels/.rels": rels})
    with pytest.raises(InputError) as err:
        check_package(f, "Word document")
    assert err.value.code == "E019" and "_rels/.rels" in str(err.value)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    f = write_docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(f, "a", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
        for _ in range(4):
            fh.write(b"\0" * (1 << 20))
    assert f.stat().st_size < 100_000
    with pytest.raises(InputError) as err:
        check_package(f, "Word document", ReadOptions(max_inflated_bytes=2 << 20))
    msg = str(err.value)
    assert err.value.code == "E018" and "zip bomb" in msg and "2.0 MB limit" in msg and "expansion" in msg


def test_too_many_parts(tmp_path):
    f = write_docx(tmp_path / "many.docx")
    rewrite_zip(f, add={f"word/media/p{i}.bin": b"x" for i in range(30)})
    with pytest.raises(InputError) as err:
        check_package(f, "Word document", ReadOptions(max_zip_members=20))
    assert err.value.code == "E018" and "parts" in str(err.value)


def test_damaged_zip_and_part(tmp_path):
    f = tmp_path / "cut.docx"
    f.write_bytes(write_docx(tmp_path / "whole.docx").read_bytes()[:3000])
    with pytest.raises(InputError) as err:
        check_package(f, "Word document")
    assert err.value.code == "E025"
    g = write_docx(tmp_path / "bad.docx")
    rewrite_zip(g, replace={"word/document.xml": b"<w:document><unclosed"})
    with pytest.raises(InputError) as err:
        check_package(g, "Word document")
    assert err.value.code == "E025" and "word/document.xml" in str(err.value)
