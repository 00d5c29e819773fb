"""A folder of everything a real batch throws at the readers: each file gives its row, every failure a coded
error that names the file, nothing from outside the files leaks in, and nothing hangs."""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile

import pytest
from .makefiles import add_doctype, pdf_bytes, rewrite_zip, write_docx, write_pdf, write_xlsx

from leadlens.ingest import iter_postings

SECRET = "XXE-SECRET-7f3a"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# file -> expected error code ("" for a good posting); tables list their rows.
EXPECTED = {
    "text/utf8.txt": "", "text/cp1252.txt": "", "text/latin1.txt": "", "text/bom.txt": "", "text/utf16.txt": "",
    "text/nul.txt": "", "text/mixed.txt": "", "text/notes.md": "",
    "text/empty.txt": "E014", "text/blank.md": "E014", "text/binary.txt": "E023", "text/huge.txt": "E017",
    "titles/formula.txt": "", "titles/markup.md": "", "titles/ansi.txt": "",
    "word/good.docx": "", "word/bomb.docx": "E018", "word/xxe.docx": "E019", "word/not-a-zip.docx": "E023",
    "word/old-format.docx": "E023", "word/locked.docx": "E021", "word/cut.docx": "E025", "word/empty.docx": "E014",
    "pdf/good.pdf": "", "pdf/locked.pdf": "E021", "pdf/scan.pdf": "E022", "pdf/cut.pdf": "E025",
    "pdf/web-page.pdf": "E023",
    "web/advert.html": "", "web/xxe.html": "", "web/cp1252.htm": "", "web/empty.html": "E014",
    "renamed/really-pdf.txt": "", "renamed/really-docx.txt": "", "renamed/really-xlsx.csv#1": "",
    "tables/rows.csv#1": "", "tables/rows.csv#2": "", "tables/rows.csv#3": "", "tables/rows.csv#4": "E014",
    "tables/rows.xlsx#1": "", "tables/xxe.xlsx": "E019", "tables/rows.jsonl#a": "", "tables/rows.jsonl#2": "E011",
    "tables/broken.json": "E011", "tables/no-text-column.csv": "E012",
    "other/image.png": "E013", "other/letter.rtf": "E013", "other/archive.zip": "E013",
    "links/self-loop.txt": "E011", "links/broken.txt": "E011",
}


