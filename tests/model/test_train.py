"""Training end to end on a small part of the train split (slow; needs ../shared/data)."""

from __future__ import annotations

import json
import warnings

import pytest

from leadlens.evaluate import read_jsonl
from leadlens.model import load_model, predict_units, relabel
from leadlens.model.sentence_model import macro_f1
import leadlens.model.train as train_module
from leadlens.model.features import FeatureConfig, FeatureExtractor
from leadlens.model.train import SYSTEMS, build_sentences, file_sha256, train

from ..conftest import GOLD


@pytest.mark.slow
@pytest.mark.shared_data
def test_train_on_part_of_the_train_split(tmp_path, analyser, shared_sample, monkeypatch):
    split_of = {u["advert_id"]: u["split"] for u in read_jsonl(GOLD / "units.jsonl.gz")}
    read = []
    original = train_module.read_adverts

    def spy(data_file, ids):
        read.extend(ids)
        return original(data_file, ids)

    monkeypatch.setattr(train_module, "read_adverts", spy)
    out = tmp_path / "sentence-model"
    lines: list[str] = []
    meta = train(GOLD / "units.jsonl.gz", shared_sample, analyser, out, max_train_adverts=12, evaluate_test=False,
                 grid=({"C": 1.0},), progress=lines.append)

    # never the test split: only train adverts (and dev, for the check) were read
    assert {split_of[a] for a in read} == {"train", "dev"}
    assert meta["test"] is None
    assert meta["splits"]["train"]["adverts"] == 12
    # what was saved, and what it records
    saved = json.loads((out / "meta.json").read_text())
    # no temporary files; the text classifier's folder only when it was kept (on 12 adverts it seldom is)
    kept = saved.get("textcat")
    expected = {"model.json", "meta.json", "MODEL_CARD.md"} | ({"textcat"} if kept else set())
    assert {p.name for p in out.iterdir()} == expected
    tried = kept or saved["textcat_rejected"]
    oof = tried["train_oof_macro_f1"]
    assert set(oof) == {"text_classifier", "linear+rules", "averaged+rules"}
    assert bool(kept) == (oof["averaged+rules"] > oof["linear+rules"])
    assert sum(line.startswith("text classifier, fold") for line in lines) == 5
    assert saved["gold"]["sha256"] == file_sha256(GOLD / "units.jsonl.gz")
    assert saved["rules_digest"] == analyser.rules.digest
    full = shared_sample.parent / "nhs_jobs_nov2020_clean.jsonl.gz"  # gold adverts outside the sample come from it
    assert saved["data"].get("beside") == ({"file": full.name, "sha256": file_sha256(full)} if full.is_file() else None)
    assert 0.3 <= saved["threshold"] <= 1.0
    assert set(saved["cv"]["systems"]) == set(SYSTEMS) and len(saved["cv"]["folds"]) == 5
    assert set(saved["dev"]["systems"]) == set(SYSTEMS)
    assert saved["cv"]["systems"]["rules"]["pooled"]["n"] == saved["splits"]["train"]["units"]
    card = (out / "MODEL_CARD.md").read_text()
    assert "Test split" in card and "Not scored in this run" in card and "only the first 12 train adverts" in card
    assert any(line.startswith("fold 5/5") for line in lines)
    # the saved model loads quietly with the same rules and relabels a posting
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model(out, analyser=analyser)
    result = analyser.analyse("• Manage the ward budget.\n• Provide direct patient care.", title="Ward Manager")
    assert len(relabel(result, model)) == len(result.sentences)
    # applying the saved model to the dev units reproduces the dev figure that training recorded
    dev_units = [u for u in read_jsonl(GOLD / "units.jsonl.gz") if u["split"] == "dev"]
    adverts = train_module.read_adverts(shared_sample, {u["advert_id"] for u in dev_units})
    results = {a: analyser.analyse(r["description"], title=r["title"], doc_id=a) for a, r in adverts.items()}
    by_advert: dict[str, list] = {}
    for u in dev_units:
        by_advert.setdefault(u["advert_id"], []).append(u)
    gold, final = [], []
    for a, us in by_advert.items():
        preds = predict_units(results[a], [(u["start"], u["end"]) for u in us], model)
        gold += [u["label"] for u in us]
        final += [p.pole for p in preds]
    assert macro_f1(gold, final) == pytest.approx(saved["dev"]["systems"]["model+rules"]["macro_f1"], abs=1e-4)
    # verdict settings fitted with the model on the train posts of those 12 adverts, out of fold, and used
    v = saved["verdict"]
    assert v["train_oof"]["n"] == 12 and v["dev"]["n"] == v["dev_rules_only"]["n"] > 0 and "test" not in v
    assert set(v["settings"]) == {"min_evidence", "leadership_at_least", "management_at_most"}
    assert model.scoring()["verdict"] == v["settings"]
    # the interval scale is fitted on the same posts and used with the model
    iv = v["interval"]
    assert iv["n"] > 0 and model.scoring()["interval_scale"] == iv["scale"]
    assert [s for s, _ in iv["table"]] == sorted(s for s, _ in iv["table"])
    assert v["rule"] == "thresholds" and "classifier" not in v     # too few posts to compare the verdict rules
    assert "## Post verdicts with the model" in card


@pytest.mark.slow
@pytest.mark.shared_data
def test_crafted_sentences_join_training_but_are_never_scored(tmp_path, analyser, shared_sample):
    out = tmp_path / "m"
    meta = train(GOLD / "units.jsonl.gz", shared_sample, analyser, out, max_train_adverts=8, evaluate_test=False,
                 n_splits=2, grid=({"C": 1.0},), sentences=[GOLD / "contrast.jsonl"], sentence_weight=3.0)
    n_contrast = len(read_jsonl(GOLD / "contrast.jsonl"))
    assert meta["splits"]["sentences"]["units"] == n_contrast
    assert meta["sentence_weight"] == 3.0
    assert meta["sentences"][0]["sha256"] == file_sha256(GOLD / "contrast.jsonl")
    # the CV scores the train units only
    assert meta["cv"]["systems"]["rules"]["pooled"]["n"] == meta["splits"]["train"]["units"]
    card = (out / "MODEL_CARD.md").read_text()
    assert "Crafted sentences in training" in card and "counted as 3 real units" in card


def test_build_sentences_gives_each_crafted_sentence_its_weight_and_unit_data_keeps_it(analyser):
    extractor = FeatureExtractor(analyser, FeatureConfig())
    crafted = build_sentences(GOLD / "contrast_b.jsonl", analyser, extractor, weight=3.0)
    assert len(crafted) == len(read_jsonl(GOLD / "contrast_b.jsonl")) and set(crafted.weight) == {3.0}
    plain = build_sentences(GOLD / "contrast_b.jsonl", analyser, extractor)
    both = plain.take([0, 1]) + crafted.take([2])
    assert both.weight.tolist() == [1.0, 1.0, 3.0] and both.take([2]).weight.tolist() == [3.0]
