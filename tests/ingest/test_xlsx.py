"""Excel exports: one posting per row (leadlens.ingest.xlsx)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from .makefiles import add_doctype, rewrite_zip, write_xlsx

from leadlens.errors import InputError
from leadlens.ingest import iter_postings
from leadlens.ingest.xlsx import make_header, read_xlsx_rows


def _posts(path, **fields):
    return {p.doc_id: p for p in iter_postings([path], **fields)}


def test_rows_with_meta(tmp_path):
    f = write_xlsx(tmp_path / "export.xlsx", [
        [None, None], [],                                       # blank rows before the header
        ["Vacancy ID", "Job Title", "Advert Text", "Band", "Closing", "Staff Group"],
        ["V1", "Ward Manager", "Manage the ward.\nLead the team.", 7, dt.date(2024, 5, 1), "Nursing"],
        ["V2", "Head of IT", None, "8c", None, None],
    ])
    posts = _posts(f, text_field="Advert Text", title_field="job title", id_field="vacancy id")
    assert posts["export.xlsx#V1"].text == "Manage the ward.\nLead the team."
    assert posts["export.xlsx#V1"].title == "Ward Manager"
    assert posts["export.xlsx#V1"].meta == {"Band": 7, "Closing": "2024-05-01", "Staff Group": "Nursing"}
    assert "E014" in posts["export.xlsx#V2"].error and posts["export.xlsx#V2"].meta == {"Band": "8c"}


def test_the_sheet_with_the_text_column_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Read me first"])
    ws = wb.create_sheet("Adverts")
    ws.append(["id", "title", "text"])
    ws.append([1, "Matron", "Lead the unit."])
    wb.save(tmp_path / "two.xlsx")
    assert _posts(tmp_path / "two.xlsx")["two.xlsx#1"].text == "Lead the unit."


def test_formula_like_strings_are_kept_as_text(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "title", "text"])
    ws.append([1, "x", "Lead the team."])
    ws["B2"].value = '=HYPERLINK("http://evil.example","Lead")'
    ws["B2"].data_type = "s"  # a string that looks like a formula
    ws.append([2, "=1+1", "Plan."])  # a real formula: no cached value, so no title
    wb.save(tmp_path / "f.xlsx")
    posts = _posts(tmp_path / "f.xlsx")
    assert posts["f.xlsx#1"].title == '=HYPERLINK("http://evil.example","Lead")'
    assert posts["f.xlsx#2"].title is None and posts["f.xlsx#2"].ok


def test_a_wrong_dimension_does_not_lose_columns(tmp_path):
    f = write_xlsx(tmp_path / "dim.xlsx", [["id", "title", "text"], [1, "Lead", "Set direction."]])
    with zipfile.ZipFile(f) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    rewrite_zip(f, replace={"xl/worksheets/sheet1.xml": re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>',
                                                               sheet)})
    assert _posts(f)["dim.xlsx#1"].text == "Set direction."


@pytest.mark.parametrize("subset, use", [
    (b'<!ENTITY xxe SYSTEM "SECRET_URI">', b"&xxe;"),
    (b'<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">', b"&b;"),
])
def test_unsafe_xml_is_refused(tmp_path, subset, use):
    secret = tmp_path / "secret.txt"
    secret.write_text("XXE-SECRET-XLSX", encoding="utf-8")
    f = write_xlsx(tmp_path / "xxe.xlsx", [["id", "title", "text"], [1, "Lead", "Plan"]])
    with zipfile.ZipFile(f) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    subset = subset.replace(b"SECRET_URI", secret.as_uri().encode())
    rewrite_zip(f, replace={"xl/worksheets/sheet1.xml": add_doctype(sheet, subset, use, b"<is><t>")})
    with pytest.raises(InputError) as err:
        list(read_xlsx_rows(f))
    assert err.value.code == "E019" and "xl/worksheets/sheet1.xml" in str(err.value)
    (post,) = _posts(f).values()
    assert "E019" in post.error and "XXE-SECRET" not in repr(post)


def test_damaged_workbook_is_e025(tmp_path):
    f = write_xlsx(tmp_path / "bad.xlsx", [["text"], ["x"]])
    rewrite_zip(f, replace={"xl/workbook.xml": b"<workbook xmlns='http://schemas.openxmlformats.org/spreadsheetml/"
                                               b"2006/main'><sheets><sheet name='x' sheetId='1' r:id='rId9'"})
    (post,) = _posts(f).values()
    assert "E025" in post.error and "bad.xlsx" in post.error and "Excel workbook" in post.error


@pytest.mark.parametrize("values, names", [
    (("id", None, "id", " Band\n"), ["id", "column2", "id~2", "Band"]),
    ((1, 2.5), ["1", "2.5"]),
])
def test_make_header(values, names):
    assert make_header(values) == names
