"""A token matcher that only tries the patterns whose anchor word occurs in the doc.

spaCy's ``Matcher`` tries every pattern at every token, which with hundreds of patterns (many beginning with an
optional token) dominates leadlens's run time. Here each pattern gets its own ``Matcher`` and an *anchor*: the
words (lower-cased lemma, lower-case form or exact text) of one of its required tokens. A doc's patterns are those
whose anchor occurs in it, so a unit with none of the rules' words costs one set lookup per token. Patterns
without an anchor are always tried. Results equal those of one ``Matcher`` holding every pattern (a test checks).
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..prefilter import LEXICAL_KEYS, is_required, lexical_values

def pattern_anchor(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` contains (the smallest such set), or None."""
    groups = [frozenset(vals) for tok in pattern if is_required(tok.get("OP"))
              for key in LEXICAL_KEYS if (vals := lexical_values(tok.get(key))) is not None]
    return min(groups, key=len) if groups else None


class AnchoredMatcher:
    """Drop-in for ``Matcher.__call__``: returns ``(match_id, start, end)`` triples for the added patterns.

    Patterns are grouped by anchor word: one ``Matcher`` per word holds every pattern anchored by it (a pattern
    whose anchor is a set of words sits in each of their matchers; duplicate matches are merged). A doc runs the
    matchers of the words it contains, plus one matcher of unanchored patterns. Each ``Matcher`` call walks the
    whole doc, so the number of calls, not the number of patterns, is what costs.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._by_word: dict[str, Matcher] = {}
        self._always: Matcher | None = None
        self._n = 0

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        self._n += 1
        anchor = pattern_anchor(pattern)
        if anchor is None:
            if self._always is None:
                self._always = Matcher(self.vocab)
            self._always.add(key, [pattern])
            return
        for word in anchor:
            m = self._by_word.get(word)
            if m is None:
                m = self._by_word[word] = Matcher(self.vocab)
            m.add(key, [pattern])

    def __len__(self) -> int:
        return self._n

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        by_word = self._by_word
        words: set[str] = set()
        for tok in doc:
            words.add(tok.lower_)
            words.add(tok.lemma_.lower())
        matchers = [by_word[w] for w in words if w in by_word]
        if self._always is not None:
            matchers.append(self._always)
        out: set[tuple[int, int, int]] = set()
        for m in matchers:
            out.update(m(doc))
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))
