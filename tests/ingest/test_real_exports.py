"""The readers on real exports in ../shared/data (skipped where that folder is absent, as in a fresh clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadlens.ingest import iter_postings

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
WEBSCRAPER_CSV = SHARED_DATA / "nhs_jobs_webscraper_2020" / "raw_data_oct2020_sample.csv"
DFE_MARKDOWN = SHARED_DATA / "dfe_digital_job_descriptions" / "jd"

pytestmark = pytest.mark.shared_data


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real export not found at {path} (../shared/data is present in CI, absent in a fresh clone)")
    return path


def test_nhs_jobs_webscraper_csv():
    """13 columns; the advert is "Description", the title "Title", the id "Job Ref"; the rest is meta."""
    posts = list(iter_postings([_need(WEBSCRAPER_CSV)], text_field="Description", title_field="Title",
                               id_field="Job Ref"))
    assert len(posts) == 40 and len({p.doc_id for p in posts}) == 40
    good = [p for p in posts if p.ok]
    assert len(good) >= 30
    for p in posts:
        assert p.doc_id.startswith("raw_data_oct2020_sample.csv#") and p.title
        assert {"Employer", "Pay Band", "Salary", "Department"} <= set(p.meta)
        assert not {"Description", "Title", "Job Ref"} & set(p.meta)
    for p in posts:
        if not p.ok:
            assert p.error.startswith("[E014]") and "'Description'" in p.error
    bands = {p.meta["Pay Band"] for p in good} - {"None"}  # meta is kept verbatim, "None" too
    assert bands <= {"5", "6", "7", "8a", "8b", "8c", "8d", "9"}
    assert all("\r" not in p.text and "\x00" not in p.text for p in good)


def test_nhs_jobs_webscraper_csv_with_lower_case_field_names():
    posts = list(iter_postings([_need(WEBSCRAPER_CSV)], text_field="description", title_field="title",
                               id_field="job ref"))
    assert sum(p.ok for p in posts) >= 30 and posts[0].title


def test_dfe_markdown_job_descriptions():
    folder = _need(DFE_MARKDOWN)
    files = sorted(f.name for f in folder.glob("*.md"))
    posts = list(iter_postings([folder]))
    assert [p.doc_id for p in posts] == files
    for p in posts:
        assert p.ok, p.error
        first_heading = next(ln for ln in p.text.split("\n") if ln.startswith("# "))
        assert p.title == first_heading[2:].strip()
