"""The text classifier averaged with the linear model: fitting, saving without a vocabulary, loading with a model."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from leadlens.errors import LeadlensError
from leadlens.model import apply_model, load_model, predict_sentences
from leadlens.model.apply import folder_sha256
from leadlens.model.textcat import SETTINGS_FILE, TEXTCAT_DIR, WEIGHTS_FILE, TextClassifier, blend, load

from .test_apply import always_n, result, save_model  # noqa: F401  (result is a fixture)

L_TEXTS = ["Inspire the team with a shared vision.", "Set the strategic direction of the service.",
           "Empower staff to innovate and lead change.", "Coach and develop the next generation of leaders.",
           "Champion a culture of innovation across the network.", "Lead the transformation of community care."]
M_TEXTS = ["Monitor the ward budget every month.", "Complete the staff rota each week.",
           "Ensure compliance with policies and procedures.", "Supervise the healthcare assistants on shift.",
           "Audit the records against the standard.", "Manage sickness absence in line with policy."]
N_TEXTS = ["Provide direct patient care on the ward.", "We are an outstanding trust by the sea.",
           "Please apply by the closing date.", "Free parking is available on site.",
           "Take blood samples from patients.", "The salary is on Band 6."]
TEXTS = L_TEXTS + M_TEXTS + N_TEXTS
LABELS = ["L"] * 6 + ["M"] * 6 + ["N"] * 6


@pytest.fixture(scope="module")
def fitted() -> TextClassifier:
    return TextClassifier(epochs=12, random_state=0).fit(TEXTS, LABELS)


def test_it_learns_a_small_separable_set(fitted):
    proba = fitted.predict_proba(TEXTS)
    assert proba.shape == (18, 3) and np.allclose(proba.sum(axis=1), 1.0, atol=1e-4)
    assert (fitted.predict(TEXTS) == np.array(LABELS, dtype=object)).mean() >= 0.9


def test_a_text_without_tokens_gets_a_third_each(fitted):
    proba = fitted.predict_proba(["", "   ", "Lead the team."])
    assert np.allclose(proba[:2], 1 / 3) and not np.allclose(proba[2], 1 / 3)


def test_saved_without_the_training_words_and_loads_to_the_same_probabilities(fitted, tmp_path):
    fitted.nlp_.tokenizer("zorblaxian handle @Zorblax_NHS")  # a word the saved files must not hold
    fitted.save(tmp_path / "tc")
    assert not (tmp_path / "tc" / "vocab").exists()
    for f in (tmp_path / "tc").rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert b"orblax" not in data and b"innovate" not in data, f
    again = load(tmp_path / "tc")
    assert np.allclose(again.predict_proba(TEXTS), fitted.predict_proba(TEXTS))


def test_saving_rounds_the_weights_to_float16_and_loading_gives_the_same_classifier(tmp_path):
    tc = TextClassifier(epochs=4, random_state=1).fit(TEXTS, LABELS)
    texts = TEXTS + ["Lead and inspire the ward team.", "Audit the budget."]
    before = tc.predict_proba(texts)
    tc.save(tmp_path / "tc")
    after = tc.predict_proba(texts)
    assert np.abs(after - before).max() < 0.01  # rounding moves a probability a little
    with np.load(tmp_path / "tc" / WEIGHTS_FILE) as arrays:
        assert arrays.files and all(arrays[k].dtype == np.float16 for k in arrays.files)
    assert np.array_equal(load(tmp_path / "tc").predict_proba(texts), after)  # what is scored is what ships
    assert np.array_equal(tc.round_weights().predict_proba(texts), after)  # rounding again changes nothing


def test_loading_refuses_weights_that_do_not_fit(fitted, tmp_path):
    fitted.save(tmp_path / "tc")
    settings = json.loads((tmp_path / "tc" / SETTINGS_FILE).read_text())
    wrong = {**settings, "width": 32}
    (tmp_path / "tc" / SETTINGS_FILE).write_text(json.dumps(wrong))
    with pytest.raises(ValueError, match="does not fit"):
        load(tmp_path / "tc")
    (tmp_path / "tc" / SETTINGS_FILE).write_text(json.dumps({**settings, "hash_seeds": [1, 2, 3, 4]}))
    with pytest.raises(ValueError, match="seeds"):
        load(tmp_path / "tc")
    (tmp_path / "tc" / SETTINGS_FILE).write_text(json.dumps({**settings, "format": 99}))
    with pytest.raises(ValueError, match="format"):
        load(tmp_path / "tc")
    (tmp_path / "tc" / SETTINGS_FILE).write_text(json.dumps({k: v for k, v in settings.items() if k != "weights"}))
    with pytest.raises(ValueError, match="format"):
        load(tmp_path / "tc")
    (tmp_path / "tc" / SETTINGS_FILE).write_text(json.dumps(settings))
    data = (tmp_path / "tc" / WEIGHTS_FILE).read_bytes()
    (tmp_path / "tc" / WEIGHTS_FILE).write_bytes(data[: len(data) // 2])  # a truncated download
    with pytest.raises(ValueError, match="damaged"):
        load(tmp_path / "tc")


def test_fitting_checks_its_input():
    with pytest.raises(ValueError, match="2 texts for 1 labels"):
        TextClassifier().fit(["a", "b"], ["L"])
    with pytest.raises(ValueError, match="not among"):
        TextClassifier().fit(["a", "b"], ["L", "X"])
    with pytest.raises(ValueError, match="two classes"):
        TextClassifier().fit(["a", "b"], ["N", "N"])


def test_weights_repeat_units():
    # two identical texts labelled differently: the heavier label wins
    texts, y = ["Review the service plan."] * 2 + N_TEXTS[:2], ["L", "M", "N", "N"]
    heavy_m = TextClassifier(epochs=10).fit(texts, y, sample_weight=[1, 6, 1, 1]).predict_proba(texts[:1])[0]
    heavy_l = TextClassifier(epochs=10).fit(texts, y, sample_weight=[6, 1, 1, 1]).predict_proba(texts[:1])[0]
    assert heavy_m[1] > heavy_m[0] and heavy_l[0] > heavy_l[1]


def test_blend_is_the_weighted_mean():
    a, b = np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 0.0, 1.0]])
    assert np.allclose(blend(a, b, 0.25), [[0.75, 0.0, 0.25]])
    assert blend(a, None, 0.5) is a and blend(a, b, 0.0) is a


def _model_with_textcat(path, fitted, digest, weight=1.0, threshold=0.5):
    save_model(path, always_n(0.9), digest, threshold=threshold)
    fitted.save(path / TEXTCAT_DIR)
    meta = json.loads((path / "meta.json").read_text())
    meta["textcat"] = {"weight": weight, "sha256": folder_sha256(path / TEXTCAT_DIR)}
    (path / "meta.json").write_text(json.dumps(meta))


def test_a_model_with_a_text_classifier_averages_its_probabilities(tmp_path, analyser, fitted, result):  # noqa: F811
    _model_with_textcat(tmp_path / "m", fitted, analyser.rules.digest, weight=0.5, threshold=0.99)
    model = load_model(tmp_path / "m", analyser=analyser)
    assert model.textcat is not None and model.textcat_weight == 0.5
    preds = [p for p in predict_sentences(result, model) if p.proba is not None]
    texts = [result.text[p.start:p.end] for p in preds]
    expected = blend(np.tile([0.05, 0.05, 0.9], (len(texts), 1)), fitted.predict_proba(texts), 0.5)
    assert preds and np.allclose([[p.proba[c] for c in "LMN"] for p in preds], expected, atol=1e-3)
    with pytest.raises(ValueError, match="texts"):
        model.proba([{"w=x": 1.0}])


def test_a_text_classifier_at_full_weight_decides_alone(tmp_path, analyser, fitted, result):  # noqa: F811
    _model_with_textcat(tmp_path / "m", fitted, analyser.rules.digest, weight=1.0, threshold=0.5)
    _, preds = apply_model(result, load_model(tmp_path / "m", analyser=analyser))
    consulted = [p for p in preds if p.proba is not None]
    own = fitted.predict_proba([result.text[p.start:p.end] for p in consulted])
    assert consulted and np.allclose([[p.proba[c] for c in "LMN"] for p in consulted], own, atol=1e-3)


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_missing_or_changed_text_classifier_fails_with_m002(tmp_path, analyser, fitted, damage):
    _model_with_textcat(tmp_path / "m", fitted, analyser.rules.digest)
    if damage == "missing":
        shutil.rmtree(tmp_path / "m" / TEXTCAT_DIR)
    else:
        (tmp_path / "m" / TEXTCAT_DIR / SETTINGS_FILE).write_text("{}\n", encoding="utf-8")
    with pytest.raises(LeadlensError) as err:
        load_model(tmp_path / "m", analyser=analyser)
    assert err.value.code == "M002" and TEXTCAT_DIR in str(err.value)
