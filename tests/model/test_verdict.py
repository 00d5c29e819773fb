"""Fitting verdict settings and the verdict classifier to gold post verdicts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leadlens.model.verdict import (POST_FEATURES, VerdictClassifier, compare_verdict_rules, fit_verdict, kappa,
                                    post_features, summary, verdicts)


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


# --- the verdict classifier --------------------------------------------------------------------------------------

def _posts(n: int = 120, seed: int = 0):
    """Synthetic post features whose verdict follows the counts of L and M sentences (not the evidence share)."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for _ in range(n):
        n_l, n_m = rng.integers(0, 8), rng.integers(0, 8)
        lead, man = float(rng.uniform(0, 10)), float(rng.uniform(0, 10))
        row = [np.log1p(lead), np.log1p(man), lead / (lead + man), np.log1p(n_l), np.log1p(n_m), np.log1p(n_l * .8),
               np.log1p(n_m * .8), (n_l * .8 + 1) / (n_l * .8 + n_m * .8 + 2), np.log1p(20)]
        X.append(row)
        y.append("insufficient" if n_l + n_m < 3 else "leadership" if n_l > 2 * n_m else
                 "management" if n_m > 2 * n_l else "mixed")
    return X, y


def test_classifier_learns_a_count_rule_and_round_trips_through_json():
    X, y = _posts()
    clf = VerdictClassifier(C=10.0).fit(X, y)
    assert (clf.predict(X) == np.array(y, dtype=object)).mean() > 0.8
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 4) and np.allclose(proba.sum(axis=1), 1)
    again = VerdictClassifier.from_dict(json.loads(json.dumps(clf.to_dict())))
    assert np.allclose(again.predict_proba(X), proba, atol=1e-6)
    assert list(again.predict(X)) == list(clf.predict(X))


def test_classifier_refuses_bad_input_and_foreign_features():
    X, y = _posts(20)
    with pytest.raises(ValueError, match="post features"):
        VerdictClassifier().fit([row[:3] for row in X], y)
    with pytest.raises(ValueError, match="20 feature rows for 19"):
        VerdictClassifier().fit(X, y[:19])
    with pytest.raises(ValueError, match="two verdicts"):
        VerdictClassifier().fit(X, ["mixed"] * 20)
    d = VerdictClassifier().fit(X, y).to_dict()
    d["features"] = ["share"]
    with pytest.raises(ValueError, match="features"):
        VerdictClassifier.from_dict(d)


def test_binary_classifier_gives_two_probabilities():
    X, y = _posts(60)
    y2 = ["insufficient" if v == "insufficient" else "management" for v in y]
    clf = VerdictClassifier().fit(X, y2)
    assert clf.predict_proba(X).shape == (60, 2)
    assert (clf.predict(X) == np.array(y2, dtype=object)).mean() > 0.8


def test_a_post_without_evidence_is_insufficient_whatever_the_classifier_says(analyser):
    X, y = _posts()
    clf = VerdictClassifier().fit(X, ["leadership" if i % 2 else "mixed" for i in range(len(y))])
    weights = analyser.rules.scoring["section_weights"]
    empty = analyser.analyse("Provide direct patient care.", title="Staff Nurse")
    assert empty.score.leadership + empty.score.management == 0
    verdict_, probs = clf.verdict(empty, weights)
    # the rule decides, with certainty, whatever the classifier's classes
    assert verdict_ == "insufficient" and probs == {"leadership": 0.0, "mixed": 0.0, "insufficient": 1.0}
    busy = analyser.analyse("• Set the strategic vision for the service.\n• Inspire and empower the team.\n"
                            "• Lead the transformation of the service.", title="Head of Service")
    assert clf.verdict(busy, weights)[0] in {"leadership", "mixed"}


def test_post_features_leave_out_sections_that_do_not_count(analyser):
    weights = analyser.rules.scoring["section_weights"]
    duties = "Main duties\n• Manage the ward budget.\n• Supervise the rota.\n"
    org = "About us\nWe manage budgets and supervise rotas across the Trust.\n"
    plain = post_features(analyser.analyse(duties, title="Ward Manager"), weights)
    with_org = post_features(analyser.analyse(org + duties, title="Ward Manager"), weights)
    assert len(plain) == len(POST_FEATURES)
    assert with_org[POST_FEATURES.index("log_m_sentences")] == plain[POST_FEATURES.index("log_m_sentences")] > 0


def test_compare_verdict_rules_scores_both_rules_out_of_fold():
    X, y = _posts(150, seed=1)
    evidence = [(float(np.expm1(r[0])), float(np.expm1(r[1]))) for r in X]
    out = compare_verdict_rules(y, evidence, X, n_splits=5)
    assert out["thresholds"]["n"] == out["classifier"]["n"] == 150
    # the gold follows counts the evidence share does not show: only the classifier can find it
    assert out["classifier"]["kappa"] > out["thresholds"]["kappa"] + 0.2


def test_the_model_card_says_which_verdict_rule_decides():
    from leadlens.model.card import _verdict_section

    base = {"settings": {"min_evidence": 3.0, "leadership_at_least": 0.7, "management_at_most": 0.45},
            "train_oof": {"n": 40, "kappa": 0.6}, "train_rules_only": {"n": 40, "kappa": 0.5},
            "compared": {"thresholds": {"kappa": 0.55}, "classifier": {"kappa": 0.6}, "n_splits": 5}}
    chosen = "\n".join(_verdict_section({**base, "rule": "classifier"}))
    kept = "\n".join(_verdict_section({**base, "rule": "thresholds"}))
    assert "the classifier decides the verdict" in chosen and "unless the classifier below decides" in chosen
    assert "the thresholds decide." in kept and "unless the classifier" not in kept
    assert "kappa 0.550 and the classifier 0.600" in chosen
