"""Summaries of an output folder (pure pandas) and the small helpers of the report."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from leadlens.evaluate import metrics
from leadlens.report import tables
from leadlens.report.build import evaluation_view, settings_from_run
from leadlens.report.html import num, pct
from leadlens.report.plots import to_svg


@pytest.mark.parametrize(("cell", "back"), [
    ("'=SUM(A1)", "=SUM(A1)"), ("'+44", "+44"), ("'- Chair meetings", "- Chair meetings"), ("'@x", "@x"),
    ("'\tx", "\tx"), ("'quoted'", "'quoted'"), ("'", "'"), ("plain", "plain"), (3.0, 3.0),
])
def test_unescape_cell(cell, back):
    assert tables.unescape_cell(cell) == back


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "ok"])
def test_neutralise_round_trip(text):
    assert tables.unescape_cell(tables.neutralise_cell(text)) == text
    assert not str(tables.neutralise_cell(text)).startswith(tables.FORMULA_START)


def docs_frame(**extra) -> pd.DataFrame:
    n = 6
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "title": ["Head of X"] * n,
                       "title_kind": ["leader", "leader", "manager", "other", "leader", "manager"],
                       "leadership_share": [0.1, 0.9, 0.2, math.nan, 0.3, 0.5],
                       "verdict": ["management", "leadership", "management", "insufficient", "management", "mixed"],
                       "leader_in_name_only": [True, False, False, False, True, False], "error": [""] * n,
                       "L_focus": [0, 2, 0, 0, 0, 1.0], "M_focus": [1, 0, 3, 0, 2, 1.0]})
    for k, v in extra.items():
        df[k] = v
    return df


def test_carried_columns():
    df = docs_frame(band=["5", "5", "7", "7", "8a", ""], employer=[f"T{i}" for i in range(6)],
                    one=["x"] * 6, long=["a" * 100, "a" * 100, "b" * 100, "b" * 100, "a" * 100, "a" * 100],
                    stratum=["lead", "lead", "man", "man", "lead", "man"])
    assert tables.carried_columns(df) == ["band", "stratum"]


def test_breakdown_natural_order_and_pools():
    df = docs_frame(band=["10", "9", "8a", "8b", "", "9"])
    b = tables.breakdown(df, "band")
    assert list(b["value"]) == ["8a", "8b", "9", "10", "(blank)"]
    assert int(b.loc[b["value"] == "9", "posts"].iloc[0]) == 2
    b = tables.breakdown(df, "band", max_values=2)
    assert "(other)" in set(b["value"])


def test_headline_and_share_by_kind():
    df = docs_frame()
    out = tables.Output(folder=None, documents=df, sentences=pd.DataFrame(),  # type: ignore[arg-type]
                        matches=pd.DataFrame({"status": ["counted", "negated"]}))
    h = tables.headline(out)
    assert (h["posts"], h["leader_titled"], h["leader_in_name_only"]) == (6, 3, 2)
    assert round(h["lino_pct"]) == 67
    s = tables.share_by_title_kind(df).set_index("title_kind")
    assert s.loc["other", "with_evidence"] == 0 and s.loc["leader", "posts"] == 3


def test_axis_profile_both_poles():
    p = tables.axis_profile(docs_frame()).set_index("axis")
    assert list(p.index)[:1] == ["focus"] and len(p) == 9
    assert p.loc["focus", "L_total"] == 3 and p.loc["focus", "M_total"] == 7 and p.loc["focus", "M_posts"] == 4
    assert p.loc["risk", "L_total"] == 0  # axes without a column count zero


def test_themes_per_pole():
    m = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "pole": ["L", "L", "L", "M", "M"],
                      "axis": ["guidance", "guidance", "style", "power", "power"],
                      "rule_id": ["vision.set", "vision.shape", "coach.coach", "control.budget", "control.budget"],
                      "lemma": ["set direction", "shape", "coach", "budget", "budget"], "weight": [1, 1, 1, 1, 0.0],
                      "status": ["counted", "counted", "counted", "counted", "negated"]})
    m["theme"] = m["rule_id"].str.split(".").str[0]
    t = tables.themes(m)
    assert list(t["L"]["theme"]) == ["vision", "coach"]
    assert t["L"].iloc[0]["posts"] == 1 and "vision.set (1)" in t["L"].iloc[0]["top_rules"]
    assert list(t["M"]["spans"]) == [1]  # the negated span does not count


def test_evaluation_view_accepts_every_shape():
    sc = metrics("contrast", ["L", "M", "N"], ["L", "M", "M"], data="3 sentences")
    for given in ({"contrast": sc}, {"contrast": (sc, pd.DataFrame())}, {"contrast": sc.as_dict()}, sc.as_dict()):
        [e] = evaluation_view(given)
        assert e["name"] == "contrast" and ("macro-F1", f"{sc.macro_f1:.3f}") in e["figures"]
        assert list(e["confusion"].columns) == ["gold", "pred L", "pred M", "pred N"]
    assert evaluation_view(None) == []
    assert evaluation_view({"note": "x"})[0]["figures"] == [("value", "x")]


def test_settings_default_when_run_json_is_thin():
    s = settings_from_run({})
    assert (s["thr_L"], s["thr_M"], s["min_ev"], s["level"]) == (0.6, 0.4, 2.0, "80%")


def test_number_formats():
    assert pct(0.234) == "23%" and pct(math.nan) == "–" and pct(None) == "–"
    assert num(3.0) == "3" and num(2.5) == "2.5" and num(1234) == "1,234" and num(math.nan) == "–"


def test_svg_ids_are_prefixed():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], marker="o")
    ax.set_title("$5 & <b>")
    svg = to_svg(fig, "p1", "a <title>")
    assert svg.startswith("<svg ") and "<?xml" not in svg and "<metadata>" not in svg
    assert 'aria-label="a &lt;title>"' in svg
    import re

    assert all(i.startswith("p1-") for i in re.findall(r'\bid="([^"]+)"', svg))
    assert all(i.startswith("p1-") for i in re.findall(r'href="#([^"]+)"', svg))


def test_separating_words():
    docs = pd.DataFrame({"doc_id": ["a1", "a2", "a3", "b1", "b2", "b3"], "error": [""] * 6,
                         "title_kind": ["leader"] * 3 + ["manager"] * 3})
    rows = [("a1", "vision"), ("a2", "vision"), ("a3", "vision"), ("a1", "rota"), ("b1", "rota"), ("b2", "rota"),
            ("b3", "rota"), ("b1", "budget"), ("a2", "once")]
    m = pd.DataFrame([{"doc_id": d, "lemma": w, "axis": "x", "pole": "L" if w == "vision" else "M",
                       "status": "counted"} for d, w in rows])
    w = tables.separating_words(docs, m, min_posts=2)
    assert w["lemma"].iloc[0] == "vision" and w["lemma"].iloc[-1] == "rota"
    assert "once" not in set(w["lemma"]) and "budget" not in set(w["lemma"])
    assert w.loc[w["lemma"] == "vision", "posts_leader"].iloc[0] == 3
    assert w["z"].is_monotonic_decreasing


def test_plot_text_from_data_is_escaped_and_not_math():
    from leadlens.report import plots

    df = docs_frame(band=["<script>x</script>", "<script>x</script>", "$5 and $6", "$5 and $6", "a&b", "a&b"])
    p = plots.breakdown(tables.breakdown(df, "band"), "band")
    svg = str(p.svg)
    assert "<script" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    assert "$5 and $6" in svg and "a&amp;b" in svg
    assert p.title and p.caption
