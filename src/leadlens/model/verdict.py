"""Fitting the verdict settings (minimum evidence, share thresholds) to gold post verdicts.

A post's verdict follows its evidence: ``insufficient`` below ``min_evidence``, else ``leadership`` or
``management`` past a threshold on the leadership share, else ``mixed`` (:func:`leadlens.scoring.verdict`).
:func:`fit_verdict` searches a grid of the three settings for the best Cohen's kappa with the gold verdicts; ties go
to the setting whose thresholds are most central (``leadership_at_least + management_at_most`` closest to 1),
then to the smaller minimum evidence. Used by ``tools/fit_verdict.py`` (the rules alone, ``scoring.json``) and by
:func:`leadlens.model.train.train` (the rules with the sentence model, out of fold; stored in ``meta.json``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from sklearn.metrics import cohen_kappa_score

from ..scoring import verdict

MIN_EVIDENCE = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
LEADERSHIP_AT_LEAST = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75)
MANAGEMENT_AT_MOST = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def verdicts(evidence: Sequence[tuple[float, float]], settings: dict[str, float]) -> list[str]:
    """The verdict of each (leadership, management) evidence pair under ``settings``."""
    out = []
    for lead, man in evidence:
        share = lead / (lead + man) if lead + man else 0.0
        out.append(verdict(lead, man, share, settings))
    return out


def kappa(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Cohen's kappa (1.0 when both sides hold the same single label)."""
    if len(set(gold) | set(pred)) <= 1:
        return 1.0
    return float(cohen_kappa_score(list(gold), list(pred)))


def fit_verdict(gold: Sequence[str], evidence: Sequence[tuple[float, float]],
                min_evidence: Sequence[float] = MIN_EVIDENCE,
                leadership_at_least: Sequence[float] = LEADERSHIP_AT_LEAST,
                management_at_most: Sequence[float] = MANAGEMENT_AT_MOST) -> tuple[dict[str, float], float]:
    """The grid point with the best kappa between :func:`verdicts` and ``gold``; returns (settings, kappa)."""
    if len(gold) != len(evidence):
        raise ValueError(f"{len(gold)} gold verdicts for {len(evidence)} evidence pairs")
    if not gold:
        raise ValueError("no gold verdicts to fit on")
    best: tuple[tuple[float, float, float], dict[str, float], float] | None = None
    for mn, la, ma in itertools.product(min_evidence, leadership_at_least, management_at_most):
        if ma >= la:
            continue
        settings = {"min_evidence": float(mn), "leadership_at_least": float(la), "management_at_most": float(ma)}
        k = kappa(gold, verdicts(evidence, settings))
        key = (round(k, 6), -round(abs(la + ma - 1), 6), -float(mn))
        if best is None or key > best[0]:
            best = (key, settings, k)
    assert best is not None
    return best[1], best[2]


def summary(gold: Sequence[str], evidence: Sequence[tuple[float, float]], settings: dict[str, Any]) -> dict[str, Any]:
    """Kappa and accuracy of ``settings`` on some posts."""
    pred = verdicts(evidence, settings)
    return {"n": len(gold), "kappa": round(kappa(gold, pred), 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4)}
