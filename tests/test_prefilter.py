"""The prefilter: which words a rule requires, which lemmas a word may have, and when a unit may be skipped.

Run on hand-built rules and a blank pipeline; ``test_fast_path.py`` checks the filter against full parsing on
real adverts.
"""

from __future__ import annotations

import pytest
import spacy

from leadlens.prefilter import Prefilter, is_required, lemma_candidates, lemma_exceptions, rule_requirements
from leadlens.rules import LexiconRule, load_axes


@pytest.fixture(scope="module")
def axes():
    return load_axes()


def token_rule(axes, pattern, rule_id="vision.test"):
    return LexiconRule.from_dict({"id": rule_id, "axis": "guidance", "pole": "L", "pattern": pattern}, axes)


def vo_rule(axes, verbs, objects, nouns=(), rule_id="process.test"):
    d = {"id": rule_id, "axis": "focus", "pole": "M", "kind": "verb_object", "verbs": list(verbs),
         "objects": list(objects)}
    if nouns:
        d["nouns"] = list(nouns)
    return LexiconRule.from_dict(d, axes)


@pytest.mark.parametrize("op, required", [
    (None, True), ("+", True), ("{1}", True), ("{2,4}", True), ("{1,}", True),
    ("?", False), ("*", False), ("!", False), ("{0,4}", False), ("{0}", False), ("{,3}", False), ("{0,}", False),
])
def test_is_required(op, required):
    assert is_required(op) is required


def test_optional_quantified_token_is_not_a_requirement(axes):
    # "{0,4}" lets the token be absent, so "the" must not be required: a unit without it can still match
    rule = token_rule(axes, [{"LEMMA": "standard"}, {"LOWER": {"IN": ["the", "of"]}, "OP": "{0,4}"},
                             {"LEMMA": "maintain"}])
    assert rule_requirements(rule) == [frozenset({"standard"}), frozenset({"maintain"})]


def test_requirements_of_a_token_rule_are_all_required_lexical_tokens(axes):
    rule = token_rule(axes, [{"LOWER": {"IN": ["vision", "ambition"]}}, {"LOWER": "for"}, {"LOWER": "the"},
                             {"POS": "ADJ", "OP": "?"}, {"LEMMA": {"IN": ["future", "service"]}}])
    assert rule_requirements(rule) == [frozenset({"vision", "ambition"}), frozenset({"for"}), frozenset({"the"}),
                                       frozenset({"future", "service"})]


def test_requirements_of_a_verb_object_rule(axes):
    rule = vo_rule(axes, ["manage"], ["budget"], nouns=["management"])
    assert rule_requirements(rule) == [frozenset({"budget"}), frozenset({"manage", "management"})]


@pytest.mark.parametrize("word, lemma", [
    ("Managed", "manage"), ("managing", "manage"), ("budgets", "budget"), ("priorities", "priority"),
    ("coaches", "coach"), ("running", "run"), ("bigger", "big"), ("halves", "half"), ("chairmen", "chairman"),
    ("ops", "op"), ("led", "led"),
])
def test_lemma_candidates_reach_the_suffix_rules(word, lemma):
    assert lemma in lemma_candidates(word, {})


def test_lemma_candidates_use_the_exception_table():
    assert "lead" in lemma_candidates("Led", {"led": {"lead"}})


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def test_a_unit_must_reach_every_requirement_of_some_rule(axes, blank):
    pf = Prefilter([token_rule(axes, [{"LOWER": "vision"}, {"LOWER": "for"}, {"LOWER": "the"},
                                      {"LOWER": "future"}])], blank)
    assert pf.active
    assert not pf.could_match("apply for the post".split())  # "for", "the": function words alone
    assert not pf.could_match("our vision for the service".split())
    assert pf.could_match("a vision for the future".split())
    assert pf.could_match("the future : vision for".split())  # order is the matcher's business


def test_verb_object_rule_needs_object_and_verb(axes, blank):
    pf = Prefilter([vo_rule(axes, ["manage"], ["budget"], nouns=["management"])], blank)
    assert not pf.could_match("the budget is set".split())
    assert not pf.could_match("manage the ward".split())
    assert pf.could_match("managing budgets".split())
    assert pf.could_match("budget management".split())


def test_any_rule_can_open_the_filter(axes, blank):
    pf = Prefilter([token_rule(axes, [{"LOWER": "vision"}, {"LOWER": "for"}], "vision.a"),
                    vo_rule(axes, ["manage"], ["budget"])], blank)
    assert pf.could_match("manages a budget".split())
    assert pf.could_match("vision for".split())
    assert not pf.could_match("for a budget".split())


def test_a_rule_without_lexical_requirement_turns_the_filter_off(axes, blank):
    pf = Prefilter([token_rule(axes, [{"POS": "VERB"}, {"POS": "NOUN"}])], blank)
    assert not pf.active and pf.unanchored == ["vision.test"]
    assert pf.could_match(["anything"])


@pytest.mark.slow
def test_attribute_ruler_lemmas_are_exceptions(analyser):
    exc = lemma_exceptions(analyser.nlp)
    assert "be" in exc["'s"] and "can" in exc["ca"]
    assert "lead" in exc["led"]