def _build(root, secret_file):
    def put(name, data):
        f = root / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(data)
        return f

    text = "Ward Manager\nManage the ward’s rota – daily, café £5."
    put("text/utf8.txt", text.encode())
    put("text/cp1252.txt", text.encode("cp1252"))
    put("text/latin1.txt", "Ward Manager\nRôle naïve £5.".encode("latin-1"))
    put("text/bom.txt", b"\xef\xbb\xbf" + text.encode())
    put("text/utf16.txt", text.encode("utf-16"))
    put("text/nul.txt", b"Ward\x00 Manager\nManage\x00 the ward.")
    put("text/mixed.txt", "Café manager\n".encode() + "Manage the team’s rota.".encode("cp1252"))
    put("text/notes.md", b"# Head of Data\n\n- Lead the data team\n")
    put("text/empty.txt", b"")
    put("text/blank.md", b"  \n\t\n")
    put("text/binary.txt", bytes(range(256)) * 64)
    with (root / "text").joinpath("huge.txt").open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    put("titles/formula.txt", b"=cmd|' /C calc'!A0\nManage the ward.")
    put("titles/markup.md", b"# <img src=x onerror=alert(1)> Lead Nurse\n\nLead the team.")
    put("titles/ansi.txt", b"\x1b[31mLead Nurse\x1b[0m\nLead the team.")

    (root / "word").mkdir()
    write_docx(root / "word/good.docx")
    bomb = write_docx(root / "word/bomb.docx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
        for _ in range(205):  # just over the 200 MB default
            fh.write(b"\0" * (1 << 20))
    xxe = write_docx(root / "word/xxe.docx")
    with zipfile.ZipFile(xxe) as zf:
        xml = zf.read("word/document.xml")
    subset = b'<!ENTITY xxe SYSTEM "' + secret_file.as_uri().encode() + b'">'
    rewrite_zip(xxe, replace={"word/document.xml": add_doctype(xml, subset, b"&xxe;", b"<w:t>")})
    put("word/not-a-zip.docx", b"Job title: Lead\nThis was saved as text.")
    put("word/old-format.docx", OLE + b"\0" * 1024)
    put("word/locked.docx", OLE + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    put("word/cut.docx", (root / "word/good.docx").read_bytes()[:2000])
    import docx

    docx.Document().save(str(root / "word/empty.docx"))

    (root / "pdf").mkdir()
    write_pdf(root / "pdf/good.pdf", [["Job title: Lead Pharmacist", "Lead the pharmacy team."]])
    write_pdf(root / "pdf/locked.pdf", [["Secret"]], password="pw")
    write_pdf(root / "pdf/scan.pdf", [[]], image_only=True)
    put("pdf/cut.pdf", pdf_bytes([["Lead"]])[:70])
    put("pdf/web-page.pdf", b"<!DOCTYPE html><html><body>Sorry, file not found</body></html>")

    put("web/advert.html", b"<html><head><title>t</title><script>SCRIPT()</script></head><body><nav>Menu</nav>"
                           b"<main><h1>Clinical Lead</h1><ul><li>Set the vision</li></ul></main></body></html>")
    put("web/xxe.html", b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "' + secret_file.as_uri().encode() + b'">]>'
                        b"<html><body><main><h1>Lead</h1><p>&xxe;</p></main></body></html>")
    put("web/cp1252.htm", '<meta charset="windows-1252"><h1>Team’s Lead</h1><p>£5 – x</p>'.encode("cp1252"))
    put("web/empty.html", b"<html><body><script>only()</script></body></html>")

    put("renamed/really-pdf.txt", pdf_bytes([["Renamed PDF Lead", "Lead it."]]))
    write_docx(root / "renamed/really-docx.txt")
    write_xlsx(root / "renamed/really-xlsx.csv", [["text"], ["Planner\nPlan it."]])

    (root / "tables").mkdir()
    put("tables/rows.csv", b"id,title,text,band\n1,=HYPERLINK(\"http://x\"),Lead.,7\n2,@SUM(A1),Plan.,8a\n"
                           b"3,<script>alert(1)</script>,Direct.,6\n4,Empty,None,5\n")
    write_xlsx(root / "tables/rows.xlsx", [["id", "title", "text", "Staff Group"], [1, "Matron", "Lead.", "Nursing"]])
    xl = write_xlsx(root / "tables/xxe.xlsx", [["id", "title", "text"], [1, "Lead", "Plan"]])
    with zipfile.ZipFile(xl) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    rewrite_zip(xl, replace={"xl/worksheets/sheet1.xml": add_doctype(sheet, subset, b"&xxe;", b"<is><t>")})
    put("tables/rows.jsonl", json.dumps({"id": "a", "title": "Lead", "text": "Set direction"}).encode() + b"\n{bad\n")
    put("tables/broken.json", b'{"text": ')
    put("tables/no-text-column.csv", b"id,body\n1,hello\n")

    put("other/image.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    put("other/letter.rtf", b"{\\rtf1 hello}")
    with zipfile.ZipFile(root / "other/archive.zip", "w") as zf:
        zf.writestr("a.txt", "hello")
    put(".hidden.txt", b"hidden files are left out")

    (root / "links").mkdir()
    os.symlink(root, root / "links" / "folder-loop")          # a folder loop: not followed
    os.symlink(root / "links/self-loop.txt", root / "links/self-loop.txt")
    os.symlink(root / "links/missing.txt", root / "links/broken.txt")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    secret = base / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    root = base / "in"
    root.mkdir()
    _build(root, secret)
    started = time.monotonic()
    posts = {p.doc_id: p for p in iter_postings([root])}
    return root, posts, time.monotonic() - started


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and sparse files need POSIX")
def test_every_file_has_its_row_and_error(hostile):
    root, posts, _ = hostile
    assert set(posts) == set(EXPECTED)
    for doc_id, code in EXPECTED.items():
        p = posts[doc_id]
        if code:
            assert p.error.startswith(f"[{code}] "), (doc_id, p.error)
            assert str(root / doc_id.split("#")[0]) in p.error, (doc_id, p.error)  # names the file
            assert not p.text
        else:
            assert p.ok and p.text.strip() and p.title, (doc_id, p.error)


def test_every_error_explains_itself(hostile):
    _, posts, _ = hostile
    words = {
        "text/huge.txt": "60.0 MB, over the 50.0 MB limit", "text/binary.txt": "binary data",
        "word/bomb.docx": "zip bomb", "word/xxe.docx": "DTD", "word/not-a-zip.docx": "plain text",
        "word/old-format.docx": "save it as .docx", "word/locked.docx": "password",
        "word/cut.docx": "damaged", "pdf/locked.pdf": "encrypted", "pdf/scan.pdf": "no text layer: scanned PDF?",
        "pdf/web-page.pdf": "web page", "tables/no-text-column.csv": "body",
        "links/self-loop.txt": "loops", "links/broken.txt": "broken link", "other/image.png": ".png",
    }
    for doc_id, phrase in words.items():
        assert phrase in posts[doc_id].error, (doc_id, posts[doc_id].error)


def test_text_is_read_right(hostile):
    _, posts, _ = hostile
    for name in ("utf8", "cp1252", "bom", "utf16"):
        assert posts[f"text/{name}.txt"].text == "Ward Manager\nManage the ward’s rota – daily, café £5."
    assert posts["text/latin1.txt"].text == "Ward Manager\nRôle naïve £5."
    assert posts["text/nul.txt"].text == "Ward Manager\nManage the ward."
    assert posts["text/mixed.txt"].text == "Café manager\nManage the team’s rota."
    assert posts["renamed/really-pdf.txt"].title == "Renamed PDF Lead"
    assert posts["renamed/really-docx.txt"].title == "Head of Nursing Workforce"
    assert posts["web/advert.html"].text == "Clinical Lead\n• Set the vision"
    assert posts["web/cp1252.htm"].title == "Team’s Lead"
    assert posts["tables/rows.xlsx#1"].meta == {"Staff Group": "Nursing"}


def test_hostile_titles_are_kept_as_inert_text(hostile):
    _, posts, _ = hostile
    assert posts["titles/formula.txt"].title == "=cmd|' /C calc'!A0"
    assert posts["titles/markup.md"].title == "<img src=x onerror=alert(1)> Lead Nurse"
    assert posts["titles/ansi.txt"].title == "Lead Nurse" and "\x1b" not in posts["titles/ansi.txt"].text
    assert posts["tables/rows.csv#1"].title == '=HYPERLINK("http://x")'
    assert posts["tables/rows.csv#3"].title == "<script>alert(1)</script>"
    assert "None" in posts["tables/rows.csv#4"].error


def test_no_external_entity_content_anywhere(hostile):
    _, posts, _ = hostile
    for p in posts.values():
        assert SECRET not in repr(p)
    assert "&xxe;" not in posts["web/xxe.html"].text or SECRET not in posts["web/xxe.html"].text


def test_it_does_not_hang(hostile):
    _, _, seconds = hostile
    assert seconds < 60


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (post,) = list(iter_postings([tmp_path]))
    assert post.error.startswith("[E011]") and "not a regular file" in post.error
