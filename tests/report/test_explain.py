"""Explanation pages: safe file names, spans placed on the rebuilt sentence text, escaping, line layout."""

from __future__ import annotations

import re

import pytest

from leadlens.report.explain import advert_rows, assign_tracks, place_spans, safe_name, sentence_markup
from leadlens.report.tables import axes


@pytest.mark.parametrize("doc_id", [
    "../../etc/passwd", "/etc/passwd", "..", ".", "", "CON", "nul.txt", "a\\b\\..\\c", "bands.csv#b1",
    "x" * 500, "é" * 300, "<script>alert(1)</script>", "\x00\n\t", "01-head-of-patient-flow.txt",
])
def test_safe_name_stays_inside(tmp_path, doc_id):
    name = safe_name(doc_id)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}-[0-9a-f]{12}\.html", name), name
    target = (tmp_path / "explain" / name).resolve()
    assert target.parent == (tmp_path / "explain").resolve()
    assert len(name) < 100


def test_safe_name_distinct():
    ids = ["a/b", "a_b", "a-b", "A-B", "a b", "ab", "a.b"]
    assert len({safe_name(i) for i in ids}) == len(ids)
    assert safe_name("a/b") == safe_name("a/b")


def m(start, end, text, pole="M", axis="power", status="counted", sent_id=0):
    return {"start": start, "end": end, "text": text, "pole": pole, "axis": axis, "status": status,
            "rule_id": f"x.{axis}", "weight": 1.0, "section": "duties", "sent_id": sent_id}


def test_place_spans_plain():
    original = "Intro.\nManage the budget and the rota.\n"
    s_start, s_end = 7, 40
    text = original[s_start:s_end].strip()
    spans = place_spans(text, s_start, s_end, [m(18, 24, "budget"), m(33, 37, "rota", axis="horizon")])
    assert [text[s.start:s.end] for s in spans] == ["budget", "rota"]


def test_place_spans_leading_whitespace_stripped():
    original = "\n\n  Lead the change programme."
    text = original.strip()  # the sentence row holds stripped text, offsets of the unstripped sentence
    spans = place_spans(text, 0, len(original), [m(original.index("change"), original.index("change") + 6,
                                                   "change", pole="L", axis="change")])
    assert text[spans[0].start:spans[0].end] == "change"


def test_place_spans_falls_back_to_search_and_clamps():
    text = "Monitor KPIs weekly."
    spans = place_spans(text, 100, 120, [m(150, 154, "KPIs"), m(500, 510, "nothing")])
    assert text[spans[0].start:spans[0].end] == "KPIs"
    assert all(0 <= s.start < s.end <= len(text) for s in spans)


def test_overlapping_spans_get_tracks():
    text = "manage the budget management"
    spans = place_spans(text, 0, len(text), [m(11, 28, "budget management"), m(11, 17, "budget"),
                                             m(0, 6, "manage")])
    tracks = {text[s.start:s.end]: s.track for s in assign_tracks(spans)}
    assert tracks["budget management"] != tracks["budget"]
    assert tracks["manage"] == 0


def test_sentence_markup_escapes_and_strikes():
    text = "Set <b>the</b> vision & not the budget"
    spans = place_spans(text, 0, len(text), [m(15, 21, "vision", pole="L", axis="guidance"),
                                             m(32, 38, "budget", status="negated")])
    html = str(sentence_markup(text, spans, axes(), {}))
    assert "<b>" not in html and "&lt;b&gt;the&lt;/b&gt;" in html and "&amp;" in html
    assert 'class="tok on"' in html and 'class="tok x"' in html
    assert "excluded: the duty is negated" in html
    assert "guidance L" in html and "power M · negated" in html


def test_advert_rows_lines_and_sections():
    original = "Head of Flow\n\nMain duties\n\nManage the budget. Set the vision.\nAbout us\n\nWe are big."
    sents = []
    for k, (piece, section) in enumerate([("Head of Flow\n\n", "unknown"), ("Main duties\n\n", "duties"),
                                          ("Manage the budget.", "duties"), ("Set the vision.\n", "duties"),
                                          ("About us\n\n", "about_org"), ("We are big.", "about_org")]):
        start = original.index(piece)
        sents.append({"doc_id": "d", "sent_id": k, "start": start, "end": start + len(piece), "section": section,
                      "pole": "N", "text": piece.strip()})
    rows = advert_rows(sents, [m(original.index("budget"), original.index("budget") + 6, "budget", sent_id=2)],
                       axes(), {"about_org": 0.0})
    assert [r["section"] for r in rows] == ["unknown", "duties", "duties", "about_org", "about_org"]
    assert "Manage the" in str(rows[2]["html"]) and "Set the vision." in str(rows[2]["html"])  # one line
    assert rows[1]["first"] and not rows[2]["first"] and rows[3]["first"]
    assert rows[3]["off"] and not rows[2]["off"]
    assert rows[2]["gap"]  # a blank line before it


def test_advert_rows_say_where_the_model_overruled_the_rules():
    text = "Manage the budget. Set the vision."
    sents = [{"doc_id": "d", "sent_id": 0, "start": 0, "end": 18, "section": "duties", "pole": "N",
              "rule_pole": "M", "p_L": 0.01, "p_M": 0.09, "p_N": 0.9, "text": "Manage the budget."},
             {"doc_id": "d", "sent_id": 1, "start": 19, "end": 34, "section": "duties", "pole": "L",
              "rule_pole": "L", "p_L": 0.8, "p_M": 0.1, "p_N": 0.1, "text": "Set the vision."},
             {"doc_id": "d", "sent_id": 2, "start": 35, "end": 36, "section": "duties", "pole": "N", "text": "x"}]
    html = str(advert_rows(sents, [], axes(), {})[0]["html"])
    assert html.count("sp ov") == 1
    assert "the rules said M, the model gives N a probability of 0.90" in html
    assert text[:18] in html
