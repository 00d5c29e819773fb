"""tools/rule_agreement.py: per-rule agreement with the gold unit labels, never on the test split."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "rule_agreement.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("rule_agreement", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_counts_agreement_by_the_unit_label(tool):
    text = "Manage the ward budget.\nManage the ward budget and the rota.\nWe offer free parking."
    first, second = text.index("Manage"), text.index("Manage", 5)
    units = [{"advert_id": "a1", "start": first, "end": second - 1, "label": "M"},
             {"advert_id": "a1", "start": second, "end": text.index("We") - 1, "label": "N"}]
    counts, wrong = tool.agreement(units, {"a1": {"description": text, "title": "Ward Manager"}})
    budget = [c for (rid, pole), c in counts.items() if pole == "M" and c["agree"]]
    assert budget, counts
    assert any(c["gold_N"] for c in counts.values())  # the second unit is labelled N: its matches disagree
    assert all(label == "N" and decision == "M" for rows in wrong.values() for label, decision, _ in rows)
    assert wrong  # and the rules' decision there was wrong


def test_the_test_split_is_refused(tool, capsys):
    assert tool.main(["--splits", "train,test"]) == 2
    assert "test split" in capsys.readouterr().err
