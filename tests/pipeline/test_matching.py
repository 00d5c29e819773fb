"""The anchored matcher finds exactly what one spaCy Matcher with every pattern finds."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from leadlens.pipeline.matching import AnchoredMatcher, pattern_anchor

from ..conftest import SAMPLE


@pytest.mark.parametrize("pattern, anchor", [
    ([{"LEMMA": "manage"}], {"manage"}),
    ([{"LOWER": "the", "OP": "?"}, {"LEMMA": {"IN": ["set", "shape"]}}, {"LEMMA": "direction"}], {"direction"}),
    ([{"POS": "VERB"}], None),
    ([{"LEMMA": "x", "OP": "*"}], None),
])
def test_pattern_anchor(pattern, anchor):
    got = pattern_anchor(pattern)
    assert (got is None and anchor is None) or set(got) == anchor


@pytest.mark.slow
def test_same_matches_as_one_matcher(analyser):
    rules = [r for r in analyser.rules.lexicon if r.kind == "token"]
    plain = Matcher(analyser.nlp.vocab)
    anchored = AnchoredMatcher(analyser.nlp.vocab)
    for r in rules:
        plain.add(r.id, [r.token_pattern()])
        anchored.add(r.id, r.token_pattern())
    units = []
    for path in sorted(SAMPLE.glob("*.txt"))[:12]:
        units += [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    docs = list(analyser.parser.pipe_units(units))
    assert len(docs) > 100
    total = 0
    for doc in docs:
        expected = sorted(set(plain(doc)), key=lambda m: (m[1], m[2], m[0]))
        assert anchored(doc) == expected, doc.text
        total += len(expected)
    assert total > 50
