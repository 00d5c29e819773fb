"""A cheap first pass: which units could hold a lexicon match at all?

Every match of a lexicon rule contains one word of each of the rule's *requirements*: for a token rule, each
required (not optional: no ``?``, ``*``, ``!`` or ``{0,n}``) token's LEMMA/LOWER/ORTH/TEXT/NORM values; for a
verb-object rule, its objects and its verbs-or-nouns. A word *reaches* a requirement when its lower-case form or a
form that spaCy's lemmatizer could give it (inflectional suffix rules, the lemmatizer's exception table, the
attribute ruler's lemma table) is in it. A unit could hold a match only if, for some rule, every requirement is
reached by a word of the unit; otherwise it need not be tagged or parsed. Requiring all of a rule's word groups,
not one, matters: many rules hold a function word ("vision for the future", "in line with", "and"), which on its
own lets nearly every unit through. If any rule has no requirement, the filter lets every unit through. The
filter only skips work: ``tests/test_fast_path.py`` checks that the fast and full paths give identical spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language

from .rules import LexiconRule

LEXICAL_KEYS = ("LEMMA", "LOWER", "ORTH", "TEXT", "NORM")
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")
MEMO_SIZE = 200_000


def lexical_values(constraint: Any) -> list[str] | None:
    """The lower-cased words a LEMMA/LOWER/ORTH/TEXT/NORM constraint accepts (a string or an IN list), else None."""
    if isinstance(constraint, str):
        return [constraint.lower()]
    if isinstance(constraint, dict) and isinstance(constraint.get("IN"), list):
        return [str(v).lower() for v in constraint["IN"]]
    return None


def is_required(op: Any) -> bool:
    """Whether a pattern token with operator ``op`` occurs in every match (None, ``+``, ``{n}``, ``{n,m}`` with
    n >= 1). ``?``, ``*``, ``!``, ``{0,m}``, ``{,m}`` and anything unknown are not required."""
    if op is None or op == "+":
        return True
    if not isinstance(op, str):
        return False
    m = _QUANTIFIER.fullmatch(op)
    return bool(m and m.group(1) and int(m.group(1)) > 0)


def rule_requirements(rule: LexiconRule) -> list[frozenset[str]]:
    """Word sets such that every match of ``rule`` holds a word (as lemma or lower-case form) of each; empty when
    the rule has no lexical requirement."""
    if rule.kind == "verb_object":
        # the object (by lemma), and a governing verb, gerund or nominal form (by lemma): see VerbObjectIndex
        groups = [tuple(rule.objects), tuple(rule.verbs) + tuple(rule.nouns)]
        return [frozenset(w.lower() for w in g) for g in groups if g]
    out: list[frozenset[str]] = []
    for tok in rule.token_pattern():
        if not is_required(tok.get("OP")):
            continue
        for key in LEXICAL_KEYS:
            vals = lexical_values(tok.get(key))
            if vals is not None:
                out.append(frozenset(vals))
    return out


def rule_anchors(rule: LexiconRule) -> set[str] | None:
    """The smallest requirement of ``rule`` (words one of which every match contains); None when it has none."""
    groups = rule_requirements(rule)
    return set(min(groups, key=len)) if groups else None


def lemma_candidates(word: str, exceptions: dict[str, set[str]]) -> set[str]:
    """Lower-case ``word`` and every lemma spaCy's English rule lemmatizer might give it: the irregular forms of
    ``exceptions`` and every strip of the noun, verb and adjective suffix rules (whether or not the result is a
    known word, since out-of-vocabulary forms are lemmatised by the same rules), plus undoubled consonants."""
    w = word.lower()
    out = {w}
    out |= exceptions.get(w, set())
    n = len(w)

    def add(*forms: str) -> None:
        out.update(f for f in forms if f)

    if w.endswith("s") and n > 1:
        add(w[:-1])
        if w.endswith("es"):
            add(w[:-2])
        if w.endswith("ies"):
            add(w[:-3] + "y")
        if w.endswith("ves"):
            add(w[:-3] + "f", w[:-3] + "fe")
    if w.endswith("men") and n > 3:
        add(w[:-3] + "man")
    if w.endswith("ed") and n > 2:
        add(w[:-1], w[:-2], w[:-3])
        if w.endswith("ied"):
            add(w[:-3] + "y")
    if w.endswith("ing") and n > 3:
        add(w[:-3], w[:-3] + "e", w[:-4])
    if w.endswith(("er", "est")) and n > 3:
        stem = w[:-2] if w.endswith("er") else w[:-3]
        add(stem, stem + "e", stem[:-1])
    return out


def lemma_exceptions(nlp: Language) -> dict[str, set[str]]:
    """Irregular forms (form -> lemmas) from the pipeline lemmatizer's exception tables, from the attribute
    ruler's patterns that set a lemma ("'s" -> "be", "ca" -> "can") and from ``leadlens_spellings``
    ("co-ordinating" -> "coordinate"); empty when it has none of them."""
    out: dict[str, set[str]] = {}
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_exc"):
            table = lookups.get_table("lemma_exc")
            for pos in table.keys():
                for form, lemmas in table[pos].items():
                    out.setdefault(form.lower(), set()).update(lemma.lower() for lemma in lemmas)
    if "attribute_ruler" in nlp.pipe_names:
        for entry in getattr(nlp.get_pipe("attribute_ruler"), "patterns", []):
            lemma = entry.get("attrs", {}).get("LEMMA")
            if not isinstance(lemma, str):
                continue
            for pattern in entry.get("patterns", []):
                for tok in pattern if isinstance(pattern, list) else ():
                    for key in ("LOWER", "ORTH", "TEXT", "NORM"):
                        for form in lexical_values(tok.get(key)) or ():
                            out.setdefault(form, set()).add(lemma.lower())
    if "leadlens_spellings" in nlp.pipe_names:  # hyphenated spellings kept whole get the unhyphenated lemma
        for form, entry in nlp.get_pipe("leadlens_spellings").table.items():
            out.setdefault(form, set()).update(lemma.lower() for lemma in entry.get("lemma", {}).values())
    return out


class Prefilter:
    """Decides from a unit's words whether it could hold a lexicon match."""

    def __init__(self, rules: Iterable[LexiconRule], nlp: Language) -> None:
        self.unanchored: list[str] = []
        self.requirements: list[tuple[frozenset[str], ...]] = []
        by_word: dict[str, list[int]] = {}
        anchors: set[str] = set()
        for rule in rules:
            groups = rule_requirements(rule)
            if not groups:
                self.unanchored.append(rule.id)
                continue
            idx = len(self.requirements)
            self.requirements.append(tuple(groups))
            for word in min(groups, key=len):  # a rule is looked at only when a word of its smallest group occurs
                by_word.setdefault(word, []).append(idx)
            for group in groups:
                anchors |= group
        self.by_word = {w: tuple(v) for w, v in by_word.items()}
        self.anchors = frozenset(anchors)
        self.exceptions = lemma_exceptions(nlp)
        self._memo: dict[str, frozenset[str]] = {}

    @property
    def active(self) -> bool:
        return not self.unanchored

    def word_anchors(self, word: str) -> frozenset[str]:
        """The requirement words that ``word`` could be (as itself or as a lemma)."""
        hit = self._memo.get(word)
        if hit is None:
            hit = frozenset(self.anchors.intersection(lemma_candidates(word, self.exceptions)))
            if len(self._memo) < MEMO_SIZE:
                self._memo[word] = hit
        return hit

    def word_hits(self, word: str) -> bool:
        """True when ``word`` could be a word of some rule's requirement."""
        return bool(self.word_anchors(word))

    def could_match(self, words: Iterable[str]) -> bool:
        """True when, for some rule, every requirement is reached by a word of the unit."""
        if not self.active:
            return True
        present: set[str] = set()
        for w in words:
            hit = self.word_anchors(w)
            if hit:
                present |= hit
        if not present:
            return False
        seen: set[int] = set()
        for word in present:
            for idx in self.by_word.get(word, ()):
                if idx in seen:
                    continue
                seen.add(idx)
                if all(not group.isdisjoint(present) for group in self.requirements[idx]):
                    return True
        return False
