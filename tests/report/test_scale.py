"""A 15,000-advert run gives a small report: tables capped, plots aggregated, no advert text inlined."""

from __future__ import annotations

import time

from reportkit import synthetic_output

from leadlens.report import build, load_output, safe_name, write_report


def test_report_for_15000_adverts_stays_small(tmp_path):
    out = synthetic_output(tmp_path / "big", 15_000)
    started = time.time()
    report = write_report(out)
    seconds = time.time() - started
    size = report.stat().st_size
    assert size < 20 * 1024 * 1024, size
    assert size < 2 * 1024 * 1024, size  # in practice well under the budget
    assert seconds < 240, seconds
    html = report.read_text(encoding="utf-8")
    assert "You will manage the budget" not in html  # advert text lives only in the explanation pages
    docs = load_output(out, sentences=False).documents
    lino = docs[docs["leader_in_name_only"]].sort_values("leadership_share")
    assert len(lino) > build.LINO_CAP
    assert f"Showing {build.LINO_CAP:,} of" in html
    pages = {p.name for p in (out / "explain").glob("*.html")}
    assert len(pages) == build.LINO_CAP
    assert safe_name(lino["doc_id"].iloc[0]) in pages
    assert 'id="posts"' not in html  # no all-posts table for a large run
    assert "By band" in html and "By employer" not in html  # 200 employers are too many for a breakdown
    from openpyxl import load_workbook

    wb = load_workbook(out / "summary.xlsx", read_only=True)
    assert wb["documents"].max_row == 15_001
    assert wb["matches"].max_row <= 50_002
