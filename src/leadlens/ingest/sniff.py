"""Choosing a reader from a file's content as well as its name.

:func:`content_kind` looks at the first bytes (and, for a zip, its part names); :func:`choose_reader`
combines that with the extension:

* a definite document signature wins over the name: a ``.txt`` that is really a PDF is read as a PDF, a
  ``.csv`` that is really an ``.xlsx`` as a workbook;
* a name that promises a binary format (``.pdf``, ``.docx``, ``.xlsx``) over other content is an error
  (E023) that says what the content is and what to do (an old ``.doc`` renamed ``.docx``, a web page
  saved as ``.pdf``...);
* a name that promises text over binary content is the same error; a ``.txt`` that is a whole saved web
  page (``<!DOCTYPE html>``/``<html>``) is read as HTML (Markdown is left alone: it may embed HTML);
* an unknown extension with no recognised content is E013 (unsupported), never a silent skip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import E, InputError
from .text import looks_binary, looks_utf16

SUFFIX_KIND = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}
SUPPORTED = tuple(SUFFIX_KIND)
TEXT_KINDS = ("text", "markdown", "html", "csv", "tsv", "jsonl", "json")
DOCUMENT_KINDS = ("pdf", "docx", "xlsx")  # recognised by content whatever the name

EXPECTED = {
    "text": "a text file", "markdown": "a Markdown file", "html": "a web page (HTML)", "pdf": "a PDF",
    "docx": "a Word .docx document", "xlsx": "an Excel .xlsx workbook", "csv": "a CSV table",
    "tsv": "a tab-separated table", "jsonl": "JSON Lines", "json": "JSON",
}
ACTUAL = {
    "pdf": ("a PDF", ""),
    "docx": ("a Word .docx document", ""),
    "xlsx": ("an Excel .xlsx workbook", ""),
    "pptx": ("a PowerPoint presentation", "Save it as PDF or .docx and try again."),
    "odf": ("an OpenDocument (LibreOffice) file", "Save it as .docx, .xlsx or PDF and try again."),
    "zip": ("a zip archive", "Unzip it and pass the folder."),
    "badzip": ("a damaged zip archive", "It may be damaged or only partly downloaded: download or save it "
                                        "again."),
    "ole": ("an old-format Office file (.doc or .xls)", "Open it in Word or Excel and save it as .docx or "
                                                        ".xlsx."),
    "ole-encrypted": ("a password-protected Office file", "Remove the password and save it again."),
    "rtf": ("Rich Text Format (.rtf)", "Open it in Word and save it as .docx or plain text."),
    "image": ("an image", "Run OCR on it, or use the original document."),
    "gzip": ("gzip-compressed data", "Decompress it first."),
    "html": ("a web page (HTML)", "Give it the .html extension."),
    "text": ("plain text", "Give it the .txt extension."),
    "binary": ("binary data", "Use the original file, or give it the extension of its real type."),
}
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")


def content_kind(path: Path, head: bytes) -> str:
    """What the content of ``path`` is, from ``head`` (its first KBs): one of the keys of ``ACTUAL``."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(_OLE):
        with path.open("rb") as fh:  # the stream directory can be anywhere; the caller has capped the size
            return "ole-encrypted" if _ENCRYPTED_OLE in fh.read() else "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if looks_binary(head):
        return "binary"
    return "html" if looks_like_html(head) else "text"


def looks_like_html(head: bytes) -> bool:
    """True for a whole web page: it starts (after a byte-order mark, blanks, an XML declaration or
    comments) with ``<!DOCTYPE html`` or ``<html``."""
    enc = looks_utf16(head)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or enc:
        try:
            head = head.decode("utf-16" if not enc else enc, errors="ignore").encode("utf-8")
        except UnicodeError:  # pragma: no cover - errors are ignored
            return False
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()[:2048].lower()
    while start.startswith((b"<?xml", b"<!--")):
        end = start.find(b"?>" if start.startswith(b"<?") else b"-->")
        if end < 0:
            return False
        start = start[end + 2:].lstrip(b"> \t\r\n")
    return start.startswith((b"<!doctype html", b"<html"))


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:20000])
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError, ValueError, KeyError, NotImplementedError, RuntimeError):
        return "badzip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "odf"
    return "zip"


def choose_reader(path: Path, head: bytes) -> str:
    """The reader kind for ``path`` (a key of ``EXPECTED``), or a coded :class:`InputError` that says why
    none fits."""
    source = str(path)
    suffix = path.suffix.lower()
    expected = SUFFIX_KIND.get(suffix)
    actual = content_kind(path, head)
    if actual in DOCUMENT_KINDS:
        return actual
    if actual == "ole-encrypted":
        raise InputError(E.E021, file=source, kind="Office file")
    if expected is None:
        raise InputError(E.E013, file=source, suffix=suffix or "(none)", supported=", ".join(SUPPORTED))
    if actual == "badzip" and expected in ("docx", "xlsx"):
        raise InputError(E.E025, file=source, kind=EXPECTED[expected],
                         reason="its zip structure is broken (damaged or partly downloaded?)")
    if expected in TEXT_KINDS:
        if actual == "html" and expected in ("text", "html"):
            return "html"
        if actual in ("text", "html"):
            return expected
    words, advice = ACTUAL[actual]
    if expected in DOCUMENT_KINDS and actual in ("text", "html", "binary"):
        advice = "It may have been renamed or saved wrongly: use the original file, or give it the extension " \
                 "of its real type."
    raise InputError(E.E023, file=source, expected=EXPECTED[expected], actual=words, advice=advice)
