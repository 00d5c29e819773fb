"""End to end: ``leadlens score`` on the shipped sample corpus writes the output contract."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from leadlens.batch import DOC_COLUMNS, SENT_COLUMNS
from leadlens.cli import app

from .conftest import SAMPLE

runner = CliRunner()
MATCH_CONTRACT = ["doc_id", "sent_id", "start", "end", "text", "lemma", "axis", "pole", "rule_id", "section",
                  "negated", "hypothetical", "agent", "weight"]


@pytest.fixture(scope="module")
def scored(tmp_path_factory, analyser):
    out = tmp_path_factory.mktemp("out")
    bad = tmp_path_factory.mktemp("bad")
    (bad / "broken.docx.txt").write_bytes(b"")
    (bad / "=cmd.xyz").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["score", str(SAMPLE), str(bad), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_output_contract(scored):
    docs = pd.read_csv(scored / "documents.csv")
    sents = pd.read_csv(scored / "sentences.csv")
    matches = pd.read_csv(scored / "matches.csv")
    assert list(docs.columns[:len(DOC_COLUMNS)]) == DOC_COLUMNS
    assert list(sents.columns) == SENT_COLUMNS
    assert list(matches.columns[:len(MATCH_CONTRACT)]) == MATCH_CONTRACT
    n_files = len(list(SAMPLE.glob("*.txt")))
    assert len(docs) == n_files + 2
    ok = docs[docs["error"].isna()]
    assert len(ok) == n_files
    assert set(ok["verdict"]) <= {"leadership", "management", "mixed", "insufficient"}
    assert set(ok["title_kind"]) <= {"leader", "manager", "other"}
    assert ok["leadership_share"].dropna().between(0, 1).all()
    assert (ok["share_low"].dropna() <= ok["leadership_share"].dropna()).all()
    run = json.loads((scored / "run.json").read_text())
    assert run["counts"]["postings"] == len(docs) and run["counts"]["errors"] == 2
    assert run["lexicon_hash"] and run["model"]
    shipped = json.loads((Path(run["sentence_model"]["path"]) / "meta.json").read_text())
    assert run["sentence_model"]["text_classifier_weight"] == (shipped.get("textcat") or {}).get("weight", 0.0)
    # the verdict classifier's probability of each verdict it gave; empty where thresholds decided
    by_classifier = run["scoring"]["verdict_rule"] == "classifier"
    assert ok["verdict_confidence"].notna().all() == by_classifier
    assert ok["verdict_confidence"].dropna().between(0.25, 1).all()


def test_offsets_index_the_text_as_read(scored):
    matches = pd.read_csv(scored / "matches.csv", keep_default_na=False)
    sents = pd.read_csv(scored / "sentences.csv", keep_default_na=False)
    for doc_id, group in matches.groupby("doc_id"):
        text = (SAMPLE / doc_id).read_text(encoding="utf-8")
        for row in group.itertuples():
            assert text[row.start:row.end] == row.text.lstrip("'") or text[row.start:row.end] == row.text
    for doc_id, group in list(sents.groupby("doc_id"))[:5]:
        text = (SAMPLE / doc_id).read_text(encoding="utf-8")
        for row in group.itertuples():
            assert text[row.start:row.end].strip() == row.text.lstrip("'") or \
                text[row.start:row.end].strip() == row.text


def test_bad_files_are_error_rows_with_names(scored):
    docs = pd.read_csv(scored / "documents.csv", keep_default_na=False)
    errors = docs[docs["error"] != ""]
    assert len(errors) == 2
    for row in errors.itertuples():
        assert row.source.split("/")[-1] in row.error
    assert all(not str(v).startswith("=") for v in docs["doc_id"])


def test_sample_corpus_has_every_verdict_kind(scored):
    docs = pd.read_csv(scored / "documents.csv")
    ok = docs[docs["error"].isna()]
    assert {"leadership", "management"} <= set(ok["verdict"])
    assert ok["leader_in_name_only"].any()


def test_strict_exit_code(tmp_path, analyser):
    (tmp_path / "x.pdfx").write_text("?", encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet", "--strict"])
    assert result.exit_code == 3


def test_explain_prints_verdict():
    f = sorted(SAMPLE.glob("*.txt"))[0]
    result = runner.invoke(app, ["explain", str(f)])
    assert result.exit_code == 0, result.output
    assert "verdict:" in result.output


def test_lexicon_validate_and_show():
    r = runner.invoke(app, ["lexicon", "validate"])
    assert r.exit_code == 0 and r.output.startswith("ok:")
    r = runner.invoke(app, ["lexicon", "show", "--axis", "guidance", "--pole", "L", "--json"])
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert rows and all(x["axis"] == "guidance" and x["pole"] == "L" for x in rows)


def test_lexicon_validate_fails_on_bad_file(tmp_path):
    import shutil

    from leadlens.rules import resource_root

    root = tmp_path / "res"
    shutil.copytree(resource_root(), root)
    (root / "senses" / "bad.jsonl").write_text('{"id": "x.y", "pattern": "not a list"}\n', encoding="utf-8")
    r = runner.invoke(app, ["lexicon", "validate", "--root", str(root)])
    assert r.exit_code == 1
    assert "bad.jsonl:1" in r.output


def test_train_defaults_to_the_text_classifier_weight_of_the_model_package():
    import inspect

    from leadlens.cli import train
    from leadlens.model.textcat import DEFAULT_WEIGHT

    assert inspect.signature(train).parameters["textcat_weight"].default.default == DEFAULT_WEIGHT
