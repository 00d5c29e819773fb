"""Line breaks and bullets are sentence boundaries: ``leadlens_boundaries`` (runs before the parser)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

BULLETS = frozenset({"•", "·", "●", "○", "▪", "■", "►", "-", "*", "–", "—", "o", "‣", "◦", "✓", "➢"})


def sentence_starts(doc: Doc) -> tuple[list[int], list[int]]:
    """Tokens that must start a sentence (the first token of every line) and tokens that must not (the word
    right after a line-initial bullet, which belongs to the bullet's sentence)."""
    starts: list[int] = []
    inside: list[int] = []
    after_break = True
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text:
                after_break = True
            continue
        if after_break:
            starts.append(tok.i)
            after_break = False
            if tok.text in BULLETS and tok.i + 1 < len(doc) and not doc[tok.i + 1].is_space \
                    and "\n" not in tok.whitespace_:
                inside.append(tok.i + 1)
        if "\n" in tok.whitespace_:
            after_break = True
    return starts, inside


class SentenceBoundaries:
    """Marks the first token of every line (and so every bullet) as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        starts, inside = sentence_starts(doc)
        for i in starts:
            doc[i].is_sent_start = True
        for i in inside:
            doc[i].is_sent_start = False
        return doc


@Language.factory("leadlens_boundaries", assigns=["token.is_sent_start"])
def make_boundaries(nlp: Language, name: str) -> SentenceBoundaries:
    """Factory for :class:`SentenceBoundaries`; add it before the parser."""
    return SentenceBoundaries()
