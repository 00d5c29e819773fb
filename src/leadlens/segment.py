"""Cutting a posting into sentences and bullets: the unit leadlens labels and parses.

Every line is a unit (so every bullet is), and a line holding several sentences is cut after ".", "!" or
"?" when the next word starts with a capital letter, a digit or a bullet. A leading bullet marker ("•", "-",
"*", "o", "1.") and surrounding spaces are left out of the unit, as in the gold units (the parser would otherwise
take the bullet for the sentence's root). The rule is deterministic and does not
depend on the parser, so the fast path (which parses only units that can hold a rule) and the full path
segment identically, and no unit is ever parsed together with its neighbours.
"""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*(?:[•·●○▪■►‣◦✓➢]\s*|(?:[\-\*–—o]|\d{1,2}[.)])\s+)(?=\S)")
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9•(\"'‘“])")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|approx|inc|incl|no|dr|mr|mrs|ms|prof|st|vs|cf|dept|min|max)\.)$", re.I)


def segment(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the units of ``text``, in order."""
    units: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        cut = bullet.end() if bullet else 0
        for m in _SENT_END.finditer(line):
            if m.start() < cut or _ABBREV.search(line[:m.start()]):
                continue
            _add(units, line, start, cut, m.start())
            cut = m.end()
        _add(units, line, start, cut, len(line))
    return units


MAX_UNIT_CHARS = 5000
"""A unit longer than this (a run-on line with no sentence ends) is cut at spaces into pieces of at most this
size, so no parse ever meets spaCy's ``max_length`` and memory stays bounded."""


def _add(units: list[tuple[int, int]], line: str, offset: int, a: int, b: int) -> None:
    seg = line[a:b]
    if not seg.strip():
        return
    lead = len(seg) - len(seg.lstrip())
    start, end = offset + a + lead, offset + a + len(seg.rstrip())
    while end - start > MAX_UNIT_CHARS:
        piece = line[start - offset:start - offset + MAX_UNIT_CHARS]
        cut = piece.rfind(" ")
        cut = cut if cut > MAX_UNIT_CHARS // 2 else MAX_UNIT_CHARS
        units.append((start, start + len(piece[:cut].rstrip())))
        start += cut
        while start < end and line[start - offset] == " ":
            start += 1
    if end > start:
        units.append((start, end))
