"""Fitting the verdict settings (minimum evidence, share thresholds) to gold post verdicts.

A post's verdict follows its evidence: ``insufficient`` below ``min_evidence``, else ``leadership`` or
``management`` past a threshold on the leadership share, else ``mixed`` (:func:`leadlens.scoring.verdict`).
:func:`fit_verdict` searches a grid of the three settings for the best Cohen's kappa with the gold verdicts; ties go
to the setting whose thresholds are most central (``leadership_at_least + management_at_most`` closest to 1),
then to the smaller minimum evidence. Used by ``tools/fit_verdict.py`` (the rules alone, ``scoring.json``) and by
:func:`leadlens.model.train.train` (the rules with the sentence model, out of fold; stored in ``meta.json``).

With the sentence model a post's verdict can instead come from :class:`VerdictClassifier`, a small multinomial
logistic regression over nine figures of the post (:data:`POST_FEATURES`: its evidence and share, how many of its
sentences are L and M, and the model's summed probabilities). Annotators weigh a post's duties by more than one
share and one minimum: how many separate duties name a pole counts as well as their weight. ``leadlens train``
fits it on the train posts out of fold and keeps it only when it beats the thresholds in cross-validation over
posts. A post with no evidence at all is ``insufficient`` whatever the classifier says, so every other verdict
rests on spans that can be shown. The title is deliberately not a feature: whether a post titled as a leader
is a management post is what the verdict is for.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import StratifiedKFold

from ..scoring import verdict

if TYPE_CHECKING:
    from ..analysis import PostingResult

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


def summary_of(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Kappa and accuracy of predicted verdicts against gold ones."""
    return {"n": len(gold), "kappa": round(kappa(gold, pred), 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4)}


POST_FEATURES: tuple[str, ...] = (
    "log_leadership", "log_management", "share", "log_l_sentences", "log_m_sentences", "log_l_probability",
    "log_m_probability", "probability_share", "log_sentences")
"""The figures of a post the verdict classifier reads (:func:`post_features`); logs are ``log(1 + x)``."""


def post_features(result: PostingResult, section_weights: dict[str, float]) -> list[float]:
    """:data:`POST_FEATURES` of an analysed (and, usually, model-relabelled) post. Sentences in sections that do not
    count (weight 0: the organisation, benefits, boilerplate) are left out of the counts and probabilities."""
    lead, man = result.score.leadership, result.score.management
    counted = [s for s in result.sentences if section_weights.get(s.section, 1.0) > 0]
    n_l = sum(s.pole == "L" for s in counted)
    n_m = sum(s.pole == "M" for s in counted)
    p_l = sum((s.proba or {}).get("L", 0.0) for s in counted)
    p_m = sum((s.proba or {}).get("M", 0.0) for s in counted)
    return [math.log1p(lead), math.log1p(man), lead / (lead + man) if lead + man else 0.5, math.log1p(n_l),
            math.log1p(n_m), math.log1p(p_l), math.log1p(p_m), (p_l + 1.0) / (p_l + p_m + 2.0),
            math.log1p(len(counted))]


