"""The custom attributes leadlens sets, registered in one place under the ``ll_`` prefix."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

SPANS_KEY = "leadlens"
"""Key of ``doc.spans`` holding every lexicon match (excluded ones included, with their reason)."""

SPAN_DEFAULTS: dict[str, object] = {
    "ll_rule": None,          # rule id
    "ll_axis": None,
    "ll_pole": None,          # "L" or "M"
    "ll_weight": 0.0,         # the rule's weight
    "ll_kind": None,          # "token" or "verb_object"
    "ll_tokens": None,        # tuple of token indices the rule matched (verb, object, ...)
    "ll_sense": None,         # id of the sense exclusion that applies, if any
    "ll_negated": False,
    "ll_hypothetical": False,
    "ll_agent": "post_holder",  # "post_holder" or "organisation"
    "ll_boilerplate": False,
    "ll_title_mention": False,
    "ll_cues": None,          # tuple of (context rule id, category) that applied
    "ll_section": None,
}


def register_extensions() -> None:
    """Register every ``ll_`` attribute (idempotent)."""
    for name, default in SPAN_DEFAULTS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Doc.has_extension("ll_sections"):
        Doc.set_extension("ll_sections", default=None)  # list of (start_char, end_char, label, heading)
    if not Doc.has_extension("ll_headings"):
        Doc.set_extension("ll_headings", default=None)  # list of (start_char, end_char) of heading lines
    if not Token.has_extension("ll_section"):
        Token.set_extension("ll_section", getter=_token_section)


def section_at(doc: Doc, char: int) -> str:
    """The section label at character offset ``char`` ("unknown" when sections were not set)."""
    sections = doc._.ll_sections
    if not sections:
        return "unknown"
    for start, end, label, _ in sections:
        if start <= char < end:
            return label
    return sections[-1][2] if char >= sections[-1][1] else "unknown"


def is_heading(doc: Doc, char: int) -> bool:
    """Whether ``char`` lies inside a line recognised as a section heading or the title line."""
    return any(s <= char < e for s, e in (doc._.ll_headings or ()))


def _token_section(token: Token) -> str:
    return section_at(token.doc, token.idx)
