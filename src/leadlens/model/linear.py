"""A fitted linear sentence model as plain data: feature names, coefficients, intercepts, classes.

The trained model ships as ``model.json`` rather than a pickle: it loads without running code, diffs in review,
does not depend on the scikit-learn version that fitted it, and says exactly what it has learned (every weight
has a feature name). :func:`export` turns a fitted ``DictVectorizer`` + :class:`SentenceModel` pipeline into a
:class:`LinearModel`; :meth:`LinearModel.predict_proba` then gives the same probabilities as the pipeline (a
multinomial logistic regression: the softmax of ``coef @ x + intercept``; tested against scikit-learn).

Only uncalibrated models export: a cross-fitted calibration is an ensemble with no single set of weights.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from sklearn.pipeline import Pipeline

FORMAT = "leadlens-linear-model/1"
DECIMALS = 6


@dataclass
class LinearModel:
    """A multinomial logistic regression over named features.

    Attributes:
        classes: the class labels, in the order of the rows of ``coef``.
        features: the feature names, in the order of the columns of ``coef``.
        coef: ``(n_classes, n_features)`` weights.
        intercept: ``(n_classes,)`` intercepts.
    """

    classes: list[str]
    features: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.coef = np.asarray(self.coef, dtype=float)
        self.intercept = np.asarray(self.intercept, dtype=float)
        if self.coef.shape != (len(self.classes), len(self.features)):
            raise ValueError(f"coef has shape {self.coef.shape}, expected ({len(self.classes)}, {len(self.features)})")
        if self.intercept.shape != (len(self.classes),):
            raise ValueError(f"intercept has shape {self.intercept.shape}, expected ({len(self.classes)},)")
        if len(set(self.features)) != len(self.features):
            raise ValueError("feature names repeat")
        self._index = {f: i for i, f in enumerate(self.features)}

    @property
    def classes_(self) -> np.ndarray:
        """The classes, as scikit-learn names them."""
        return np.asarray(self.classes, dtype=object)

    def decision_function(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        """``coef @ x + intercept`` for each feature dict (unknown feature names are ignored)."""
        out = np.tile(self.intercept, (len(X), 1))
        for r, feats in enumerate(X):
            for name, value in feats.items():
                j = self._index.get(name)
                if j is not None and value:
                    out[r] += self.coef[:, j] * float(value)
        return out

    def predict_proba(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        """Class probabilities (columns in the order of ``classes``)."""
        z = self.decision_function(X)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        """The most probable class of each feature dict."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def weights(self, feats: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
        """The contribution of each known feature of one unit to each class's score (for explanations)."""
        rows = []
        for name, value in feats.items():
            j = self._index.get(name)
            if j is not None and value:
                rows.append((name, {c: float(self.coef[k, j] * value) for k, c in enumerate(self.classes)}))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: one entry per feature with its weight for each class."""
        return {
            "format": FORMAT, "classes": list(self.classes),
            "intercept": [round(float(b), DECIMALS) for b in self.intercept],
            "weights": {f: [round(float(w), DECIMALS) for w in self.coef[:, j]] for j, f in enumerate(self.features)},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearModel:
        """The inverse of :meth:`to_dict`; raises ValueError on another format or malformed weights."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format {data.get('format')!r})")
        classes = [str(c) for c in data["classes"]]
        names = list(data["weights"])
        coef = np.array([data["weights"][f] for f in names], dtype=float).reshape(len(names), len(classes)).T
        if not np.all(np.isfinite(coef)) or not all(math.isfinite(float(b)) for b in data["intercept"]):
            raise ValueError("weights must be finite numbers")
        return cls(classes, names, coef, np.array(data["intercept"], dtype=float))

    def save(self, path: str | Path) -> None:
        """Write :meth:`to_dict` as JSON (sorted by feature name, so retraining diffs cleanly)."""
        data = self.to_dict()
        data["weights"] = dict(sorted(data["weights"].items()))
        Path(path).write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def export(pipeline: Pipeline, drop_zero: bool = True) -> LinearModel:
    """The :class:`LinearModel` of a fitted ``DictVectorizer`` + :class:`SentenceModel` pipeline.

    Args:
        pipeline: from :func:`leadlens.model.sentence_model.make_pipeline`, fitted, without calibration.
        drop_zero: leave out features whose weights are all zero (they change nothing).
    """
    vec, model = pipeline[0], pipeline[-1]
    if getattr(model, "calibration", None) is not None:
        raise ValueError(f"a model calibrated by {model.calibration!r} has no single set of weights to export")
    coef = np.asarray(model.coef_, dtype=float)
    intercept = np.asarray(model.intercept_, dtype=float)
    classes = [str(c) for c in model.classes_]
    if coef.shape[0] == 1 and len(classes) == 2:  # binary: scikit-learn stores the second class's weights
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    names = [str(n) for n in vec.get_feature_names_out()]
    keep = [j for j in range(len(names)) if not drop_zero or np.any(coef[:, j] != 0)]
    return LinearModel(classes, [names[j] for j in keep], coef[:, keep], intercept)
