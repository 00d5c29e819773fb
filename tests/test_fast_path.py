"""The fast path (units that cannot match are not parsed) gives exactly the spans and poles of the full path.

Compared span by span (start, end, rule_id, status, weight) and sentence by sentence (pole) on the sample corpus
and on 500 real NHS adverts (the 420 of the curated sample and 80 more from the full November 2020 export).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from .conftest import SAMPLE, SHARED_DATA

NHS = SHARED_DATA / "nhs_jobs_2020"
CURATED = NHS / "nhs_jobs_curated_sample.jsonl"
FULL = NHS / "nhs_jobs_nov2020_clean.jsonl.gz"
N_REAL = 500

pytestmark = pytest.mark.slow


def _signature(result) -> tuple[list[tuple], list[str]]:
    spans = [(m.start, m.end, m.rule_id, m.status, m.weight) for m in result.matches]
    return spans, [s.pole for s in result.sentences]


def _differences(analyser, items: list[tuple[str, str | None, str]]) -> list[str]:
    """One message per posting whose fast and full results differ."""
    rows = [(text, title, doc_id, "", {}) for text, title, doc_id in items]
    fast = [_signature(r) for r in analyser.analyse_many(rows, fast=True)]
    full = [_signature(r) for r in analyser.analyse_many(rows, fast=False)]
    assert len(fast) == len(full) == len(items)
    out = []
    for (text, _, doc_id), (f_spans, f_poles), (g_spans, g_poles) in zip(items, fast, full):
        if f_spans == g_spans and f_poles == g_poles:
            continue
        only_fast = sorted(set(f_spans) - set(g_spans))
        only_full = sorted(set(g_spans) - set(f_spans))
        shown = "; ".join(f"{s[2]} {text[s[0]:s[1]]!r}" for s in (only_full + only_fast)[:5])
        poles = [k for k, (a, b) in enumerate(zip(f_poles, g_poles)) if a != b]
        out.append(f"{doc_id}: {len(only_full)} spans only in the full path, {len(only_fast)} only in the fast path "
                   f"({shown}); sentence poles differ at {poles[:10]}")
    return out


def _real_adverts(n: int) -> list[tuple[str, str | None, str]]:
    items: list[tuple[str, str | None, str]] = []
    with CURATED.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            items.append((r["description"], r.get("title"), f"curated:{r['id']}"))
    seen = {doc_id.split(":", 1)[1] for _, _, doc_id in items}
    if FULL.is_file():
        with gzip.open(FULL, "rt", encoding="utf-8") as fh:
            for line in fh:
                if len(items) >= n:
                    break
                r = json.loads(line)
                if r.get("description") and str(r["id"]) not in seen:
                    items.append((r["description"], r.get("title"), f"nov2020:{r['id']}"))
    return items[:n]


def test_fast_path_equals_full_path_on_the_sample_corpus(analyser):
    items = [(p.read_text(encoding="utf-8"), None, p.name) for p in sorted(Path(SAMPLE).glob("*.txt"))]
    assert items, f"no sample adverts in {SAMPLE}"
    diffs = _differences(analyser, items)
    assert not diffs, "fast and full paths differ:\n" + "\n".join(diffs)


@pytest.mark.shared_data
def test_fast_path_equals_full_path_on_500_real_adverts(analyser):
    if not CURATED.is_file():
        pytest.skip(f"shared NHS Jobs data not found at {CURATED} (present in CI, absent in a fresh clone)")
    items = _real_adverts(N_REAL)
    if not FULL.is_file():  # only the curated sample: compare what there is, and say so
        assert len(items) == 420
    else:
        assert len(items) == N_REAL
    diffs = _differences(analyser, items)
    assert not diffs, f"fast and full paths differ on {len(diffs)} of {len(items)} adverts:\n" + "\n".join(diffs)
