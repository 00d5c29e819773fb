"""Hyphenated spellings kept whole: ``leadlens_spellings`` (runs after the lemmatizer).

spaCy's English tokenizer splits a word at a hyphen between letters, so the British "co-ordinate" becomes "co",
"-", "ordinate" and the tagger and parser lose the verb. :func:`keep_hyphenated` makes each spelling listed in
``resources/spellings.json`` one token, read by the tagger and parser through its unhyphenated norm; the component
then gives it the unhyphenated lemma for its part of speech ("co-ordinating" -> "coordinate"), so a lexicon entry
matches either spelling.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc

from ..rules import load_spellings

POS_TABLE = {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adj"}


def keep_hyphenated(nlp: Language, table: dict[str, dict[str, Any]]) -> None:
    """Add a tokenizer special case (lower, title and upper case) for each form of ``table``."""
    for form, entry in table.items():
        for variant in {form, form.capitalize(), form.upper()}:
            nlp.tokenizer.add_special_case(variant, [{ORTH: variant, NORM: entry["norm"]}])


def spelling_lemma(entry: dict[str, Any], pos: str) -> str:
    """The lemma of a listed form with part of speech ``pos``: its own for that part of speech, else its first."""
    lemmas = entry.get("lemma", {})
    return lemmas.get(POS_TABLE.get(pos, ""), next(iter(lemmas.values()), entry["norm"]))


class SpellingLemmas:
    """Sets the unhyphenated lemma on every token listed in ``table`` (``spellings.json`` by default)."""

    def __init__(self, table: dict[str, dict[str, Any]] | None = None) -> None:
        self.table = table if table is not None else load_spellings()

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            entry = self.table.get(tok.lower_) if "-" in tok.text else None
            if entry is not None:
                tok.lemma_ = spelling_lemma(entry, tok.pos_)
        return doc


@Language.factory("leadlens_spellings")
def make_spellings(nlp: Language, name: str) -> SpellingLemmas:
    """Factory for :class:`SpellingLemmas`."""
    return SpellingLemmas()
