"""The sentence model: a calibrated linear classifier of units as L, M or N, and the override policy.

:class:`SentenceModel` follows scikit-learn's estimator contract (``__init__`` only stores its arguments,
``fit`` validates and returns ``self``, learned state ends in ``_``, randomness through ``random_state``) and
works on a numeric matrix; :func:`make_pipeline` puts a ``DictVectorizer`` in front of it for the feature dicts of
:mod:`leadlens.model.features`.

The model does not replace the rules: :meth:`SentenceModel.decide` keeps the rules' pole of a unit unless the
model gives another class a probability of at least ``threshold``. The threshold is fitted by cross-validation on
the training split (:func:`fit_threshold`); a threshold of 1.0 or more keeps the rules everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

LABELS = ("L", "M", "N")
CALIBRATIONS = (None, "sigmoid", "isotonic")
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.30, 1.0001, 0.01))


class SentenceModel(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression over unit features, optionally recalibrated, with an override policy.

    Args:
        C: inverse L2 regularisation strength of the logistic regression.
        class_weight: ``None`` (calibrated probabilities, the default) or ``"balanced"``.
        calibration: ``None`` (the logistic regression's own probabilities), ``"sigmoid"`` or ``"isotonic"``
            (scikit-learn's ``CalibratedClassifierCV`` over the logistic regression, ``cv`` folds, by group
            when ``fit`` gets ``groups``).
        cv: folds of the calibration.
        threshold: the probability another class needs to overrule the rules' pole in :meth:`decide`.
        max_iter: iterations of the solver.
        random_state: seed of the fold shuffling (the solver itself is deterministic).

    Attributes:
        classes_: the class labels seen in ``fit``.
        n_features_in_: the number of features seen in ``fit``.
        estimator_: the fitted logistic regression (or calibrated classifier).
        coef_, intercept_, n_iter_: the logistic regression's fitted on all the data (for inspection; with a
            calibration, the probabilities come from the cross-fitted ``estimator_``).
    """

    def __init__(self, C: float = 1.0, class_weight: str | dict | None = None, calibration: str | None = None,
                 cv: int = 5, threshold: float = 0.5, max_iter: int = 2000, random_state: int | None = None) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.threshold = threshold
        self.max_iter = max_iter
        self.random_state = random_state

    def _lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                  random_state=self.random_state)

    def fit(self, X: Any, y: Any, groups: Sequence | None = None, sample_weight: Any = None) -> SentenceModel:
        """Fit on features ``X`` (n_samples, n_features; dense or sparse) and labels ``y``.

        Args:
            X: the feature matrix.
            y: the labels (normally ``L``, ``M``, ``N``; any labels work).
            groups: the advert of each row, so calibration folds never split an advert.
            sample_weight: how much each row counts (default 1 each); multiplied by the class weights.

        Returns:
            self
        """
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if self.calibration not in CALIBRATIONS:
            raise ValueError(f"calibration must be one of {CALIBRATIONS}, got {self.calibration!r}")
        _check_threshold(self.threshold)
        X, y = validate_data(self, X, y, accept_sparse=("csr", "csc"), dtype=np.float64)
        check_classification_targets(y)
        if groups is not None:
            groups = np.asarray(groups)
            if groups.shape[0] != X.shape[0]:
                raise ValueError(f"groups has {groups.shape[0]} rows, X has {X.shape[0]}")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float64)
            if sample_weight.shape != (X.shape[0],) or not np.all(np.isfinite(sample_weight)) \
                    or np.any(sample_weight < 0):
                raise ValueError(f"sample_weight must be {X.shape[0]} finite numbers >= 0")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"SentenceModel needs samples of at least 2 classes, got one class {self.classes_}")
        lr = self._lr().fit(X, y, sample_weight=sample_weight)
        self.coef_ = lr.coef_
        self.intercept_ = lr.intercept_
        self.n_iter_ = lr.n_iter_
        if self.calibration is None:
            self.estimator_ = lr
        else:
            # class weights become sample weights, so the calibration maps are fitted on the same weighting
            weights = compute_sample_weight(self.class_weight, y) if self.class_weight is not None else None
            if sample_weight is not None:
                weights = sample_weight if weights is None else weights * sample_weight
            base = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.random_state)
            self.estimator_ = CalibratedClassifierCV(base, method=self.calibration, cv=self._splits(X, y, groups))
            self.estimator_.fit(X, y, sample_weight=weights)
        return self

    def _splits(self, X: Any, y: np.ndarray, groups: np.ndarray | None) -> list:
        if groups is not None and len(np.unique(groups)) >= self.cv:
            return list(GroupKFold(n_splits=self.cv).split(X, y, groups))
        _, counts = np.unique(y, return_counts=True)
        k = max(2, min(self.cv, int(counts.min())))
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state).split(X, y))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=np.float64, reset=False)
        return self.estimator_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (the model alone, without the rules)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def decide(self, rule_pole: Sequence[str], proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
        """The final pole of each unit: the rules' pole, unless another class has probability >= ``threshold``.

        Args:
            rule_pole: the rules' pole of each unit.
            proba: :meth:`predict_proba` of the same units.
            threshold: defaults to ``self.threshold``; 1.0 or more never overrules (except a probability of
                exactly 1.0 at 1.0).

        Returns:
            An array of poles; where several other classes reach the threshold, the most probable wins.
        """
        check_is_fitted(self)
        return decide(rule_pole, proba, self.classes_, self.threshold if threshold is None else threshold)

    def __sklearn_tags__(self):  # noqa: ANN204
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _check_threshold(threshold: Any) -> None:
    if not isinstance(threshold, (int, float, np.floating)) or not 0 < float(threshold) or np.isnan(threshold):
        raise ValueError(f"threshold must be a number above 0, got {threshold!r}")


def decide(rule_pole: Sequence[str], proba: np.ndarray, classes: Sequence[str], threshold: float) -> np.ndarray:
    """The override policy as a pure function (see :meth:`SentenceModel.decide`)."""
    _check_threshold(threshold)
    rule = np.asarray(rule_pole, dtype=object)
    proba = np.asarray(proba, dtype=float)
    classes = np.asarray(classes, dtype=object)
    if proba.ndim != 2 or proba.shape != (len(rule), len(classes)):
        raise ValueError(f"proba must have shape ({len(rule)}, {len(classes)}), got {proba.shape}")
    others = proba.copy()
    others[rule[:, None] == classes[None, :]] = -np.inf
    best = np.argmax(others, axis=1) if len(rule) else np.zeros(0, dtype=int)
    overrule = others[np.arange(len(rule)), best] >= threshold
    return np.where(overrule, classes[best], rule).astype(object)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over L, M and N (classes absent from both count as 0, as in :mod:`leadlens.evaluate`)."""
    return float(f1_score(list(gold), list(pred), labels=list(LABELS), average="macro", zero_division=0))


def fit_threshold(rule_pole: Sequence[str], proba: np.ndarray, y: Sequence[str], classes: Sequence[str],
                  grid: Sequence[float] = THRESHOLD_GRID) -> tuple[float, list[tuple[float, float]]]:
    """The threshold of the grid whose decisions reach the best macro-F1 on out-of-fold probabilities.

    Ties go to the highest threshold (overrule the rules as little as possible). Returns the threshold and the
    (threshold, macro-F1) curve.
    """
    curve = [(float(t), macro_f1(y, decide(rule_pole, proba, classes, t))) for t in grid]
    best = max(f for _, f in curve)
    chosen = max(t for t, f in curve if np.isclose(f, best))
    return chosen, curve


def make_pipeline(**params: Any) -> Pipeline:
    """``DictVectorizer`` then :class:`SentenceModel` (``params`` go to the model); fit with
    ``pipe.fit(dicts, y, model__groups=groups)``."""
    return Pipeline([("vec", DictVectorizer()), ("model", SentenceModel(**params))])
