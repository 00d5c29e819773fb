"""A token matcher that only tries the patterns whose anchor word occurs in the doc.

spaCy's ``Matcher`` tries every pattern at every token, which with hundreds of patterns (many beginning with an
optional token) dominates leadlens's run time. Here each pattern gets its own ``Matcher`` and an *anchor*: the
words (lower-cased lemma, lower-case form or exact text) of one of its required tokens. A doc's patterns are those
whose anchor occurs in it, so a unit with none of the rules' words costs one set lookup per token. Patterns
without an anchor are always tried. Results equal those of one ``Matcher`` holding every pattern.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

LEXICAL_KEYS = ("LEMMA", "LOWER", "ORTH", "TEXT", "NORM")


def _values(constraint: Any) -> list[str] | None:
    if isinstance(constraint, str):
        return [constraint.lower()]
    if isinstance(constraint, dict) and isinstance(constraint.get("IN"), list):
        return [str(v).lower() for v in constraint["IN"]]
    return None


def pattern_anchor(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` contains (the smallest such set), or None."""
    best: frozenset[str] | None = None
    for tok in pattern:
        if tok.get("OP") in ("?", "*", "!") or (isinstance(tok.get("OP"), str) and tok["OP"].startswith("{0")):
            continue
        for key in LEXICAL_KEYS:
            vals = _values(tok.get(key))
            if vals is not None and (best is None or len(vals) < len(best)):
                best = frozenset(vals)
    return best


class AnchoredMatcher:
    """Drop-in for ``Matcher.__call__``: returns ``(match_id, start, end)`` triples for the added patterns."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._matchers: list[Matcher] = []
        self._by_anchor: dict[str, list[int]] = {}
        self._always: list[int] = []

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        m = Matcher(self.vocab)
        m.add(key, [pattern])
        idx = len(self._matchers)
        self._matchers.append(m)
        anchor = pattern_anchor(pattern)
        if anchor is None:
            self._always.append(idx)
        else:
            for word in anchor:
                self._by_anchor.setdefault(word, []).append(idx)

    def __len__(self) -> int:
        return len(self._matchers)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        chosen = set(self._always)
        by_anchor = self._by_anchor
        for tok in doc:
            for word in (tok.lower_, tok.lemma_.lower(), tok.text.lower()):
                hits = by_anchor.get(word)
                if hits:
                    chosen.update(hits)
        out: list[tuple[int, int, int]] = []
        for idx in sorted(chosen):
            out.extend(self._matchers[idx](doc))
        return sorted(set(out), key=lambda m: (m[1], m[2], m[0]))
