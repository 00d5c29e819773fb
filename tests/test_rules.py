"""Every shipped resource validates; bad rules fail with file, line and reason; rules round-trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leadlens.errors import ResourceError
from leadlens.rules import (ContextRule, LexiconRule, RuleSet, SectionRule, SenseRule, load_axes, load_lexicon,
                            resource_root)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


def test_shipped_resources_load(rules):
    assert len(rules.axes) == 9
    assert rules.context and rules.sections and rules.senses


def test_lexicon_covers_every_pole(rules):
    per = rules.summary()["per_axis"]
    assert set(per) == {"focus", "risk", "change", "novelty", "scale", "style", "horizon", "power", "guidance"}
    for axis, counts in per.items():
        assert counts["L"] >= 25, f"{axis} L has {counts['L']} rules"
        assert counts["M"] >= 25, f"{axis} M has {counts['M']} rules"
    assert len(rules.lexicon) >= 450


def test_lexicon_has_dependency_and_phrase_rules(rules):
    kinds = {r.kind for r in rules.lexicon}
    assert kinds == {"token", "verb_object"}
    assert any(r.kind == "token" and len(r.token_pattern()) >= 3 for r in rules.lexicon)


def test_every_rule_round_trips(rules):
    axes = rules.axes
    for r in rules.lexicon:
        assert LexiconRule.from_dict(r.to_dict(), axes) == r
    for s in rules.senses:
        assert SenseRule.from_dict(s.to_dict()) == s
    for c in rules.context:
        assert ContextRule.from_dict(c.to_dict()) == c
    sections = list(rules.scoring["section_weights"])
    for s in rules.sections:
        assert SectionRule.from_dict(s.to_dict(), sections) == s


GOOD = {"id": "control.budget_x", "axis": "power", "pole": "M", "kind": "verb_object", "verbs": ["manage"],
        "objects": ["budget"]}


@pytest.mark.parametrize("bad, code", [
    ({**GOOD, "colour": "red"}, "E002"),
    ({k: v for k, v in GOOD.items() if k != "axis"}, "E003"),
    ({**GOOD, "pole": "X"}, "E004"),
    ({**GOOD, "axis": "nonsense"}, "E004"),
    ({**GOOD, "id": "vision.budget"}, "E007"),
    ({**GOOD, "weight": 7}, "E008"),
    ({**GOOD, "verbs": []}, "E008"),
    ({"id": "vision.x", "axis": "guidance", "pole": "L", "pattern": [{"LEMMA": {"INN": ["x"]}}]}, "E006"),
    ({"id": "vision.x", "axis": "guidance", "pole": "L", "pattern": [{"LEMMA": "x"}], "literal": "x"}, "E016"),
])
def test_bad_lexicon_rule_is_rejected_with_code(bad, code):
    with pytest.raises(ResourceError) as info:
        LexiconRule.from_dict(bad, load_axes(), "lexicon/x.jsonl", 7)
    assert info.value.code == code
    assert "lexicon/x.jsonl:7" in str(info.value)


def _copy_resources(tmp_path: Path) -> Path:
    root = tmp_path / "resources"
    shutil.copytree(resource_root(), root)
    return root


def test_bad_line_in_a_file_names_file_and_line(tmp_path):
    root = _copy_resources(tmp_path)
    target = sorted((root / "lexicon").glob("*.jsonl"))[0]
    lines = target.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"id": "oops", "axis": "focus"')  # broken JSON on line 3
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        load_lexicon(root)
    assert info.value.code == "E001"
    assert f"{target}:3" in str(info.value)


def test_duplicate_rule_id_is_rejected(tmp_path):
    root = _copy_resources(tmp_path)
    extra = root / "lexicon" / "zz_extra.jsonl"
    first = load_lexicon(root)[0]
    extra.write_text(json.dumps(first.to_dict()) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        load_lexicon(root)
    assert info.value.code == "E005"


def test_resources_readme_documents_every_file():
    readme = (resource_root() / "README.md").read_text(encoding="utf-8")
    for name in ("axes.json", "lexicon/", "senses/", "context_rules.jsonl", "sections.jsonl", "scoring.json",
                 "agents.json", "titles.json", "imperatives.json"):
        assert name in readme, name


def _edited_copy(tmp_path: Path, name: str, edit) -> Path:
    """A copy of the shipped rules under ``tmp_path/name`` with ``scoring.json`` passed through ``edit``."""
    root = tmp_path / name
    shutil.copytree(resource_root(), root)
    scoring = json.loads((root / "scoring.json").read_text(encoding="utf-8"))
    (root / "scoring.json").write_text(json.dumps(edit(scoring), indent=3), encoding="utf-8")
    return root


def test_rules_digest_ignores_comments_and_layout_but_not_rules(tmp_path):
    from leadlens.rules import resources_hash

    shipped = resources_hash()
    assert resources_hash(_edited_copy(tmp_path, "same", lambda d: d)) == shipped  # layout and indentation only
    assert resources_hash(_edited_copy(tmp_path, "comment", lambda d: {**d, "comment": "reworded"})) == shipped
    verdict = lambda d: {**d, "verdict": {**d["verdict"], "min_evidence": d["verdict"]["min_evidence"] + 1}}  # noqa: E731
    assert resources_hash(_edited_copy(tmp_path, "rule", verdict)) != shipped
    lexicon = tmp_path / "lexicon_order"
    shutil.copytree(resource_root(), lexicon)
    path = sorted((lexicon / "lexicon").glob("*.jsonl"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[1:] + lines[:1]) + "\n", encoding="utf-8")  # rule order can matter
    assert resources_hash(lexicon) != shipped
