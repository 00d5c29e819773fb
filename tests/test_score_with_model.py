"""Scoring with the sentence model (the default), with --rules-only, and with a model that is missing or wrong."""

from __future__ import annotations

import json
import shutil
import warnings

import pandas as pd
import pytest
from typer.testing import CliRunner

from leadlens.batch import run
from leadlens.cli import app
from leadlens.model.errors import ModelMissingWarning

from .conftest import SAMPLE, SENTENCE_MODEL
from .model.test_apply import always_n, save_model

runner = CliRunner()
FEW = sorted(SAMPLE.glob("*.txt"))[:4]


@pytest.fixture()
def few(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in FEW:
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture()
def all_n_model(tmp_path, analyser):
    """A model that puts every sentence at N with probability 0.9, and overrules from 0.5."""
    path = tmp_path / "all-n"
    save_model(path, always_n(0.9), analyser.rules.digest, threshold=0.5)
    return path


def _score(args):
    result = runner.invoke(app, ["score", *map(str, args), "--quiet", "--no-report"])
    return result


def test_default_score_uses_the_shipped_model(few, tmp_path):
    out = tmp_path / "o"
    result = _score([few, "--out", out])
    assert result.exit_code == 0, result.output
    run_json = json.loads((out / "run.json").read_text())
    sm = run_json["sentence_model"]
    assert sm is not None and sm["path"] == str(SENTENCE_MODEL.resolve())
    assert run_json["settings"]["sentence_model"] == sm["digest"]
    # the verdict settings the run used are those fitted with the model (the report draws its thresholds)
    meta = json.loads((SENTENCE_MODEL / "meta.json").read_text())
    assert run_json["scoring"]["verdict"] == meta["verdict"]["settings"] == sm["verdict"]
    sents = pd.read_csv(out / "sentences.csv", keep_default_na=False, na_values=[""])
    probs = sents[["p_L", "p_M", "p_N"]]
    consulted = probs.notna().all(axis=1)
    assert (probs.notna().any(axis=1) == consulted).all()       # all three or none
    assert 0 < consulted.sum() < len(sents)
    assert ((probs[consulted].sum(axis=1) - 1).abs() < 1e-3).all()
    # not consulted: no lexicon anchor word, so no spans, and the rules' pole (N) stands
    matches_all = pd.read_csv(out / "matches.csv", keep_default_na=False)
    with_spans = set(zip(matches_all["doc_id"], matches_all["sent_id"]))
    quiet = sents[~consulted]
    assert not any(k in with_spans for k in zip(quiet["doc_id"], quiet["sent_id"]))
    assert (quiet["pole"] == "N").all() and (quiet["rule_pole"] == "N").all()
    assert set(sents["rule_pole"]) <= {"L", "M", "N"}
    # an overruled sentence keeps its spans, none of them counted
    matches = pd.read_csv(out / "matches.csv", keep_default_na=False)
    overruled = sents[sents["pole"] != sents["rule_pole"]]
    keys = set(zip(overruled["doc_id"], overruled["sent_id"]))
    in_overruled = matches[[k in keys for k in zip(matches["doc_id"], matches["sent_id"])]]
    assert (in_overruled["status"] != "counted").all()
    assert set(matches["status"]) - {"counted"} <= {"sense", "heading", "boilerplate", "title", "negated",
                                                   "hypothetical", "organisation", "overruled"}


def test_rules_only_turns_the_model_off_and_changes_the_cache_key(few, tmp_path):
    out = tmp_path / "o"
    assert _score([few, "--out", out, "--rules-only"]).exit_code == 0
    first = json.loads((out / "run.json").read_text())
    assert first["sentence_model"] is None and first["settings"]["sentence_model"] is None
    from leadlens.rules import RuleSet

    assert first["scoring"]["verdict"] == RuleSet.load().scoring["verdict"]
    sents = pd.read_csv(out / "sentences.csv", keep_default_na=False, na_values=[""])
    assert sents[["p_L", "p_M", "p_N"]].isna().all().all()
    assert (sents["pole"] == sents["rule_pole"]).all()
    # the same folder scored with the model: nothing comes from the rules-only cache
    assert _score([few, "--out", out]).exit_code == 0
    second = json.loads((out / "run.json").read_text())
    assert second["settings_digest"] != first["settings_digest"]
    assert second["counts"]["cached"] == 0 and second["counts"]["scored"] == len(FEW)
    assert _score([few, "--out", out]).exit_code == 0
    assert json.loads((out / "run.json").read_text())["counts"]["cached"] == len(FEW)


def test_a_confident_model_changes_poles_scores_and_explanations(few, all_n_model):
    rules = run([few], None, sentence_model=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = run([few], None, sentence_model=all_n_model)
    assert (rules.documents["leadership"] + rules.documents["management"]).sum() > 0
    # what is left is exactly the counted spans' weight (sentences the rules themselves put at N)
    counted_now = res.matches[res.matches["status"] == "counted"]
    for row in res.documents.itertuples():
        mine = counted_now[counted_now["doc_id"] == row.doc_id]
        assert row.leadership == pytest.approx(mine.loc[mine["pole"] == "L", "weight"].sum(), abs=1e-3)
        assert row.management == pytest.approx(mine.loc[mine["pole"] == "M", "weight"].sum(), abs=1e-3)
    assert (res.documents["leadership"] + res.documents["management"]).sum() < \
        (rules.documents["leadership"] + rules.documents["management"]).sum() / 4
    assert set(res.documents["verdict"]) == {"insufficient"}
    assert not res.documents["leader_in_name_only"].any()
    assert set(res.sentences["pole"]) == {"N"}
    assert set(res.sentences["rule_pole"]) == set(rules.sentences["pole"]) and "M" in set(rules.sentences["pole"])
    # every span the rules counted in a sentence they put at L or M is still listed, now as overruled
    pole = {(r.doc_id, r.sent_id): r.pole for r in rules.sentences.itertuples()}
    moved = pd.Series([pole[k] != "N" for k in zip(rules.matches["doc_id"], rules.matches["sent_id"])]).values
    counted = (rules.matches["status"] == "counted").values
    assert (counted & moved).sum() > 0
    assert (res.matches.loc[counted & moved, "status"] == "overruled").all()
    assert (res.matches.loc[counted & moved, "weight"] == 0).all()
    kept = ~(counted & moved)
    assert (res.matches.loc[kept, "status"] == rules.matches.loc[kept, "status"]).all()


def test_explain_shows_what_the_model_overruled(all_n_model):
    result = runner.invoke(app, ["explain", str(FEW[0]), "--sentence-model", str(all_n_model)])
    assert result.exit_code == 0, result.output
    assert "verdict: insufficient" in result.output and "rules said" in result.output
    plain = runner.invoke(app, ["explain", str(FEW[0]), "--rules-only"])
    assert plain.exit_code == 0 and "rules said" not in plain.output


def test_contradictory_flags_are_a_usage_error(few, tmp_path):
    result = _score([few, "--out", tmp_path / "o", "--rules-only", "--sentence-model", SENTENCE_MODEL])
    assert result.exit_code == 2 and "contradict" in result.output


def test_a_missing_model_folder_fails_with_its_name(few, tmp_path):
    result = _score([few, "--out", tmp_path / "o", "--sentence-model", tmp_path / "nowhere"])
    assert result.exit_code == 1
    assert "[M001]" in result.output and "nowhere" in result.output
    assert not (tmp_path / "o" / "documents.csv").exists()


def test_no_default_model_warns_and_scores_with_the_rules(few, monkeypatch):
    import leadlens.model.apply as apply_module

    monkeypatch.setattr(apply_module, "default_model_dir", lambda: None)
    with pytest.warns(ModelMissingWarning, match=r"\[M005\]"):
        res = run([few], None)
    assert res.run["sentence_model"] is None
    assert res.sentences[["p_L", "p_M", "p_N"]].isna().all().all()


def test_a_model_trained_on_other_rules_warns(few, tmp_path, analyser):
    path = tmp_path / "stale"
    save_model(path, always_n(0.9), "0" * 64, threshold=0.95)
    from leadlens.model.errors import ModelRulesWarning

    with pytest.warns(ModelRulesWarning, match=r"\[M004\]"):
        res = run([few], None, sentence_model=path)
    assert res.run["sentence_model"]["rules_match"] is False


def test_evaluate_with_a_model(all_n_model, analyser):
    from leadlens.evaluate import evaluate_contrast
    from leadlens.model.apply import load_model

    from .conftest import GOLD

    scores, table = evaluate_contrast(analyser, GOLD / "contrast.jsonl", load_model(all_n_model, analyser))
    assert set(table["pred"]) == {"N"}
    assert scores.per_class["N"]["recall"] == 1.0


def test_evaluate_command_names_its_system(all_n_model, tmp_path):
    from .conftest import GOLD

    out = tmp_path / "ev"
    r = runner.invoke(app, ["evaluate", str(GOLD / "contrast.jsonl"), "--sentence-model", str(all_n_model),
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "system: rules + sentence model" in r.output
    report = json.loads((out / "evaluation.json").read_text())
    assert report["system"]["sentence_model"]["path"] == str(all_n_model.resolve())
    assert set(pd.read_csv(out / "contrast_predictions.csv")["pred"]) == {"N"}
    plain = runner.invoke(app, ["evaluate", str(GOLD / "contrast.jsonl"), "--rules-only", "--out", str(out)])
    assert plain.exit_code == 0 and "system: rules\n" in plain.output
    assert json.loads((out / "evaluation.json").read_text())["system"]["sentence_model"] is None


def test_a_regular_install_finds_the_model_under_its_prefix(tmp_path, monkeypatch):
    import sys

    import leadlens.model.apply as apply_module

    prefix = tmp_path / "venv"
    shutil.copytree(SENTENCE_MODEL, prefix / "share" / "leadlens" / "sentence-model")
    monkeypatch.delenv(apply_module.MODEL_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(apply_module, "__file__", str(tmp_path / "site" / "leadlens" / "model" / "apply.py"))
    monkeypatch.setattr(sys, "prefix", str(prefix))
    assert apply_module.default_model_dir() == prefix / "share" / "leadlens" / "sentence-model"
    monkeypatch.setenv(apply_module.MODEL_ENV, str(SENTENCE_MODEL))
    assert apply_module.default_model_dir() == SENTENCE_MODEL         # the environment variable comes first
    monkeypatch.delenv(apply_module.MODEL_ENV)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "elsewhere"))
    assert apply_module.default_model_dir() is None


def test_one_analyser_and_one_model_per_resolved_name(monkeypatch):
    from leadlens.analysis import get_analyser
    from leadlens.model.apply import get_model
    from leadlens.nlp import model_name

    assert get_analyser(None) is get_analyser(model_name())
    monkeypatch.chdir(SENTENCE_MODEL.parents[1])
    relative = SENTENCE_MODEL.relative_to(SENTENCE_MODEL.parents[1])
    assert get_model(str(relative)) is get_model(SENTENCE_MODEL, model_name())
