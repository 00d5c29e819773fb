"""Fitting verdict settings to gold post verdicts."""

from __future__ import annotations

import pytest

from leadlens.model.verdict import fit_verdict, kappa, summary, verdicts


def test_verdicts_follow_the_settings():
    settings = {"min_evidence": 3.0, "leadership_at_least": 0.6, "management_at_most": 0.4}
    assert verdicts([(1, 1), (9, 1), (1, 9), (5, 5)], settings) == ["insufficient", "leadership", "management",
                                                                      "mixed"]


def test_fit_recovers_settings_that_explain_the_gold():
    evidence = [(0.5, 0.5), (1.0, 0.0), (8, 1), (7, 2), (1, 8), (2, 7), (5, 5), (4, 6), (6, 4), (2.5, 0)]
    truth = {"min_evidence": 3.0, "leadership_at_least": 0.7, "management_at_most": 0.3}
    gold = verdicts(evidence, truth)
    settings, k = fit_verdict(gold, evidence)
    assert k == 1.0 and verdicts(evidence, settings) == gold
    assert summary(gold, evidence, settings) == {"n": 10, "kappa": 1.0, "accuracy": 1.0}


def test_ties_prefer_central_thresholds_and_less_evidence():
    evidence = [(10, 0), (0, 10), (0.1, 0.1)]
    gold = ["leadership", "management", "insufficient"]
    settings, k = fit_verdict(gold, evidence)
    assert k == 1.0
    assert settings["leadership_at_least"] + settings["management_at_most"] == pytest.approx(1.0)
    assert settings["min_evidence"] == 1.0


def test_fit_refuses_bad_input():
    with pytest.raises(ValueError, match="2 gold verdicts for 1"):
        fit_verdict(["mixed", "mixed"], [(1, 1)])
    with pytest.raises(ValueError, match="no gold"):
        fit_verdict([], [])
    assert kappa(["mixed"], ["mixed"]) == 1.0
