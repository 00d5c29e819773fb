"""Every input file is accounted for: good files become postings, bad ones error rows."""

from __future__ import annotations

import json
import os

import pytest

from leadlens.ingest import iter_postings
from leadlens.ingest.text import title_from_text


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Ward Manager\nManage the ward.", encoding="utf-8")
    (d / "sub" / "b.md").write_text("# Head of Innovation\n\nLead innovation.", encoding="utf-8")
    (d / "cp1252.txt").write_bytes("Team Leader\nManage the team’s rota – daily.".encode("cp1252"))
    (d / "bom.txt").write_bytes(b"\xef\xbb\xbfStaff Nurse\nCare for patients.")
    (d / "empty.txt").write_text("   \n", encoding="utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (d / "rows.csv").write_text("id,title,text,band\n1,Matron,Supervise staff,8a\n2,Lead,,7\n", encoding="utf-8")
    (d / "rows.jsonl").write_text(json.dumps({"id": "x", "title": "Lead", "text": "Set direction"}) + "\n{bad\n",
                                  encoding="utf-8")
    (d / ".hidden.txt").write_text("hidden", encoding="utf-8")
    os.symlink(d, d / "sub" / "loop")
    return d


def test_every_file_is_accounted_for(folder):
    posts = {p.doc_id: p for p in iter_postings([folder])}
    assert set(posts) == {"a.txt", "sub/b.md", "cp1252.txt", "bom.txt", "empty.txt", "image.png", "rows.csv#1",
                          "rows.csv#2", "rows.jsonl#x", "rows.jsonl#2"}
    assert posts["a.txt"].ok and posts["a.txt"].title == "Ward Manager"
    assert posts["sub/b.md"].title == "Head of Innovation"
    assert "’" in posts["cp1252.txt"].text and "–" in posts["cp1252.txt"].text
    assert posts["bom.txt"].text.startswith("Staff Nurse")
    assert "E014" in posts["empty.txt"].error and "empty.txt" in posts["empty.txt"].error
    assert "E013" in posts["image.png"].error and ".png" in posts["image.png"].error
    assert posts["rows.csv#1"].meta == {"band": "8a"} and posts["rows.csv#1"].title == "Matron"
    assert "E014" in posts["rows.csv#2"].error
    assert "not valid JSON" in posts["rows.jsonl#2"].error


def test_missing_text_column_is_an_error_row(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,body\n1,hello\n", encoding="utf-8")
    (post,) = list(iter_postings([f]))
    assert "E012" in post.error and "'text'" in post.error and "body" in post.error


def test_missing_path_is_an_error_row(tmp_path):
    (post,) = list(iter_postings([tmp_path / "nope.txt"]))
    assert "E015" in post.error


def test_same_file_twice_is_read_once(folder):
    posts = list(iter_postings([folder / "a.txt", folder / "a.txt"]))
    assert len(posts) == 1


@pytest.mark.parametrize("text, title", [
    ("Job title: Lead Nurse\nBand 7", "Lead Nurse"),
    ("\n\n# Head of Data\nmore", "Head of Data"),
    ("Staff Nurse\nWard 5", "Staff Nurse"),
])
def test_title_from_text(text, title):
    assert title_from_text(text) == title


def test_options_reach_every_reader(tmp_path):
    from leadlens.ingest import ReadOptions

    (tmp_path / "a.txt").write_text("Lead\n" + "x" * 3000, encoding="utf-8")
    (tmp_path / "b.csv").write_text("text\n" + "y" * 3000 + "\n", encoding="utf-8")
    posts = list(iter_postings([tmp_path], options=ReadOptions(max_bytes=1024)))
    assert [p.error[:6] for p in posts] == ["[E017]", "[E017]"]


def test_read_document(tmp_path):
    from leadlens.errors import InputError
    from leadlens.ingest import read_document

    from .makefiles import write_docx

    assert read_document(write_docx(tmp_path / "jd.docx"))[1] == "Head of Nursing Workforce"
    (tmp_path / "t.csv").write_text("text\nx\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_document(tmp_path / "t.csv")
    assert err.value.code == "E023" and "--text-field" in str(err.value)
