"""The report folder written by ``write_report``: content, escaping, links, self-containment, XLSX."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from leadlens.report import ReportError, load_output, safe_name, write_report

from reportkit import SCRIPT_TITLE

ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):  # noqa: ANN001
        if self._in_script:
            self.scripts[-1] += data


def parse(path: Path) -> Collector:
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def assert_self_contained(path: Path) -> Collector:
    """No resource is fetched: no external src/href for scripts, styles, images, frames, fonts."""
    c = parse(path)
    for tag, attrs in c.tags:
        if tag == "script":
            assert "src" not in attrs, f"{path.name}: external script {attrs}"
        if tag == "link":
            raise AssertionError(f"{path.name}: <link> element {attrs}")
        if tag in ("img", "iframe", "embed", "object", "audio", "video", "source", "image", "use"):
            for key in ("src", "href", "xlink:href", "data"):
                v = attrs.get(key) or ""
                assert not v or v.startswith(("#", "data:")), f"{path.name}: <{tag} {key}={v!r}>"
        for key in ("src", "href", "xlink:href"):
            v = (attrs.get(key) or "").strip().lower()
            assert not v.startswith(("http://", "https://", "//")), f"{path.name}: <{tag} {key}={v!r}>"
    text = path.read_text(encoding="utf-8")
    assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    csp = [a.get("content") or "" for t, a in c.tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0]  # the CSP forbids every network source
    return c


@pytest.fixture(params=["batch_out", "lexicon_out"])
def out(request) -> Path:
    return request.getfixturevalue(request.param)


def test_files_written(out):
    assert (out / "report.html").is_file()
    assert (out / "summary.xlsx").is_file()
    assert list((out / "explain").glob("*.html"))


def test_report_sections(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    for anchor in ("headline", "share", "axes", "lino", "themes", "failed", "methods"):
        assert f'id="{anchor}"' in html
    assert "Leaders in name only" in html and "lexicon hash" in html
    run = load_output(out, sentences=False).run
    assert run["lexicon_hash"] in html
    assert "[E014]" in html  # the empty file's error is listed
    c = parse(out / "report.html")
    figures = [a for t, a in c.tags if t == "figure"]
    assert len(figures) >= 4
    assert html.count("<figcaption>") == len(figures)
    assert html.count("<svg ") >= 4


def test_markup_title_is_escaped(out):
    report = (out / "report.html").read_text(encoding="utf-8")
    assert SCRIPT_TITLE not in report
    assert ESCAPED_TITLE in report
    page = out / "explain" / safe_name("zz-markup-title.txt")
    html = page.read_text(encoding="utf-8")
    assert SCRIPT_TITLE not in html and ESCAPED_TITLE in html
    assert "<b>" not in html and "&lt;b&gt;and&lt;/b&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_only_the_sort_script_runs(out):
    c = parse(out / "report.html")
    assert len(c.scripts) == 1 and "sortable" in c.scripts[0]
    for page in (out / "explain").glob("*.html"):
        assert parse(page).scripts == []


def test_self_contained(out):
    assert_self_contained(out / "report.html")
    for page in (out / "explain").glob("*.html"):
        assert_self_contained(page)


def test_links_resolve(out):
    c = parse(out / "report.html")
    links = [a["href"] for t, a in c.tags if t == "a" and a.get("href") and not a["href"].startswith("#")]
    assert links
    for href in links:
        target = (out / href).resolve()
        assert target.is_file(), href
        assert target.parent == (out / "explain").resolve()
    anchors = {a.get("id") for _, a in c.tags if a.get("id")}
    for t, a in c.tags:
        if t == "a" and (a.get("href") or "").startswith("#"):
            assert a["href"][1:] in anchors
    for page in (out / "explain").glob("*.html"):
        back = [a["href"] for t, a in parse(page).tags if t == "a" and a.get("href")]
        assert back == ["../report.html"]


def test_every_scored_post_explained_in_a_small_run(out):
    docs = load_output(out, sentences=False).scored
    names = {p.name for p in (out / "explain").glob("*.html")}
    assert names == {safe_name(d) for d in docs["doc_id"]}


def test_explanation_shows_verdict_sections_and_spans(lexicon_out):
    out = lexicon_out
    docs = load_output(out, sentences=False).documents.set_index("doc_id")
    html = (out / "explain" / safe_name("01-head-of-patient-flow.txt")).read_text(encoding="utf-8")
    d = docs.loc["01-head-of-patient-flow.txt"]
    assert d["verdict"] in html and "interval" in html
    assert "Head of Patient Flow" in html and "Person Specification" in html
    assert 'class="margin sec-duties sec-start"' in html
    c = parse(out / "explain" / safe_name("01-head-of-patient-flow.txt"))
    toks = [a for t, a in c.tags if t == "span" and (a.get("class") or "").startswith("tok")]
    assert toks and all(a.get("title") for a in toks)
    # every excluded span is struck through and says why on hover
    m = load_output(out, sentences=False).matches
    excluded = m[(m["doc_id"] == "bands.csv#b5") & (m["status"] != "counted")]
    assert len(excluded)
    page = parse(out / "explain" / safe_name("bands.csv#b5"))
    struck = [a for t, a in page.tags if t == "span" and a.get("class") == "tok x"]
    assert len(struck) >= len(excluded)
    for a in struck:
        assert "excluded:" in a["title"]


def test_spans_sit_on_their_text(lexicon_out):
    """Each highlighted word is inside the span text that matches.csv records for that document."""
    out = load_output(lexicon_out)
    for doc_id in ("01-head-of-patient-flow.txt", "bands.csv#b5", "zz-markup-title.txt"):
        words = set()
        c = Collector()
        html = (lexicon_out / "explain" / safe_name(doc_id)).read_text(encoding="utf-8")
        for w in re.findall(r'<span class="w">([^<]*)</span>', html):
            words.add(w)
        c.feed(html)
        expected = " ".join(out.matches.loc[out.matches["doc_id"] == doc_id, "text"])
        import html as htmlmod

        for w in words:
            assert htmlmod.unescape(w) in expected, (doc_id, w)


def test_breakdowns_by_carried_columns(lexicon_out):
    html = (lexicon_out / "report.html").read_text(encoding="utf-8")
    assert 'id="breakdowns"' in html
    assert "By band" in html and "By employer" in html
    assert "Northfield NHS Trust" in html


def test_evaluation_in_methods(lexicon_out, batch_out):
    assert "macro-F1" in (lexicon_out / "report.html").read_text(encoding="utf-8")
    assert "No evaluation was given" in (batch_out / "report.html").read_text(encoding="utf-8")


def test_xlsx(out):
    from openpyxl import load_workbook

    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["documents", "axes", "matches"]
    docs = load_output(out, sentences=False).documents
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    ws = wb["documents"]
    assert ws.max_row == len(docs) + 1
    titles = [c.value for c in next(ws.iter_cols(min_col=3, max_col=3))]
    assert titles[0] == "title"
    assert "'=HYPERLINK(\"http://example.invalid\",\"x\")" in titles
    assert SCRIPT_TITLE in titles


def test_default_explains_only_table_posts(lexicon_out, tmp_path, monkeypatch):
    from leadlens.report import build

    out = tmp_path / "copy"
    shutil.copytree(lexicon_out, out)
    monkeypatch.setattr(build, "ALL_POSTS_MAX", 0)
    write_report(out)
    docs = load_output(out, sentences=False).documents
    lino = docs.loc[docs["leader_in_name_only"], "doc_id"]
    assert len(lino)
    names = {p.name for p in (out / "explain").glob("*.html")}
    assert names == {safe_name(d) for d in lino}  # and the earlier pages of other posts are gone
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="posts"' not in html
    write_report(out, explain_all=True)
    assert len(list((out / "explain").glob("*.html"))) == int((docs["error"] == "").sum())


def test_missing_folder_has_a_coded_error(tmp_path):
    with pytest.raises(ReportError) as info:
        write_report(tmp_path / "nothing-here")
    assert info.value.code == "R001"
    (tmp_path / "documents.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        write_report(tmp_path)
    assert info.value.code == "R002"


def test_load_output_round_trips_formula_cells(batch_out):
    out = load_output(batch_out)
    titles = set(out.documents["title"])
    assert "=HYPERLINK(\"http://example.invalid\",\"x\")" in titles
    raw = pd.read_csv(batch_out / "documents.csv", keep_default_na=False)
    assert "'=HYPERLINK(\"http://example.invalid\",\"x\")" in set(raw["title"])


def test_degenerate_folders(tmp_path):
    """Only failures, or no span at all: the report is still written and says so."""
    from leadlens.analysis import MATCH_COLUMNS
    from leadlens.batch import DOC_COLUMNS, SENT_COLUMNS, Results

    docs = pd.DataFrame([{"doc_id": "bad.txt", "source": "bad.txt", "title": "", "error": "[E014] bad.txt: empty",
                          "leader_in_name_only": False}]).reindex(columns=DOC_COLUMNS)
    Results(docs, pd.DataFrame(columns=SENT_COLUMNS), pd.DataFrame(columns=MATCH_COLUMNS), {}).write(tmp_path / "a")
    html = write_report(tmp_path / "a").read_text(encoding="utf-8")
    assert "[E014] bad.txt: empty" in html and "run.json" in html
    docs = pd.DataFrame([{"doc_id": "ok.txt", "source": "ok.txt", "title": "Head of Things", "title_kind": "leader",
                          "words": 3, "leadership": 0.0, "management": 0.0, "verdict": "insufficient",
                          "leader_in_name_only": False, "error": ""}]).reindex(columns=DOC_COLUMNS)
    sents = pd.DataFrame([{"doc_id": "ok.txt", "sent_id": 0, "start": 0, "end": 14, "section": "unknown", "pole": "N",
                           "leadership": 0, "management": 0, "text": "Head of Things"}])
    Results(docs, sents, pd.DataFrame(columns=MATCH_COLUMNS), {}).write(tmp_path / "b")
    html = write_report(tmp_path / "b").read_text(encoding="utf-8")
    assert "No lexicon span was found" in html
    assert (tmp_path / "b" / "explain" / safe_name("ok.txt")).is_file()


def test_methods_facts_name_the_sentence_model():
    from leadlens.report.build import _run_facts

    with_model = dict(_run_facts({"sentence_model": {"path": "/m", "threshold": 0.6, "digest": "ab" * 32,
                                                     "rules_match": False}}))
    assert with_model["sentence model"].startswith("/m (overrules a sentence's pole at probability ≥ 0.6")
    assert "trained on other rules" in with_model["sentence model"]
    assert dict(_run_facts({"sentence_model": None}))["sentence model"].startswith("none")
    assert "sentence model" not in dict(_run_facts({}))  # runs written before the model existed


def test_a_run_decided_by_the_verdict_classifier_says_so(tmp_path):
    import json

    from reportkit import synthetic_output

    folder = synthetic_output(tmp_path / "run", n_docs=4)
    html = write_report(folder, explain_all=True).read_text(encoding="utf-8")
    assert "verdict classifier" not in html
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    run["scoring"] = {"verdict": {"min_evidence": 3.0, "leadership_at_least": 0.65, "management_at_most": 0.45},
                      "verdict_rule": "classifier"}
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    html = write_report(folder, explain_all=True).read_text(encoding="utf-8")
    assert "decided by the <strong>verdict" in html and "65%" in html
    pages = list((folder / "explain").glob("*.html"))
    assert pages and all("verdict classifier" in p.read_text(encoding="utf-8") for p in pages)


def test_an_explain_page_gives_the_verdict_classifiers_probability_when_there_is_one(tmp_path):
    import pandas as pd
    from reportkit import synthetic_output

    folder = synthetic_output(tmp_path / "run", n_docs=4)
    docs = pd.read_csv(folder / "documents.csv", dtype={"doc_id": str})
    # the second post has no evidence: insufficient by rule (probability 1), which the page does not credit to the
    # classifier
    docs.loc[1, ["leadership", "management"]] = 0.0
    docs["verdict_confidence"] = [0.873, 1.0, None, None]
    docs.to_csv(folder / "documents.csv", index=False)
    write_report(folder, explain_all=True)
    pages = [p.read_text(encoding="utf-8") for p in (folder / "explain").glob("*.html")]
    said = [p for p in pages if "The verdict classifier gives this verdict a" in p]
    assert len(pages) == 4 and len(said) == 1 and "87.3%" in said[0]
