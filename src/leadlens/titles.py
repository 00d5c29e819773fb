"""Title kind by ANNOTATION.md: leader, manager or other (rules in ``resources/titles.json``)."""

from __future__ import annotations

import re
from functools import lru_cache

from .rules import load_titles


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[re.Pattern[str]]]:
    t = load_titles()
    comp = [re.compile(p, re.I) for p in t["leader"]], [re.compile(p, re.I) for p in t["manager"]], \
        [re.compile(p, re.I) for p in t.get("not_leader", [])]
    return comp


def title_kind(title: str | None) -> str:
    """"leader" when the title names a leader, "manager" when it names a manager or supervisor, else "other".

    Leader cues are checked first, so "Team Leader / Ward Manager" is a leader post.

    >>> title_kind("Head of Patient Flow"), title_kind("Ward Sister"), title_kind("Staff Nurse")
    ('leader', 'manager', 'other')
    """
    if not title:
        return "other"
    leader, manager, not_leader = _compiled()
    cleaned = title
    for pat in not_leader:
        cleaned = pat.sub(" ", cleaned)
    if any(p.search(cleaned) for p in leader):
        return "leader"
    if any(p.search(cleaned) for p in manager):
        return "manager"
    return "other"
