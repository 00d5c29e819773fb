"""From tagged spans to sentence poles, posting shares, intervals and verdicts.

Pure functions over plain data. A span counts with ``rule weight x section weight`` unless something
excludes it; the first applicable reason is recorded in ``status`` so every zero can be explained:
``sense`` (clinical/technical use), ``heading`` (a heading or the title line), ``boilerplate`` (a section
or sentence that is not the post's duties), ``title`` (a role named as a noun), ``negated``, ``hypothetical``,
``organisation`` (the organisation, not the post holder, is the agent).

A sentence's pole is the pole with more evidence, spans governed by the sentence's main verb counting
``main_verb_bonus`` times (ANNOTATION.md: "label the one that carries the sentence's main verb"); a tie goes
to the first duty named. A posting's leadership share is L / (L + M) over its weighted evidence, with an
equal-tailed Beta interval (Jeffreys prior by default) at ``interval_level``; the verdict compares the share
with the thresholds in ``resources/scoring.json`` and is ``insufficient`` below ``min_evidence``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scipy.stats import beta

AXES_ORDER = ("focus", "risk", "change", "novelty", "scale", "style", "horizon", "power", "guidance")


@dataclass
class Match:
    """One lexicon span with its context and its effective weight."""

    sent_id: int
    start: int
    end: int
    text: str
    lemma: str
    axis: str
    pole: str
    rule_id: str
    section: str
    negated: bool
    hypothetical: bool
    agent: str
    boilerplate: bool
    title_mention: bool
    sense: str | None
    heading: bool
    rule_weight: float
    main_verb: bool = False
    cues: tuple = ()
    weight: float = 0.0
    status: str = "counted"


@dataclass
class Sentence:
    """A sentence or bullet with its pole and evidence."""

    sent_id: int
    start: int
    end: int
    section: str
    text: str
    pole: str = "N"
    leadership: float = 0.0
    management: float = 0.0
    rule_pole: str = ""
    """The rules' pole when a sentence model gave the final ``pole`` ("" when the rules alone decided)."""
    proba: dict[str, float] | None = None
    """The sentence model's probabilities of L, M and N (None without a model)."""


@dataclass
class PostingScore:
    """Posting-level evidence, share, interval and verdict."""

    leadership: float
    management: float
    leadership_share: float
    share_low: float
    share_high: float
    verdict: str
    axes: dict[str, float] = field(default_factory=dict)
    verdict_proba: dict[str, float] = field(default_factory=dict)
    """The verdict classifier's probabilities when a sentence model with one decided the verdict (empty when the
    thresholds of the scoring settings did)."""


def exclusion(m: Match, section_weight: float) -> str:
    """The first reason that makes a span count for nothing, or "counted"."""
    if m.sense:
        return "sense"
    if m.heading:
        return "heading"
    if m.title_mention:
        return "title"
    if m.negated:
        return "negated"
    if m.hypothetical:
        return "hypothetical"
    if m.agent == "organisation":
        return "organisation"
    if m.boilerplate or section_weight == 0:
        return "boilerplate"
    return "counted"


def weigh_matches(matches: Iterable[Match], section_weights: dict[str, float]) -> list[Match]:
    """Set ``status`` and ``weight`` on every match."""
    out = []
    for m in matches:
        sw = section_weights.get(m.section, 1.0)
        m.status = exclusion(m, sw)
        m.weight = round(m.rule_weight * sw, 4) if m.status == "counted" else 0.0
        out.append(m)
    return out


def has_cue(m: Match, category: str) -> bool:
    """Whether a context cue of ``category`` applied to ``m`` (see ``pipeline/context.py``)."""
    return any(len(c) > 1 and c[1] == category for c in m.cues)


def deciding_spans(counted: list[Match], min_evidence: float = 0.0) -> list[Match]:
    """The counted spans that decide a sentence's pole (ANNOTATION.md: main verb or purpose; CONVENTIONS 1, 2).

    A subordinate clause ("while keeping an eye on the budget, ...") decides only when the rest names no pole; a
    generic lead cue yields to the cue of what it leads ("lead on recruitment and rostering"); a purpose clause
    ("... to ensure that ...", "... so that ...") decides when it names a pole with at least ``min_evidence``.
    """
    pool = [m for m in counted if not has_cue(m, "SUBORDINATE")] or counted
    if any(has_cue(m, "LED_OBJECT") for m in pool):
        pool = [m for m in pool if not has_cue(m, "YIELDS")] or pool
    purpose = [m for m in pool if has_cue(m, "PURPOSE")]
    if purpose and len(purpose) < len(pool):
        strongest = max(sum(m.rule_weight for m in purpose if m.pole == p) for p in ("L", "M"))
        if strongest >= min_evidence:
            pool = purpose
    return pool


