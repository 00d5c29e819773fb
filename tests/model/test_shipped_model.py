"""The model shipped in models/sentence-model belongs to the shipped rules and loads quietly."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from leadlens.model.apply import load_model
from leadlens.model.linear import LinearModel
from leadlens.rules import RuleSet

from ..conftest import SENTENCE_MODEL


def test_the_shipped_model_was_trained_on_the_shipped_rules():
    meta = json.loads((SENTENCE_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["rules_digest"] == RuleSet.load().digest, (
        "a rule file changed after the sentence model was trained: run `leadlens train` and commit "
        "models/sentence-model (its figures go into docs/EVALUATION.md with tools/make_evaluation_doc.py)")


def test_the_shipped_model_loads_quietly_and_is_plain_data(analyser):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model(SENTENCE_MODEL, analyser=analyser)
    assert isinstance(model.weights, LinearModel) and model.classes == ["L", "M", "N"]
    assert 0.3 <= model.threshold <= 1.0
    assert set(model.meta["verdict"]["settings"]) == {"min_evidence", "leadership_at_least", "management_at_most"}
    assert not any(p.suffix in (".joblib", ".pkl", ".pickle") for p in SENTENCE_MODEL.iterdir())
    assert model.meta["min_adverts"] >= 3      # no feature seen in fewer than 3 training adverts ships
    assert (model.textcat is not None) == bool(model.meta.get("textcat"))


def test_a_regular_install_ships_every_file_of_the_model():
    import tomllib

    root = SENTENCE_MODEL.parents[1]
    data_files = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "data-files"]
    installed = {f"{dest}/{Path(f).name}": f for dest, files in data_files.items() for f in files
                 if f.startswith("models/sentence-model/")}
    on_disk = {p.relative_to(root).as_posix() for p in SENTENCE_MODEL.rglob("*") if p.is_file()}
    assert set(installed.values()) == on_disk, "list every file of models/sentence-model in pyproject's data-files"
    for dest, f in installed.items():  # each lands where it sits in the model's folder
        assert dest.removeprefix("share/leadlens/") == f.removeprefix("models/")
