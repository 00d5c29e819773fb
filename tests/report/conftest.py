"""Fixtures of the report tests: small output folders written by the real scorer, then reported on.

``batch_out`` runs :func:`leadlens.batch.score` with the shipped rules (whose lexicon may still be partial) on
a few sample adverts, a posting titled ``<script>alert(1)</script>`` and an unreadable file. ``lexicon_out``
scores the same inputs plus a CSV with band and employer columns with a small fixed lexicon
(``data/lexicon.jsonl``), so spans, exclusions and breakdowns are there whatever the shipped lexicon holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportkit import DATA, make_inputs, score_with


@pytest.fixture(scope="session")
def batch_out(tmp_path_factory) -> Path:
    from leadlens.batch import score
    from leadlens.report import write_report

    inputs = make_inputs(tmp_path_factory.mktemp("inputs"))
    out = tmp_path_factory.mktemp("batch_out")
    score([inputs], out=out)
    write_report(out)
    return out


@pytest.fixture(scope="session")
def rules_root(tmp_path_factory) -> Path:
    """The shipped resources with the lexicon and senses replaced by the fixed test ones."""
    from leadlens.rules import resource_root

    root = tmp_path_factory.mktemp("rules") / "resources"
    shutil.copytree(resource_root(), root, ignore=shutil.ignore_patterns("lexicon", "senses", "__pycache__"))
    (root / "lexicon").mkdir()
    (root / "senses").mkdir()
    shutil.copy(DATA / "lexicon.jsonl", root / "lexicon" / "test.jsonl")
    shutil.copy(DATA / "senses.jsonl", root / "senses" / "test.jsonl")
    return root


@pytest.fixture(scope="session")
def lexicon_out(tmp_path_factory, rules_root) -> Path:
    from leadlens.analysis import Analyser
    from leadlens.evaluate import metrics
    from leadlens.report import write_report

    inputs = make_inputs(tmp_path_factory.mktemp("inputs_lex"))
    shutil.copy(DATA / "bands.csv", inputs / "bands.csv")
    out = tmp_path_factory.mktemp("lexicon_out")
    score_with(Analyser(None, rules_root=rules_root), [inputs], out)
    evaluation = {"contrast": metrics("contrast", ["L", "M", "N", "M"], ["L", "M", "M", "M"],
                                      data="4 test sentences")}
    write_report(out, explain_all=True, evaluation=evaluation)
    return out
