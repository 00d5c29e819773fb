"""Loading a saved model (with its warnings and errors), relabelling sentences, unit poles and rescoring."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from leadlens.errors import LeadlensError
from leadlens.model import (ModelRulesWarning, apply_model, load_model, predict_sentences, relabel, rescore,
                            unit_pole)
from leadlens.model.features import FEATURES_VERSION, FeatureConfig
from leadlens.model.linear import LinearModel, export
from leadlens.model.sentence_model import make_pipeline

TEXT = ("Main duties\n• Manage the ward budget and the rota.\n• Set the strategic direction for the service.\n"
        "• Supervise the healthcare assistants.\n• Provide direct patient care.\nWe are an innovative Trust.")


def save_model(path, weights: LinearModel, rules_digest: str, threshold: float = 0.5, **meta_extra) -> None:
    path.mkdir(parents=True, exist_ok=True)
    weights.save(path / "model.json")
    meta = {"threshold": threshold, "rules_digest": rules_digest, "features": FeatureConfig().to_dict(),
            "model_sha256": "x", **meta_extra}
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def always_n(p_n: float = 0.9) -> LinearModel:
    """A model that gives every unit the same probabilities: N with ``p_n``, the rest shared by L and M."""
    rest = (1 - p_n) / 2
    return LinearModel(["L", "M", "N"], ["w=x"], np.zeros((3, 1)), np.log([rest, rest, p_n]))


@pytest.fixture
def result(analyser):
    return analyser.analyse(TEXT, title="Head of Nursing")


def test_load_warns_when_the_rules_changed(tmp_path, analyser):
    save_model(tmp_path / "m", always_n(), rules_digest="0" * 64)
    with pytest.warns(ModelRulesWarning, match=r"\[M004\].*trained with rules 000000000000"):
        load_model(tmp_path / "m", analyser=analyser)


def test_load_is_quiet_when_the_rules_match(tmp_path, analyser):
    save_model(tmp_path / "m", always_n(), rules_digest=analyser.rules.digest)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model(tmp_path / "m", analyser=analyser)
    assert model.threshold == 0.5 and model.classes == ["L", "M", "N"]


def test_load_checks_the_shipped_rules_without_an_analyser(tmp_path):
    save_model(tmp_path / "m", always_n(), rules_digest="f" * 64)
    with pytest.warns(ModelRulesWarning):
        load_model(tmp_path / "m")


@pytest.mark.parametrize("setup, code", [
    (lambda p: None, "M001"),                                                  # nothing there
    (lambda p: (p.mkdir(), (p / "model.json").write_bytes(b""), (p / "meta.json").write_text("{")), "M002"),
    (lambda p: (save_model(p, always_n(), "0" * 64), (p / "model.json").write_text('{"format": "other"}')), "M002"),
    (lambda p: (save_model(p, always_n(), "0" * 64), (p / "model.json").write_text("[1, 2")), "M002"),
])
def test_load_fails_with_a_code(tmp_path, setup, code):
    setup(tmp_path / "m")
    with pytest.raises(LeadlensError) as err:
        load_model(tmp_path / "m")
    assert err.value.code == code


def test_load_refuses_another_feature_version(tmp_path):
    save_model(tmp_path / "m", always_n(), rules_digest="0" * 64)
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["features"]["version"] = FEATURES_VERSION + "-old"
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(LeadlensError) as err:
        load_model(tmp_path / "m")
    assert err.value.code == "M003"


def test_a_model_below_the_threshold_keeps_every_rules_pole(tmp_path, analyser, result):
    save_model(tmp_path / "m", always_n(0.9), analyser.rules.digest, threshold=0.95)
    model = load_model(tmp_path / "m", analyser=analyser)
    assert relabel(result, model) == [s.pole for s in result.sentences]
    preds = predict_sentences(result, model)
    assert [p.rule_pole for p in preds] == [s.pole for s in result.sentences]
    assert not any(p.overruled for p in preds)
    consulted = [p for p in preds if p.proba is not None]
    assert consulted and all(p.proba == {"L": 0.05, "M": 0.05, "N": 0.9} for p in consulted)
    # the heading holds no lexicon anchor word: the model is not consulted on it
    assert preds[0].proba is None and result.text[preds[0].start:preds[0].end] == "Main duties"
    assert {"L", "M"} <= set(relabel(result, model))
    # nothing overruled: the rescored posting equals the rules' score
    new, _ = apply_model(result, model)
    assert (new.score.leadership, new.score.management, new.score.verdict) == (
        result.score.leadership, result.score.management, result.score.verdict)
    assert new.score.axes == result.score.axes
    assert new.score == result.score                  # the interval too (same scale as the rules' scoring)


def test_a_confident_model_overrules_and_the_score_follows(tmp_path, analyser, result):
    save_model(tmp_path / "m", always_n(0.9), analyser.rules.digest, threshold=0.85)
    model = load_model(tmp_path / "m", analyser=analyser)
    assert relabel(result, model) == ["N"] * len(result.sentences)
    s = next(s for s in result.sentences if s.pole == "M")
    assert s.pole == "M" and unit_pole(result, s.start, s.end, model) == "N"
    new, preds = apply_model(result, model)
    assert sum(p.overruled for p in preds) == sum(x.pole != "N" for x in result.sentences)
    assert [x.pole for x in new.sentences] == ["N"] * len(result.sentences)
    assert new.score.leadership == 0 and new.score.management == 0 and new.score.verdict == "insufficient"
    assert result.score.verdict != "insufficient"           # the original result is not changed
    assert [x.pole for x in result.sentences] != [x.pole for x in new.sentences]


def test_rescore_moves_an_overruled_sentence_to_its_new_pole(tmp_path, analyser, result):
    save_model(tmp_path / "m", always_n(0.9), analyser.rules.digest, threshold=0.95)
    model = load_model(tmp_path / "m", analyser=analyser)
    preds = predict_sentences(result, model)
    target = next(p for p in preds if p.rule_pole == "L")
    sent = result.sentences[target.sent_id]
    target.pole = "M"                                        # as if the model had overruled L -> M
    score = rescore(result, preds, analyser.rules.scoring)
    moved = max(sent.leadership + sent.management, 1.0)
    assert score.leadership == pytest.approx(result.score.leadership - sent.leadership)
    assert score.management == pytest.approx(result.score.management - sent.management + moved)


def test_a_trained_pipeline_runs_on_real_features(tmp_path, analyser, result):
    from leadlens.model.features import FeatureExtractor

    feats = FeatureExtractor(analyser).posting(result)
    y = np.array([s.pole for s in result.sentences], dtype=object)
    pipe = make_pipeline(C=1.0).fit(feats * 3, np.concatenate([y, y, y]))
    save_model(tmp_path / "m", export(pipe), analyser.rules.digest, threshold=0.6)
    model = load_model(tmp_path / "m", analyser=analyser)
    preds = predict_sentences(result, model)
    assert [p.pole for p in preds] == list(y)                # it learnt the rules' poles back
    assert all(abs(sum(p.proba.values()) - 1) < 1e-3 for p in preds if p.proba is not None)


def test_apply_many_equals_apply_model_one_by_one(tmp_path, analyser, result):
    from leadlens.model import apply_many

    other = analyser.analyse("• Inspire and empower the team.\n• Monitor the budget monthly.", title="Team Leader")
    feats = []
    from leadlens.model.features import FeatureExtractor

    for r in (result, other):
        feats += FeatureExtractor(analyser).posting(r)
    y = [s.pole for r in (result, other) for s in r.sentences]
    save_model(tmp_path / "m", export(make_pipeline(C=0.1).fit(feats, y)), analyser.rules.digest, threshold=0.4)
    model = load_model(tmp_path / "m", analyser=analyser)
    together = apply_many([result, other], model)
    for r, (new, preds) in zip((result, other), together):
        alone, alone_preds = apply_model(r, model)
        assert [s.pole for s in new.sentences] == [s.pole for s in alone.sentences]
        assert new.score == alone.score and preds == alone_preds


def test_a_verdict_classifier_saved_with_the_model_decides_the_verdict(tmp_path, analyser, result):
    from leadlens.model.verdict import POST_FEATURES

    n = len(POST_FEATURES)
    # a classifier that always prefers "mixed": zero weights, a large intercept
    clf = {"features": list(POST_FEATURES), "C": 1.0, "classes": ["leadership", "mixed"], "mean": [0.0] * n,
           "scale": [1.0] * n, "coef": [[0.0] * n, [0.0] * n], "intercept": [0.0, 5.0]}
    settings = {"min_evidence": 1.0, "leadership_at_least": 0.6, "management_at_most": 0.4}
    save_model(tmp_path / "m", always_n(0.9), analyser.rules.digest, threshold=0.95,
               verdict={"settings": settings, "classifier": clf})
    model = load_model(tmp_path / "m", analyser=analyser)
    new, _ = apply_model(result, model)
    assert result.score.verdict != "mixed" and new.score.verdict == "mixed"
    assert new.score.verdict_proba["mixed"] > 0.99
    assert new.document_row()["verdict_confidence"] == round(new.score.verdict_proba["mixed"], 4)
    # no evidence: insufficient, whatever the classifier prefers
    bare = analyser.analyse("Provide direct patient care.", title="Staff Nurse")
    bare_scored = apply_model(bare, model)[0]
    assert bare_scored.score.verdict == "insufficient" and bare_scored.document_row()["verdict_confidence"] == 1.0
    # without a classifier the thresholds decide and there are no verdict probabilities
    save_model(tmp_path / "t", always_n(0.9), analyser.rules.digest, threshold=0.95, verdict={"settings": settings})
    plain, _ = apply_model(result, load_model(tmp_path / "t", analyser=analyser))
    assert plain.score.verdict_proba == {} and plain.score.verdict == result.score.verdict
    assert plain.document_row()["verdict_confidence"] is None


def test_the_interval_scale_fitted_with_the_model_widens_or_narrows_its_interval(tmp_path, analyser, result):
    settings = {"min_evidence": 1.0, "leadership_at_least": 0.6, "management_at_most": 0.4}
    widths = {}
    for scale in (1.0, 20.0):
        save_model(tmp_path / str(scale), always_n(0.9), analyser.rules.digest, threshold=0.95,
                   verdict={"settings": settings, "interval": {"scale": scale, "coverage": 0.8, "n": 10, "table": []}})
        model = load_model(tmp_path / str(scale), analyser=analyser)
        assert model.scoring()["interval_scale"] == scale
        s = apply_model(result, model)[0].score
        assert s.leadership + s.management > 0
        widths[scale] = s.share_high - s.share_low
    assert widths[20.0] > widths[1.0] > 0
    # a model without a fitted scale keeps the rules'
    save_model(tmp_path / "none", always_n(0.9), analyser.rules.digest, threshold=0.95, verdict={"settings": settings})
    plain = load_model(tmp_path / "none", analyser=analyser)
    assert plain.scoring()["interval_scale"] == analyser.rules.scoring["interval_scale"]
