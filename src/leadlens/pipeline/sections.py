"""Advert sections from heading rules: ``leadlens_sections``.

A line is a heading when it is short and one of the rules in ``resources/sections.jsonl`` matches it (after
bullets, numbering and a trailing colon are stripped); the section runs to the next heading. An inline heading
("Main duties: ...") switches the section at the start of its line, and, for the narrative sections listed in
``scoring.json`` (``inline_carry``: "About the role: We are seeking ..."), keeps it for the lines after. A section
opened by a heading can also end without one: a rule with ``exits`` ("We are looking for ...", "The post holder
will ..." after "Our Trust") switches an organisation section back to the post's text. The first line is the
title when it equals the posting's title (or, with no title given, when it is short and unpunctuated); headings
and the title are not duties and score nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import SectionRule, load_scoring, load_section_rules
from .extensions import register_extensions

MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 9
# a line ending in a colon that introduces a list ("In return we can offer a wide range of benefits, including:")
# may be longer than a heading; only rules written for such lead-ins match that much text
MAX_LEAD_IN_CHARS = 200
MAX_LEAD_IN_WORDS = 30
_STRIP = re.compile(r"^[\s•·●▪■►\-\*–—#>\d.)(]*|[\s:;–—\-|.]*$")
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
    """The section a heading line opens, or None if the line is not a known heading.

    A heading has at most ``MAX_HEADING_CHARS`` characters and ``MAX_HEADING_WORDS`` words; a lead-in line that
    ends in a colon ("Other benefits of working for us include:") may have up to ``MAX_LEAD_IN_CHARS`` and
    ``MAX_LEAD_IN_WORDS``.
    """
    stripped = text.strip()
    lead_in = stripped.endswith(":")
    if len(stripped) > (MAX_LEAD_IN_CHARS if lead_in else MAX_HEADING_CHARS):
        return None
    norm = normalise_heading(text)
    if not norm or len(norm.split()) > (MAX_LEAD_IN_WORDS if lead_in else MAX_HEADING_WORDS):
        return None
    for rule in rules:
        if not rule.exits and rule.regex.fullmatch(norm):
            return rule.section
    return None


def exit_section(text: str, current: str, rules: Iterable[SectionRule]) -> str | None:
    """The section a line that is not a heading switches to from ``current``, by the rules with ``exits``."""
    norm = None
    for rule in rules:
        if current in rule.exits:
            norm = normalise_heading(text) if norm is None else norm
            if rule.regex.match(norm):
                return rule.section
    return None


def find_sections(text: str, rules: list[SectionRule], title: str | None = None,
                  short: dict[str, int] | None = None, carry: Iterable[str] = (),
                  ) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int]]]:
    """Return the sections as (start, end, label, heading) and the heading lines as (start, end).

    A heading line opens a section that runs to the next heading. An inline heading ("Main duties: ...",
    "Salary: £30,000") labels its own line, and the lines after it too when its section is in ``carry``; when the
    rest of its line is a heading too ("Key Responsibilities: Leadership and Management"), the line is a heading.
    A section listed in ``short`` (label -> lines) is a field label such as "Salary" or "Band": it lasts that many
    non-empty lines, then the section before it resumes. A line matching an exit rule for the current section
    (:func:`exit_section`) switches the section from that line.
    """
    short = short or {}
    carry = frozenset(carry)
    labels: list[tuple[int, int, str, str]] = []  # per non-empty line: start, end, label, heading
    headings: list[tuple[int, int]] = []
    current, cur_heading = "unknown", ""
    resume: tuple[str, str] | None = None
    remaining = 0
    seen = 0
    multiline = sum(1 for ln in text.split("\n") if ln.strip()) > 1
    for line in split_lines(text):
        stripped = line.text.strip()
        if not stripped:
            continue
        seen += 1
        if (seen == 1 or (title and seen <= 3)) and _is_title_line(stripped, title, multiline):
            headings.append((line.start, line.end))
            labels.append((line.start, line.end, current, cur_heading))
            continue
        label = classify_heading(stripped, rules)
        if label is not None:
            headings.append((line.start, line.end))
            if label in short:
                if resume is None:
                    resume = (current, cur_heading)
                remaining = short[label]
            else:
                resume, remaining = None, 0
            current, cur_heading = label, stripped
            labels.append((line.start, line.end, current, cur_heading))
            continue
        own = current
        m = _INLINE.match(line.text)
        inline = classify_heading(m.group(1), rules) if m else None
        if inline is not None and classify_heading(line.text[m.end(1) + 1:], rules) is not None:
            headings.append((line.start, line.end))  # "Key Responsibilities: Leadership and Management"
        if inline is not None:
            own = inline
            if inline in carry and inline not in short:
                resume, remaining = None, 0
                current, cur_heading = inline, m.group(1).strip()
        else:
            way_out = exit_section(stripped, current, rules)
            if way_out is not None:
                resume, remaining = None, 0
                current, cur_heading, own = way_out, "", way_out
        if remaining:
            remaining -= 1
            if remaining == 0 and resume is not None:
                labels.append((line.start, line.end, own, cur_heading))
                current, cur_heading = resume
                resume = None
                continue
        labels.append((line.start, line.end, own, cur_heading))
    sections: list[tuple[int, int, str, str]] = []
    for start, end, label, heading in labels:
        if sections and sections[-1][2] == label and sections[-1][3] == heading:
            sections[-1] = (sections[-1][0], end, label, heading)
        else:
            sections.append((start, end, label, heading))
    # close the gaps (blank lines) so that every offset falls in a section
    closed = []
    for k, (start, _end, label, heading) in enumerate(sections):
        nxt = sections[k + 1][0] if k + 1 < len(sections) else len(text)
        closed.append((0 if k == 0 else start, nxt, label, heading))
    return closed or [(0, len(text), "unknown", "")], headings


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

    def __init__(self, rules: list[SectionRule] | None = None, short: dict[str, int] | None = None,
                 carry: Iterable[str] | None = None) -> None:
        register_extensions()
        self.rules = rules if rules is not None else load_section_rules()
        scoring = load_scoring() if short is None or carry is None else {}
        self.short = short if short is not None else scoring.get("short_sections", {})
        self.carry = tuple(carry if carry is not None else scoring.get("inline_carry", ()))

    def __call__(self, doc: Doc) -> Doc:
        title = doc.user_data.get("ll_title")
        sections, headings = find_sections(doc.text, self.rules, title, self.short, self.carry)
        doc._.ll_sections = sections
        doc._.ll_headings = headings
        return doc


@Language.factory("leadlens_sections", assigns=["doc._.ll_sections", "doc._.ll_headings"])
def make_sections(nlp: Language, name: str) -> SectionTagger:
    """Factory for :class:`SectionTagger`."""
    return SectionTagger()
