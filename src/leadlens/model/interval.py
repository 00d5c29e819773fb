"""Fitting ``interval_scale``, the weighted evidence per effective count behind the interval on a post's share.

The interval on the leadership share is an equal-tailed Beta interval (:func:`leadlens.scoring.share_interval`)
whose effective counts are the post's weighted evidence divided by ``interval_scale``: the spans of one duty are
not independent, so a post's evidence counts for fewer observations than its spans. The scale is fitted as the
smallest whose interval holds the annotators' share on at least the interval's level of gold posts (those with
evidence). With the rules alone it is fitted by ``tools/fit_interval.py`` into ``scoring.json``; with the sentence
model, whose overruled sentences move a post's evidence, by ``leadlens train`` on the train posts out of fold and
stored in ``meta.json`` (``verdict.interval``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..scoring import share_interval

SCALES: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def coverage(evidence: Sequence[tuple[float, float, float]], scale: float, level: float = 0.8,
             prior: float = 0.5) -> float:
    """The fraction of (leadership, management, gold share in 0..1) triples whose interval holds the gold share."""
    if not evidence:
        raise ValueError("no posts with evidence to measure the interval's coverage on")
    inside = 0
    for lead, man, gold in evidence:
        _, lo, hi = share_interval(lead, man, level, prior, scale)
        inside += lo <= gold <= hi
    return inside / len(evidence)


def fit_interval_scale(evidence: Sequence[tuple[float, float, float]], level: float = 0.8, prior: float = 0.5,
                       scales: Sequence[float] = SCALES) -> dict[str, Any]:
    """The smallest of ``scales`` whose coverage on ``evidence`` reaches ``level`` (the largest when none does).

    Returns ``{"scale", "coverage", "n", "table"}``, ``table`` giving the coverage of every scale tried (a wider
    interval, from a larger scale, never covers less)."""
    table = [(float(s), round(coverage(evidence, s, level, prior), 4)) for s in sorted(scales)]
    chosen = next(((s, c) for s, c in table if c >= level), table[-1])
    return {"scale": chosen[0], "coverage": chosen[1], "n": len(evidence), "table": table}
