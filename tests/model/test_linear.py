"""The fitted weights as plain data: export from scikit-learn, save, load, predict the same."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leadlens.model.linear import FORMAT, LinearModel, export
from leadlens.model.sentence_model import make_pipeline
from leadlens.model.train import frequent_features

RNG = np.random.default_rng(0)
NAMES = [f"w={w}" for w in ("manage", "budget", "lead", "vision", "care", "patient", "rota", "team")]


def random_dicts(n: int) -> list[dict[str, float]]:
    return [{name: float(RNG.integers(1, 3)) for name in NAMES if RNG.random() < 0.4} for _ in range(n)]


@pytest.fixture(scope="module")
def fitted():
    X = random_dicts(120)
    y = np.array([("L" if "w=lead" in d else "M" if "w=budget" in d else "N") for d in X], dtype=object)
    return make_pipeline(C=1.0).fit(X, y), X


def test_export_predicts_what_scikit_learn_predicts(fitted):
    pipe, X = fitted
    model = export(pipe)
    assert model.classes == ["L", "M", "N"]
    np.testing.assert_allclose(model.predict_proba(X), pipe.predict_proba(X), atol=1e-9)
    assert list(model.predict(X)) == list(pipe.predict(X))


def test_save_and_load_round_trip(fitted, tmp_path):
    pipe, X = fitted
    export(pipe).save(tmp_path / "model.json")
    data = json.loads((tmp_path / "model.json").read_text())
    assert data["format"] == FORMAT and list(data["weights"]) == sorted(data["weights"])
    loaded = LinearModel.load(tmp_path / "model.json")
    np.testing.assert_allclose(loaded.predict_proba(X), pipe.predict_proba(X), atol=1e-5)  # 6 decimals stored


def test_unknown_features_are_ignored_and_zero_weights_dropped():
    model = LinearModel(["L", "N"], ["a", "b"], np.array([[1.0, 0.0], [-1.0, 0.0]]), np.zeros(2))
    np.testing.assert_allclose(model.predict_proba([{"a": 1.0, "zzz": 5.0}]), model.predict_proba([{"a": 1.0}]))
    assert model.predict_proba([{}])[0].tolist() == [0.5, 0.5]
    assert model.weights({"a": 2.0, "zzz": 1.0}) == [("a", {"L": 2.0, "N": -2.0})]


def test_binary_models_export_as_two_rows():
    X = [{"a": 1.0}, {"b": 1.0}] * 10
    y = ["L", "N"] * 10
    pipe = make_pipeline(C=1.0).fit(X, y)
    np.testing.assert_allclose(export(pipe).predict_proba(X), pipe.predict_proba(X), atol=1e-9)


def test_calibrated_models_do_not_export(fitted):
    pipe, X = fitted
    calibrated = make_pipeline(C=1.0, calibration="sigmoid", cv=3).fit(X, pipe.predict(X))
    with pytest.raises(ValueError, match="sigmoid"):
        export(calibrated)


@pytest.mark.parametrize("data, message", [
    ({"format": "other"}, "not a"),
    ({"format": FORMAT, "classes": ["L", "N"], "intercept": [0, 0], "weights": {"a": [1.0, float("nan")]}},
     "finite"),
    ({"format": FORMAT, "classes": ["L", "N"], "intercept": [0], "weights": {"a": [1.0, 2.0]}}, "intercept"),
])
def test_malformed_models_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        LinearModel.from_dict(data)


def test_frequent_features_counts_adverts_not_units():
    feats = [{"a": 1.0, "b": 1.0}, {"a": 1.0, "b": 1.0}, {"a": 1.0}, {"c": 0.0, "a": 2.0}]
    groups = ["x", "x", "y", "z"]
    assert frequent_features(feats, groups, 2) == {"a"}       # b is in two units of one advert; c is zero
    assert frequent_features(feats, groups, 1) == {"a", "b"}
    assert frequent_features(feats, groups, 4) == set()
