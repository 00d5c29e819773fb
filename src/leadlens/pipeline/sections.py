"""Advert sections from heading rules: ``leadlens_sections``.

A line is a heading when it is short and one of the rules in ``resources/sections.jsonl`` matches it (after
bullets, numbering and a trailing colon are stripped); the section runs to the next heading. An inline heading
("Main duties: ...") switches the section at the start of its line. The first line is the title when it equals
the posting's title (or, with no title given, when it is short and unpunctuated); headings and the title are
not duties and score nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import SectionRule, load_section_rules
from .extensions import register_extensions

MAX_HEADING_CHARS = 80
_STRIP = re.compile(r"^[\s•·●▪■►\-\*–—#>\d.)(]*|[\s:–—\-|.]*$")
_INLINE = re.compile(r"^\s*([^:\n]{3,60}):\s+\S")


@dataclass(frozen=True)
class Line:
    """A line of the text with its offsets."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> Iterator[Line]:
    """Yield every line with its character offsets (line breaks excluded)."""
    pos = 0
    for raw in text.split("\n"):
        yield Line(pos, pos + len(raw), raw)
        pos += len(raw) + 1


def normalise_heading(text: str) -> str:
    """Strip bullets, numbering, markdown marks and a trailing colon, collapse spaces."""
    return " ".join(_STRIP.sub("", text.replace("**", "").replace("__", "")).split())


def classify_heading(text: str, rules: Iterable[SectionRule]) -> str | None:
    """The section a heading line opens, or None if the line is not a known heading."""
    if len(text.strip()) > MAX_HEADING_CHARS:
        return None
    norm = normalise_heading(text)
    if not norm or len(norm.split()) > 9:
        return None
    for rule in rules:
        if rule.regex.fullmatch(norm):
            return rule.section
    return None


def find_sections(text: str, rules: list[SectionRule], title: str | None = None,
                  ) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int]]]:
    """Return the sections as (start, end, label, heading) and the heading lines as (start, end)."""
    sections: list[tuple[int, int, str, str]] = []
    headings: list[tuple[int, int]] = []
    current, cur_start, cur_heading = "unknown", 0, ""
    seen = 0
    multiline = sum(1 for ln in text.split("\n") if ln.strip()) > 1
    for line in split_lines(text):
        stripped = line.text.strip()
        if not stripped:
            continue
        seen += 1
        if (seen == 1 or (title and seen <= 3)) and _is_title_line(stripped, title, multiline):
            headings.append((line.start, line.end))
            continue
        label = classify_heading(stripped, rules)
        if label is not None:
            headings.append((line.start, line.end))
        else:
            m = _INLINE.match(line.text)
            if m:
                label = classify_heading(m.group(1), rules)
        if label is not None:
            if line.start > cur_start:
                sections.append((cur_start, line.start, current, cur_heading))
            current, cur_start, cur_heading = label, line.start, stripped
    sections.append((cur_start, len(text), current, cur_heading))
    return [s for s in sections if s[1] > s[0]], headings


def _is_title_line(line: str, title: str | None, multiline: bool = True) -> bool:
    if title:
        return normalise_heading(line).lower() == normalise_heading(title).lower()
    return multiline and len(line) <= MAX_HEADING_CHARS and not line.endswith((".", "?", "!")) \
        and len(line.split()) <= 12


class SectionTagger:
    """Sets ``doc._.ll_sections`` and ``doc._.ll_headings`` from the heading rules.

    Args:
        rules: heading rules; the shipped ``sections.jsonl`` by default.
    """

    def __init__(self, rules: list[SectionRule] | None = None) -> None:
        register_extensions()
        self.rules = rules if rules is not None else load_section_rules()

    def __call__(self, doc: Doc) -> Doc:
        title = doc.user_data.get("ll_title")
        sections, headings = find_sections(doc.text, self.rules, title)
        doc._.ll_sections = sections
        doc._.ll_headings = headings
        return doc


@Language.factory("leadlens_sections", assigns=["doc._.ll_sections", "doc._.ll_headings"])
def make_sections(nlp: Language, name: str) -> SectionTagger:
    """Factory for :class:`SectionTagger`."""
    return SectionTagger()