class VerdictClassifier:
    """A post's verdict from :data:`POST_FEATURES`: standardised features, multinomial logistic regression.

    scikit-learn style (``fit``, ``predict``, ``predict_proba``); stored in ``meta.json`` as plain numbers
    (:meth:`to_dict`, :meth:`from_dict`) and applied with numpy alone."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[str]) -> VerdictClassifier:
        X_ = np.asarray(X, dtype=float)
        if X_.ndim != 2 or X_.shape[1] != len(POST_FEATURES):
            raise ValueError(f"expected rows of {len(POST_FEATURES)} post features, got shape {X_.shape}")
        if len(X_) != len(y):
            raise ValueError(f"{len(X_)} feature rows for {len(y)} verdicts")
        if len(set(y)) < 2:
            raise ValueError("the verdict classifier needs at least two verdicts to fit on")
        self.mean_ = X_.mean(axis=0)
        std = X_.std(axis=0)
        self.scale_ = np.where(std > 1e-9, std, 1.0)  # a constant feature: left unscaled
        lr = LogisticRegression(C=self.C, max_iter=5000).fit((X_ - self.mean_) / self.scale_, list(y))
        self.classes_ = np.array([str(c) for c in lr.classes_], dtype=object)
        coef, intercept = lr.coef_, lr.intercept_
        if len(self.classes_) == 2:  # binary: sklearn keeps one row; make it a two-class softmax
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
        self.coef_, self.intercept_ = coef, intercept
        return self

    def predict_proba(self, X: Sequence[Sequence[float]]) -> np.ndarray:
        X_ = np.atleast_2d(np.asarray(X, dtype=float))
        z = ((X_ - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: Sequence[Sequence[float]]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def decide(self, X: Sequence[Sequence[float]], evidence: Sequence[float]) -> np.ndarray:
        """:meth:`predict`, except that a post whose total evidence (L + M) is 0 is ``insufficient``."""
        pred = self.predict(X)
        pred[np.asarray(evidence, dtype=float) <= 0] = "insufficient"
        return pred

    def verdict(self, result: PostingResult, section_weights: dict[str, float]) -> tuple[str, dict[str, float]]:
        """The verdict of one post (:meth:`decide`) and its probabilities: the classifier's, except for a post
        without evidence, which is ``insufficient`` with probability 1 by rule."""
        features = [post_features(result, section_weights)]
        evidence = result.score.leadership + result.score.management
        if evidence <= 0:
            return "insufficient", {**{str(c): 0.0 for c in self.classes_}, "insufficient": 1.0}
        probs = {str(c): round(float(p), 4) for c, p in zip(self.classes_, self.predict_proba(features)[0])}
        return str(self.decide(features, [evidence])[0]), probs

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(POST_FEATURES), "C": self.C, "classes": [str(c) for c in self.classes_],
                "mean": self.mean_.round(8).tolist(), "scale": self.scale_.round(8).tolist(),
                "coef": self.coef_.round(8).tolist(), "intercept": self.intercept_.round(8).tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VerdictClassifier:
        if list(d.get("features", [])) != list(POST_FEATURES):
            raise ValueError(f"verdict classifier features {d.get('features')} are not {list(POST_FEATURES)}")
        out = cls(C=float(d.get("C", 1.0)))
        out.classes_ = np.array(d["classes"], dtype=object)
        out.mean_, out.scale_ = np.array(d["mean"], dtype=float), np.array(d["scale"], dtype=float)
        out.coef_, out.intercept_ = np.array(d["coef"], dtype=float), np.array(d["intercept"], dtype=float)
        return out


def compare_verdict_rules(gold: Sequence[str], evidence: Sequence[tuple[float, float]],
                          features: Sequence[Sequence[float]], n_splits: int = 5, random_state: int = 0,
                          C: float = 1.0) -> dict[str, Any]:
    """Cross-validated (over posts, stratified by verdict) kappa of the fitted thresholds and of
    :class:`VerdictClassifier`, each fitted on the other folds."""
    y = np.array(list(gold), dtype=object)
    by_thresholds = np.empty(len(y), dtype=object)
    by_classifier = np.empty(len(y), dtype=object)
    X = np.asarray(features, dtype=float)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for tr, te in folds.split(X, y):
        settings, _ = fit_verdict(list(y[tr]), [evidence[j] for j in tr])
        by_thresholds[te] = verdicts([evidence[j] for j in te], settings)
        clf = VerdictClassifier(C).fit(X[tr], list(y[tr]))
        by_classifier[te] = clf.decide(X[te], [sum(evidence[j]) for j in te])
    return {"thresholds": summary_of(list(y), list(by_thresholds)),
            "classifier": summary_of(list(y), list(by_classifier)), "n_splits": n_splits}
