"""Word documents in reading order (leadlens.ingest.docx)."""

from __future__ import annotations

import zipfile

import pytest
from .makefiles import add_doctype, rewrite_zip, write_docx

from leadlens.errors import InputError
from leadlens.ingest.docx import read_docx, row_lines


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return write_docx(tmp_path_factory.mktemp("docx") / "jd.docx")


def test_reading_order_headings_lists_tables(good):
    text, title = read_docx(good)
    assert title == "Head of Nursing Workforce"
    assert text.split("\n") == [
        "Head of Nursing Workforce",
        "Job title: Head of Nursing Workforce",
        "Band: 8a",
        "Reports to: Director of Nursing",
        "Job purpose",
        "The post holder will set the strategic direction for nursing workforce planning.",
        "Main duties",
        "• Lead the workforce transformation programme.",
        "• Manage the team rota and the budget.",
        "• Chair the monthly review.",
        "Person specification",           # a merged cell, read once
        "Essential",
        "Registered nurse",
        "Desirable: MSc in leadership",   # a nested table inside a cell
        "Closing paragraph after the table.",
    ]


def test_first_heading_is_the_title_without_a_title_style(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Acme NHS Foundation Trust")
    d.add_heading("Clinical Lead, Stroke", level=1)
    d.add_paragraph("Lead the stroke service.\nSecond line in the same paragraph.")
    d.save(str(tmp_path / "h.docx"))
    text, title = read_docx(tmp_path / "h.docx")
    assert title == "Clinical Lead, Stroke"
    assert "Lead the stroke service.\nSecond line in the same paragraph." in text


def test_content_controls_hyperlinks_and_tracked_insertions_are_read(tmp_path):
    f = write_docx(tmp_path / "x.docx")
    with zipfile.ZipFile(f) as zf:
        xml = zf.read("word/document.xml").decode()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    extra = ('<w:sdt><w:sdtContent><w:p><w:r><w:t>In a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>'
             '<w:p><w:hyperlink><w:r><w:t>Linked</w:t></w:r></w:hyperlink><w:ins><w:r><w:t xml:space="preserve">'
             ' and inserted</w:t></w:r></w:ins><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del></w:p>')
    assert w in xml
    xml = xml.replace("<w:sectPr", extra + "<w:sectPr", 1)
    rewrite_zip(f, replace={"word/document.xml": xml.encode()})
    text, _ = read_docx(f)
    assert "In a content control." in text and "Linked and inserted" in text and "deleted" not in text


def test_empty_document_is_e014(tmp_path):
    import docx

    docx.Document().save(str(tmp_path / "empty.docx"))
    with pytest.raises(InputError) as err:
        read_docx(tmp_path / "empty.docx")
    assert err.value.code == "E014"


def test_xxe_never_reaches_the_text(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("XXE-SECRET-DOCX", encoding="utf-8")
    f = write_docx(tmp_path / "xxe.docx")
    with zipfile.ZipFile(f) as zf:
        xml = zf.read("word/document.xml")
    subset = b'<!ENTITY xxe SYSTEM "' + secret.as_uri().encode() + b'">'
    rewrite_zip(f, replace={"word/document.xml": add_doctype(xml, subset, b"&xxe;", b"<w:t>")})
    with pytest.raises(InputError) as err:
        read_docx(f)
    assert err.value.code == "E019" and "XXE-SECRET" not in str(err.value)


def test_a_spreadsheet_named_docx_is_not_read_as_word(tmp_path):
    from .makefiles import write_xlsx

    f = write_xlsx(tmp_path / "x.docx", [["a"], ["b"]])
    with pytest.raises(InputError) as err:
        read_docx(f)
    assert err.value.code == "E023" and "spreadsheetml" in str(err.value) and "save it as a .docx" in str(err.value)


@pytest.mark.parametrize("cells, lines", [
    ([["Band"], ["8a"]], ["Band: 8a"]),
    ([["Job title:"], ["Matron", "Ward 5"]], ["Job title: Matron", "Ward 5"]),
    ([["Duties"], ["• Lead", "• Plan"]], ["Duties:", "• Lead", "• Plan"]),
    ([["a"], ["b"], ["c"]], ["a", "b", "c"]),
    ([["A long first cell that is surely not a label because it runs on and on past sixty"], ["b"]],
     ["A long first cell that is surely not a label because it runs on and on past sixty", "b"]),
])
def test_row_lines(cells, lines):
    assert row_lines(cells) == lines
