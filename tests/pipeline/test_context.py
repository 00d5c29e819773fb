"""Whose duty a span is, and how far a context cue reaches (``leadlens.pipeline.context``), on real parses."""

from __future__ import annotations

import pytest

from leadlens.scoring import pole_settings

from ..conftest import counted


def statuses(result) -> dict[str, str]:
    return {m.text: m.status for m in result.matches}


def pole(analyser, text: str) -> str:
    res = analyser.analyse(text)
    return res.pole_between(0, len(text) + 1, *pole_settings(analyser.rules.scoring))


@pytest.mark.parametrize("text, expected", [
    # a person the post holder works with, named as an object and described by a "who" clause: someone else
    ("The deputy will work closely with the Chief Nurse, who sets the professional strategy for nursing.", set()),
    ("The clinic is run by a consultant psychiatrist and a clinical psychologist, who together set its direction.",
     set()),
    # the candidate: recruiting verbs, announcements, "as a ..."
    ("We are looking for a nurse who will set the strategic direction of the service.", {"L"}),
    ("An exciting opportunity has arisen for a physiotherapist who can set the strategic direction of the service.",
     {"L"}),
    ("Join us as a ward sister who will set the strategic direction of the ward.", {"L"}),
])
def test_whose_is_a_who_clause(analyser, text, expected):
    assert {m.pole for m in counted(analyser.analyse(text))} == expected


def test_a_misattached_who_clause_stays_the_post(analyser):
    # the parser hangs "who" on "background": a thing, not another person
    text = ("We are keen to hear from applicants who have a solid background in family therapy who can "
            "strategically lead and shape this exciting service.")
    assert pole(analyser, text) == "L"


def test_a_fronted_reporting_line_ends_at_its_comma_and_names_the_post(analyser):
    text = ("Reporting to the Head of Finance, the Finance Business Partner will produce the monthly divisional "
            "finance report.")
    res = analyser.analyse(text)
    assert statuses(res).get("Head of Finance", "title") == "title"
    assert pole(analyser, text) == "M"


def test_the_organisation_vision_reaches_the_end_of_the_sentence(analyser):
    text = ("Our ambition is to be the most inclusive employer in the region, a place where every colleague feels "
            "valued, trusted and able to speak up.")
    assert not counted(analyser.analyse(text))


@pytest.mark.parametrize("text, expected", [
    # the post holder makes the climate, so what happens in it is the post's duty (empowering, risk-taking)
    ("The post holder will create an environment in which the practice teams feel safe to experiment with new "
     "approaches.", "L"),
    ("Foster a culture in which teams are empowered to innovate.", "L"),
    # a climate the post holder only joins is the organisation's boast
    ("You will join a supportive environment where teams are empowered to innovate.", "N"),
    ("We have created a culture where teams feel safe to experiment.", "N"),
])
def test_a_climate_belongs_to_whoever_makes_it(analyser, text, expected):
    assert pole(analyser, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a comma and a participle that starts a new clause end the negation
    ("You will not be expected to hold a caseload, allowing you to concentrate on small improvements to the "
     "booking process.", "M"),
    ("You will not be responsible for line management, freeing you to focus on the monthly budget reports.", "M"),
    # a fronted "instead of ..." clause ends where the main verb starts
    ("Instead of managing every rota yourself, empower the ward sisters to set their own.", "L"),
    # a list of denied duties stays denied
    ("You will not be expected to manage the budget or recruit staff.", "N"),
    # "no more than" bounds a quantity; it denies nothing
    ("Line managing no more than 5 staff members", "M"),
    ("There is no line management of staff in this role.", "N"),
])
def test_negation_scope(analyser, text, expected):
    assert pole(analyser, text) == expected


def test_bare_eligibility_is_not_boilerplate(analyser):
    text = "Roll out the booking and eligibility template to every site in the south of the county."
    assert pole(analyser, text) == "M"
    assert not counted(analyser.analyse("Applicants must provide proof of eligibility to work in the UK."))


@pytest.mark.parametrize("text", [
    # the organisation's circumstances and history, not the post's duties
    "You will be joining the directorate at a time of major service transformation.",
    "Following a major reconfiguration of stroke services, we are seeking a ward sister.",
    "This post is part of an ambitious programme to transform community services.",
    "With our clear vision, strong values and transformation agenda, there's never been a better time to join us.",
])
def test_the_organisation_circumstances_are_not_duties(analyser, text):
    assert not counted(analyser.analyse(text))


def test_a_duty_named_before_the_circumstances_still_counts(analyser):
    assert pole(analyser, "Lead the redesign of the service at a time of considerable change.") == "L"
