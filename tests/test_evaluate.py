"""Regression on the development gold set: macro-F1 must not fall below the level reached.

The floors are the figures measured when the gold set was last changed (see corpora/gold/README.md), rounded
down; raise them when leadlens improves, never lower them to make a change pass.
"""

from __future__ import annotations

import pytest

import gzip
import json

from leadlens.evaluate import evaluate_contrast, evaluate_units, gold_files, metrics, read_jsonl

from .conftest import GOLD

CONTRAST_FLOOR = 0.96
UNITS_FLOOR = 0.81


def test_metrics_on_a_known_table():
    sc = metrics("t", ["L", "M", "N", "N"], ["L", "N", "N", "N"])
    assert sc.per_class["L"]["f1"] == 1.0
    assert sc.per_class["M"]["recall"] == 0.0
    assert sc.confusion.loc["gold M", "pred N"] == 1
    assert round(sc.macro_f1, 4) == round((1 + 0 + 0.8) / 3, 4)


def test_read_jsonl_reads_plain_and_gzip_files_alike(tmp_path):
    rows = [{"advert_id": "1", "label": "M", "note": "café"}, {"advert_id": "2", "label": "N", "note": ""}]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "\n"
    (tmp_path / "u.jsonl").write_text(text, encoding="utf-8")
    with gzip.open(tmp_path / "u.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(text)
    assert read_jsonl(tmp_path / "u.jsonl") == rows
    assert read_jsonl(tmp_path / "u.jsonl.gz") == rows


def test_gold_files_finds_each_set_once_plain_before_gzip(tmp_path):
    for name in ("units.jsonl.gz", "posts.jsonl", "posts.jsonl.gz", "notes.jsonl"):
        (tmp_path / name).write_text("")
    assert gold_files(tmp_path) == [tmp_path / "units.jsonl.gz", tmp_path / "posts.jsonl"]
    assert gold_files(tmp_path / "notes.jsonl") == [tmp_path / "notes.jsonl"]
    assert gold_files(tmp_path / "missing") == []


def test_shipped_gold_folder_has_all_three_sets():
    assert [f.name.split(".")[0] for f in gold_files(GOLD)] == ["contrast", "units", "posts"]


@pytest.mark.slow
def test_contrast_sentences_macro_f1(analyser):
    scores, table = evaluate_contrast(analyser, GOLD / "contrast.jsonl")
    assert scores.n >= 100
    assert scores.macro_f1 >= CONTRAST_FLOOR, scores.confusion


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_units_macro_f1(analyser, shared_sample):
    scores, table = evaluate_units(analyser, GOLD / "units.jsonl.gz", shared_sample, splits=("dev",))
    assert scores.n >= 400
    assert table["advert_id"].nunique() >= 20
    assert scores.macro_f1 >= UNITS_FLOOR, scores.confusion


POSTS_KAPPA_FLOOR = 0.5


@pytest.mark.slow
@pytest.mark.shared_data
def test_post_verdicts(analyser, shared_sample):
    from leadlens.evaluate import evaluate_posts

    scores, table = evaluate_posts(analyser, GOLD / "posts.jsonl", shared_sample, splits=("dev",))
    assert scores.n == 25
    assert set(table["pred"]) <= {"leadership", "management", "mixed", "insufficient"}
    assert scores.kappa >= POSTS_KAPPA_FLOOR, scores.confusion
    lino = scores.by_group["leader_in_name_only"]
    assert 0 <= lino["precision"] <= 1 and lino["n_gold"] >= 1
