"""A cheap first pass: which units could hold a lexicon match at all?

Every lexicon rule needs some word to be present: for a token rule, one of its required (non-optional) tokens
with a LEMMA/LOWER/ORTH/TEXT/NORM constraint; for a verb-object rule, one of its objects. A unit none of whose
words (in lower case, or any form a suffix rule or the lemmatizer's exception table could map to such a lemma)
is an anchor of some rule cannot match, so it need not be tagged or parsed. If any rule has no such anchor, the
filter lets every unit through. The filter only skips work: a test checks that the fast and full paths give
identical spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language

from .rules import LexiconRule

LEXICAL_KEYS = ("LEMMA", "LOWER", "ORTH", "TEXT", "NORM")


def _values(constraint: Any) -> list[str] | None:
    if isinstance(constraint, str):
        return [constraint.lower()]
    if isinstance(constraint, dict) and isinstance(constraint.get("IN"), list):
        return [str(v).lower() for v in constraint["IN"]]
    return None


def rule_anchors(rule: LexiconRule) -> set[str] | None:
    """Words one of which every match of ``rule`` contains; None when the rule has no lexical anchor."""
    if rule.kind == "verb_object":
        return set(rule.objects)
    best: set[str] | None = None
    for tok in rule.token_pattern():
        if tok.get("OP") in ("?", "*", "!"):
            continue
        for key in LEXICAL_KEYS:
            vals = _values(tok.get(key))
            if vals is not None and (best is None or len(vals) < len(best)):
                best = set(vals)
    return best


def lemma_candidates(word: str, exceptions: dict[str, set[str]]) -> set[str]:
    """Lower-case ``word`` and every lemma it might have (inflectional suffixes, irregular forms)."""
    w = word.lower()
    out = {w}
    out |= exceptions.get(w, set())
    n = len(w)
    if n > 3 and w.endswith("s"):
        out.add(w[:-1])
        if w.endswith("es"):
            out.add(w[:-2])
        if w.endswith("ies"):
            out.add(w[:-3] + "y")
    if n > 4 and w.endswith("ed"):
        out |= {w[:-1], w[:-2], w[:-3]}
        if w.endswith("ied"):
            out.add(w[:-3] + "y")
    if n > 5 and w.endswith("ing"):
        out |= {w[:-3], w[:-3] + "e", w[:-4]}
    if n > 4 and w.endswith(("er", "est")):
        stem = w[:-2] if w.endswith("er") else w[:-3]
        out |= {stem, stem + "e", stem[:-1]}
    return out


def lemma_exceptions(nlp: Language) -> dict[str, set[str]]:
    """Irregular forms from the pipeline's lemmatizer tables (form -> lemmas), empty when it has none."""
    out: dict[str, set[str]] = {}
    if "lemmatizer" not in nlp.pipe_names:
        return out
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_exc"):
        return out
    table = lookups.get_table("lemma_exc")
    for pos in table.keys():
        for form, lemmas in table[pos].items():
            out.setdefault(form.lower(), set()).update(lemma.lower() for lemma in lemmas)
    return out


class Prefilter:
    """Decides from a unit's words whether it could hold a lexicon match."""

    def __init__(self, rules: Iterable[LexiconRule], nlp: Language) -> None:
        anchors: set[str] = set()
        self.unanchored: list[str] = []
        for rule in rules:
            a = rule_anchors(rule)
            if a is None:
                self.unanchored.append(rule.id)
            else:
                anchors |= a
        self.anchors = frozenset(anchors)
        self.exceptions = lemma_exceptions(nlp)
        self._memo: dict[str, bool] = {}

    @property
    def active(self) -> bool:
        return not self.unanchored

    def word_hits(self, word: str) -> bool:
        hit = self._memo.get(word)
        if hit is None:
            hit = not self.anchors.isdisjoint(lemma_candidates(word, self.exceptions))
            if len(self._memo) < 200_000:
                self._memo[word] = hit
        return hit

    def could_match(self, words: Iterable[str]) -> bool:
        """True when some word of the unit is (or may inflect from) an anchor."""
        if not self.active:
            return True
        return any(self.word_hits(w) for w in words)