def sentence_pole(matches: list[Match], main_verb_bonus: float = 1.5,
                  min_evidence: float = 0.0, first_named_bonus: float = 1.0) -> tuple[str, float, float]:
    """Pole and L/M evidence of one sentence from its weighed matches.

    A sentence whose stronger pole has less than ``min_evidence`` of rule weight is N: a weak cue alone does not
    decide (section weights change a span's evidence, not whether its sentence has a pole). The spans that decide
    are those of :func:`deciding_spans` (not a subordinate clause, not a generic lead that yields, the purpose when
    it names a pole); among them, spans governed by the main verb (or what a yielding lead leads) count
    ``main_verb_bonus`` times and the first duty named ``first_named_bonus`` times (ANNOTATION.md: main verb or
    purpose, then first named).
    """
    lead = sum(m.weight for m in matches if m.pole == "L")
    man = sum(m.weight for m in matches if m.pole == "M")
    counted = [m for m in matches if m.weight > 0]
    if not counted:
        return "N", lead, man
    if max(sum(m.rule_weight for m in counted if m.pole == p) for p in ("L", "M")) < min_evidence:
        return "N", lead, man
    pool = deciding_spans(counted, min_evidence)
    first = min(m.start for m in pool)

    def decisive(m: Match) -> float:
        main = m.main_verb or has_cue(m, "LED_OBJECT")
        return m.weight * (main_verb_bonus if main else 1.0) * (first_named_bonus if m.start == first else 1.0)

    dl = sum(decisive(m) for m in pool if m.pole == "L")
    dm = sum(decisive(m) for m in pool if m.pole == "M")
    if math.isclose(dl, dm):
        return min(pool, key=lambda m: m.start).pole, lead, man
    return ("L" if dl > dm else "M"), lead, man


def share_interval(lead: float, man: float, level: float = 0.8, prior: float = 0.5,
                   scale: float = 1.0) -> tuple[float, float, float]:
    """Leadership share L/(L+M) and an equal-tailed Beta(L/scale+prior, M/scale+prior) interval; NaNs without
    evidence. ``scale`` converts weighted evidence into effective counts (spans of one duty are not independent)."""
    if lead + man <= 0:
        return math.nan, math.nan, math.nan
    a, b = lead / scale + prior, man / scale + prior
    tail = (1 - level) / 2
    share = lead / (lead + man)
    # with all evidence on one side the point share (0 or 1) lies outside the Beta quantiles: widen to include it
    return share, min(share, float(beta.ppf(tail, a, b))), max(share, float(beta.ppf(1 - tail, a, b)))


def verdict(lead: float, man: float, share: float, settings: dict[str, Any]) -> str:
    """leadership, management, mixed or insufficient."""
    if lead + man < settings["min_evidence"]:
        return "insufficient"
    if share >= settings["leadership_at_least"]:
        return "leadership"
    if share <= settings["management_at_most"]:
        return "management"
    return "mixed"


def pole_settings(scoring: dict[str, Any]) -> tuple[float, float, float]:
    """(main_verb_bonus, min_sentence_evidence, first_named_bonus) from the scoring settings."""
    return (scoring["main_verb_bonus"], scoring.get("min_sentence_evidence", 0.0),
            scoring.get("first_named_bonus", 1.0))


def score_posting(sentences: list[Sentence], matches: list[Match], scoring: dict[str, Any]) -> PostingScore:
    """Sentence poles (set in place) and the posting's score."""
    by_sent: dict[int, list[Match]] = {}
    for m in matches:
        by_sent.setdefault(m.sent_id, []).append(m)
    for s in sentences:
        s.pole, s.leadership, s.management = sentence_pole(by_sent.get(s.sent_id, []), *pole_settings(scoring))
    lead = round(sum(m.weight for m in matches if m.pole == "L"), 4)
    man = round(sum(m.weight for m in matches if m.pole == "M"), 4)
    axes = {f"{p}_{a}": 0.0 for a in AXES_ORDER for p in ("L", "M")}
    for m in matches:
        key = f"{m.pole}_{m.axis}"
        axes[key] = round(axes.get(key, 0.0) + m.weight, 4)
    share, low, high = share_interval(lead, man, scoring["interval_level"], scoring["prior"],
                                      scoring.get("interval_scale", 1.0))
    return PostingScore(leadership=lead, management=man, leadership_share=share, share_low=low, share_high=high,
                        verdict=verdict(lead, man, share, scoring["verdict"]), axes=axes)
