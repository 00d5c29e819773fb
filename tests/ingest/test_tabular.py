"""Exports with one posting per row: CSV, TSV, JSON Lines, JSON (leadlens.ingest.tabular)."""

from __future__ import annotations

import json

import pytest

from leadlens.ingest import iter_postings
from leadlens.ingest.tabular import read_rows, resolve_field


def _posts(path, **fields):
    return {p.doc_id: p for p in iter_postings([path], **fields)}


def test_semicolon_csv_and_case_insensitive_fields(tmp_path):
    f = tmp_path / "export.csv"
    f.write_bytes("Job Ref;Title;Description;Staff Group\n7;Matron;Lead the unit – daily;Nursing\n".encode("cp1252"))
    posts = _posts(f, text_field="description", title_field="title", id_field="job ref")
    p = posts["export.csv#7"]
    assert p.ok and p.text == "Lead the unit – daily" and p.title == "Matron"
    assert p.meta == {"Staff Group": "Nursing"}


def test_multiline_cells_keep_their_line_breaks(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text('id,title,text\n1,Lead,"Line one\r\nLine two"\n', encoding="utf-8", newline="")
    assert _posts(f)["x.csv#1"].text == "Line one\nLine two"


@pytest.mark.parametrize("value", ["None", " nan ", "N/A", ""])
def test_placeholder_text_is_an_empty_row(tmp_path, value):
    f = tmp_path / "x.csv"
    f.write_text(f"id,title,text\n1,Lead,{value}\n", encoding="utf-8")
    post = _posts(f)["x.csv#1"]
    assert "E014" in post.error and "row 1" in post.error and post.title == "Lead"


def test_json_shapes(tmp_path):
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"count": 2, "jobs": [{"id": "a", "text": "Lead"}, {"id": "b", "text": "Plan"}]}),
                       encoding="utf-8")
    assert set(_posts(wrapped)) == {"wrapped.json#a", "wrapped.json#b"}
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"id": "z", "text": "Lead", "band": 7, "tags": ["x"]}), encoding="utf-8")
    assert _posts(single)["single.json#z"].meta == {"band": 7}
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([{"text": "Lead"}, "not an object"]), encoding="utf-8")
    posts = _posts(listed)
    assert posts["list.json#1"].ok and "not a JSON object" in posts["list.json#2"].error


def test_deep_json_is_an_error_not_a_crash(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (post,) = _posts(f).values()
    assert "E011" in post.error and "deep.json" in post.error


def test_bad_jsonl_lines_are_rows(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"text": "ok"}\n{bad\n[1, 2]\n', encoding="utf-8")
    posts = _posts(f)
    assert posts["x.jsonl#1"].ok and "line 2" in posts["x.jsonl#2"].error and "line 3" in posts["x.jsonl#3"].error


def test_numeric_text_and_duplicate_ids(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,text\n1,42\n1,Lead\n", encoding="utf-8")
    posts = _posts(f)
    assert posts["x.csv#1"].text == "42" and posts["x.csv#1~2"].text == "Lead"


def test_header_only_is_e014(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,text\n", encoding="utf-8")
    assert list(read_rows(f)) == []
    (post,) = _posts(f).values()
    assert "E014" in post.error and "x.csv" in post.error


@pytest.mark.parametrize("row, name, key", [
    ({"Description": 1}, "description", "Description"),
    ({"text": 1, "Text": 2}, "text", "text"),
    ({"Text": 1, "TEXT": 2}, "text", None),  # ambiguous
    ({"body": 1}, "text", None),
    ({"x": 1}, None, None),
])
def test_resolve_field(row, name, key):
    assert resolve_field(row, name) == key
