"""Scoring is pure: weights, exclusions, sentence poles, intervals, verdicts."""

from __future__ import annotations

import math

import pytest

from leadlens.scoring import Match, Sentence, exclusion, score_posting, sentence_pole, share_interval, verdict
from leadlens.titles import title_kind

SETTINGS = {"min_evidence": 2.0, "leadership_at_least": 0.6, "management_at_most": 0.4}
SCORING = {"main_verb_bonus": 1.5, "interval_level": 0.8, "prior": 0.5, "verdict": SETTINGS,
           "section_weights": {"duties": 1.0, "about_org": 0.0}}


def mk(pole="L", start=0, weight=1.0, main=False, **kw) -> Match:
    base = dict(sent_id=0, start=start, end=start + 1, text="x", lemma="x", axis="focus", pole=pole, rule_id="r.x",
                section="duties", negated=False, hypothetical=False, agent="post_holder", boilerplate=False,
                title_mention=False, sense=None, heading=False, rule_weight=weight, main_verb=main)
    base.update(kw)
    m = Match(**base)
    m.weight = weight
    return m


@pytest.mark.parametrize("kw, reason", [
    ({"sense": "clinical.x"}, "sense"), ({"negated": True}, "negated"), ({"hypothetical": True}, "hypothetical"),
    ({"agent": "organisation"}, "organisation"), ({"title_mention": True}, "title"), ({"heading": True}, "heading"),
    ({"boilerplate": True}, "boilerplate"), ({}, "counted"),
])
def test_exclusion_reasons(kw, reason):
    assert exclusion(mk(**kw), 1.0) == reason


def test_zero_weight_section_is_boilerplate():
    assert exclusion(mk(), 0.0) == "boilerplate"


def test_sentence_pole_main_verb_and_first_named():
    assert sentence_pole([]) == ("N", 0.0, 0.0)
    assert sentence_pole([mk("L", 0), mk("M", 5, main=True)])[0] == "M"
    assert sentence_pole([mk("M", 0), mk("L", 5)])[0] == "M"  # balanced: first named
    assert sentence_pole([mk("L", 0), mk("M", 5)])[0] == "L"


def test_share_interval_brackets_the_share_and_narrows_with_evidence():
    s, lo, hi = share_interval(3, 1)
    assert lo < s < hi
    s2, lo2, hi2 = share_interval(30, 10)
    assert math.isclose(s, s2) and (hi2 - lo2) < (hi - lo)
    assert all(math.isnan(x) for x in share_interval(0, 0))


@pytest.mark.parametrize("lead, man, expected", [
    (0.5, 0.5, "insufficient"), (4, 1, "leadership"), (1, 4, "management"), (2, 2, "mixed")])
def test_verdict(lead, man, expected):
    share = lead / (lead + man)
    assert verdict(lead, man, share, SETTINGS) == expected


def test_score_posting_sums_counted_weights_by_axis():
    sents = [Sentence(0, 0, 10, "duties", "a"), Sentence(1, 11, 20, "duties", "b")]
    ms = [mk("L", 0, 1.5), mk("M", 12, 1.0, sent_id=1, axis="power")]
    ps = score_posting(sents, ms, SCORING)
    assert (ps.leadership, ps.management) == (1.5, 1.0)
    assert ps.axes["L_focus"] == 1.5 and ps.axes["M_power"] == 1.0
    assert [s.pole for s in sents] == ["L", "M"]


@pytest.mark.parametrize("title, kind", [
    ("Head of Patient Flow", "leader"), ("Clinical Lead OT", "leader"), ("Team Leader - Band 6", "leader"),
    ("Director of Finance", "leader"), ("Chief Operating Officer", "leader"), ("Ward Manager", "manager"),
    ("Matron for Stroke", "manager"), ("Ward Sister", "manager"), ("Rota Coordinator", "manager"),
    ("Domestic Supervisor", "manager"), ("Staff Nurse", "other"), ("Health Care Assistant", "other"),
    ("Head and Neck Cancer Nurse Specialist", "other"), ("Directorate Manager", "manager"), (None, "other"),
])
def test_title_kind(title, kind):
    assert title_kind(title) == kind


def cued(pole="L", start=0, weight=1.0, main=False, cues=(), **kw) -> Match:
    return mk(pole, start, weight, main, cues=tuple((f"syntax.{c.lower()}", c) for c in cues), **kw)


def test_purpose_clause_decides_over_the_main_verb():
    # "Lead a team of administrators to ensure that all clinic outcomes are recorded accurately" (CONVENTIONS 2)
    lead, purpose = cued("L", 0, 1.25, main=True), cued("M", 20, 1.0, cues=("PURPOSE",))
    assert sentence_pole([lead, purpose], 1.5, 0.6, 1.5)[0] == "M"
    # a purpose too weak to name a pole leaves the main verb deciding
    assert sentence_pole([lead, cued("M", 20, 0.5, cues=("PURPOSE",))], 1.5, 0.6, 1.5)[0] == "L"
    # evidence is unchanged: the purpose only decides
    assert sentence_pole([lead, purpose], 1.5, 0.6, 1.5)[1:] == (1.25, 1.0)


def test_subordinate_clause_does_not_outweigh_the_main_clause():
    # "While keeping an eye on the budget, your main focus will be on transforming the stroke pathway."
    sub, main = cued("M", 0, 2.0, cues=("SUBORDINATE",)), cued("L", 30, 1.5)
    assert sentence_pole([sub, main], 1.5, 0.6, 1.5)[0] == "L"
    assert sentence_pole([sub], 1.5, 0.6, 1.5)[0] == "M"  # alone, it still names the duty


def test_generic_lead_yields_to_what_it_leads():
    # "Lead on recruitment and rostering" (CONVENTIONS 1): the bare lead verb yields to its object's cue
    lead, obj = cued("L", 0, 0.75, main=True, cues=("YIELDS",)), cued("M", 8, 0.8, cues=("LED_OBJECT",))
    assert sentence_pole([lead, obj], 1.5, 0.6, 1.5)[0] == "M"
    # without a counted object cue, bare lead stays L
    excluded = cued("M", 8, 0.0, cues=("LED_OBJECT",), sense="x")
    excluded.weight = 0.0
    assert sentence_pole([lead, excluded], 1.5, 0.6, 1.5)[0] == "L"


def test_sentence_minimum_uses_the_rule_weight_not_the_section_weight():
    # a 0.75 cue in a desirable person-spec section (x0.75 = 0.5625) still gives its unit a pole
    m = mk("M", 0, 0.75, section="person_spec_desirable")
    m.weight = 0.5625
    assert sentence_pole([m], 1.5, 0.6, 1.5)[0] == "M"
    weak = mk("M", 0, 0.5)
    assert sentence_pole([weak], 1.5, 0.6, 1.5)[0] == "N"
