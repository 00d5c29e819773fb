"""Builders of input files for the ingest tests: every .docx, .pdf and .xlsx is made here, never committed.

PDFs are written as raw PDF bytes (one Helvetica font, one content stream a page), so no PDF-writing
library is needed; pypdf only encrypts them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def pdf_bytes(pages: list[list[str]], image_only: bool = False) -> bytes:
    """A minimal PDF: each page draws its lines top-down in Helvetica 11 pt; ``image_only`` pages draw a
    grey image and no text (a scan)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream")
    kids = []
    for lines in pages:
        if image_only:
            ops = b"q 400 0 0 500 100 200 cm /Im1 Do Q"
        else:
            parts = [b"BT /F1 11 Tf 14 TL 72 770 Td"]
            for line in lines:
                esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
                parts.append(b"(" + esc + b") Tj T*")
            parts.append(b"ET")
            ops = b"\n".join(parts)
        content = add(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_id, content, font, image)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def write_pdf(path: Path, pages: list[list[str]], image_only: bool = False, password: str | None = None) -> Path:
    data = pdf_bytes(pages, image_only=image_only)
    if password is not None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
        buf = io.BytesIO()
        writer.write(buf)
        data = buf.getvalue()
    path.write_bytes(data)
    return path


def write_docx(path: Path, title: str = "Head of Nursing Workforce") -> Path:
    """A Word document with a title, headings, bullets, numbers, a label/value table with a merged cell, a
    nested table and a content control."""
    import docx

    d = docx.Document()
    d.add_paragraph(title, style="Title")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "Job title"
    t.cell(0, 1).text = title
    t.cell(1, 0).text = "Band"
    t.cell(1, 1).text = "8a"
    t.cell(2, 0).text = "Reports to"
    t.cell(2, 1).text = "Director of Nursing"
    d.add_heading("Job purpose", level=1)
    d.add_paragraph("The post holder will set the strategic direction for nursing workforce planning.")
    d.add_heading("Main duties", level=2)
    d.add_paragraph("Lead the workforce transformation programme.", style="List Bullet")
    d.add_paragraph("Manage the team rota and the budget.", style="List Bullet")
    d.add_paragraph("Chair the monthly review.", style="List Number")
    grid = d.add_table(rows=2, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 2)).text = "Person specification"
    grid.cell(1, 0).text = "Essential"
    grid.cell(1, 1).text = "Registered nurse"
    inner = grid.cell(1, 2).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Desirable: MSc in leadership"
    d.add_paragraph("Closing paragraph after the table.")
    d.save(str(path))
    return path


def rewrite_zip(path: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    """Rewrite the zip at ``path`` with some parts replaced or added."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts.update(replace or {})
    parts.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def add_doctype(xml: bytes, subset: bytes, use: bytes, after: bytes) -> bytes:
    """Insert a DOCTYPE with the internal ``subset`` before the root element, and ``use`` (an entity
    reference) right after the first ``after``."""
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    root = xml[decl_end:].lstrip()
    root_name = root[1:root.index(b" ")]
    xml = xml[:decl_end] + b"\n<!DOCTYPE " + root_name + b" [" + subset + b"]>\n" + root
    i = xml.index(after) + len(after)
    return xml[:i] + use + xml[i:]


def write_xlsx(path: Path, rows: list[list[object]], sheet_title: str = "Postings") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
