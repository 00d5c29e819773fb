"""A naive baseline for the sentence model: lower-cased word stems, counted.

A unit is L when more of its words start with a leadership stem than with a management stem, M in the opposite
case, the first stem named on a tie, and N with none. No context, no senses, no syntax: a floor that any
rule set or model should clear, so the figures of both can be read against it.
"""

from __future__ import annotations

import re

LEADERSHIP_STEMS = ("lead", "inspir", "vision", "innovat", "transform", "strateg", "empower", "coach", "motivat",
                    "change", "future", "creativ")
MANAGEMENT_STEMS = ("manag", "supervis", "budget", "polic", "rota", "monitor", "complian", "procedur", "audit",
                    "governance", "allocat", "target")
_STEM = re.compile(r"\b(" + "|".join(LEADERSHIP_STEMS + MANAGEMENT_STEMS) + r")", re.IGNORECASE)
_POLE = {**{s: "L" for s in LEADERSHIP_STEMS}, **{s: "M" for s in MANAGEMENT_STEMS}}


def naive_pole(text: str) -> str:
    """L, M or N of ``text`` by counting words that start with the stems above."""
    hits = [_POLE[m.group(1).lower()] for m in _STEM.finditer(text)]
    lead, man = hits.count("L"), hits.count("M")
    if not hits:
        return "N"
    if lead == man:
        return hits[0]
    return "L" if lead > man else "M"
