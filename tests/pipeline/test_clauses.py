"""Clause roles and context fixes: purpose and subordinate clauses, a generic lead that yields to what it leads,
reporting-line scopes, organisation subjects, passives and the filters that used to swallow duties."""

from __future__ import annotations

import pytest

from leadlens.scoring import pole_settings

from ..conftest import counted


def pole(analyser, text: str) -> str:
    res = analyser.analyse(text)
    return res.pole_between(0, len(text) + 1, *pole_settings(analyser.rules.scoring))


def cues_of(analyser, text: str) -> dict[str, set[str]]:
    res = analyser.analyse(text)
    return {m.text: {c for _, c in m.cues} for m in res.matches}


# -- CONVENTIONS 2: verb and purpose disagree -----------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Lead a team of administrators to ensure that all clinic outcomes are recorded accurately and on time.", "M"),
    ("Encourage and motivate staff to complete their mandatory training so that compliance targets are met.", "M"),
    ("Manage the podiatry team so that individuals are empowered to shape their roles.", "L"),
    ("Monitor survey results to involve staff in shaping the direction of the service.", "L"),
    # a phrasal verb's or a preposition's object before the infinitive: the infinitive is still the purpose
    ("Draw on staff feedback to achieve compliance with the national standards.", "M"),
    ("Work with the team to redesign the whole pathway.", "L"),
])
def test_purpose_decides(analyser, text, expected):
    assert pole(analyser, text) == expected, cues_of(analyser, text)


def test_purpose_clause_is_marked_but_object_control_is_not(analyser):
    assert "PURPOSE" in cues_of(analyser, "Manage the rota so that staff feel valued.")["staff feel valued"]
    # "enable clinicians to take ownership": the infinitive is what is enabled, not a purpose
    assert not any("PURPOSE" in c for c in cues_of(analyser, "Enable clinicians to take ownership of change.").values())


# -- CONVENTIONS 1: lead on X is labelled by X ----------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Lead on recruitment and rostering for the ward.", "M"),
    ("Lead the rollout of the standard physiotherapy triage form to every site.", "M"),
    ("Lead the weekly rota.", "M"),
    ("Lead on service change.", "L"),
    ("Lead a team of band 5 nurses.", "L"),
    ("Provide leadership to the team.", "L"),
    ("Lead the service.", "L"),
    # leading the running or rollout of something is M
    ("You will lead the continued implementation of the recovery package programme across the hospital.", "M"),
    ("To be able to lead in the coordination and monitoring of various systems within the service.", "M"),
])
def test_lead_on_x_is_labelled_by_x(analyser, text, expected):
    assert pole(analyser, text) == expected, cues_of(analyser, text)


# -- subordinate clauses ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("While keeping an eye on the budget, your main focus will be on transforming the stroke pathway.", "L"),
    ("Enable clinicians to take ownership of service improvement, while keeping oversight of the clinical audit "
     "schedule.", "L"),
    # a fronted participle is the means, not the duty
    ("Using the latest performance data, redesign the outpatient pathway across the trust.", "L"),
    ("Working closely with the ward manager, monitor the ward budget.", "M"),
    # "its" refers back to the role: the main clause is the post's
    ("Although the post involves authorising overtime, its main purpose is to set the strategic direction for the "
     "service.", "L"),
])
def test_subordinate_clause_does_not_outweigh_the_main_clause(analyser, text, expected):
    assert pole(analyser, text) == expected, cues_of(analyser, text)


# -- bugs of the error analysis ---------------------------------------------------------------------------------
def test_reporting_line_scope_ends_at_a_new_duty(analyser):
    res = analyser.analyse("The post holder reports to the Head of Nursing and leads a small team of administrators.")
    assert any(m.pole == "L" for m in counted(res))
    assert not counted(analyser.analyse("Reports to the Head of Service Transformation and Innovation."))


def test_named_organisation_in_a_whilst_clause_stays_the_organisations(analyser):
    res = analyser.analyse("Whilst NHS Digital sets the national vision, the post holder will ensure local "
                           "compliance.")
    assert {m.pole for m in counted(res)} == {"M"}
    assert any(m.status == "organisation" and m.pole == "L" for m in res.matches)


def test_organisation_subject_of_a_predicative_clause(analyser):
    res = analyser.analyse("The Health Board is committed to strong governance and manages risk through a robust "
                           "board assurance framework.")
    assert res.matches and not counted(res)


def test_own_workload_does_not_swallow_delegating_the_teams(analyser):
    res = analyser.analyse("Plan your workload and delegate the team's workload appropriately.")
    assert any("delegate" in m.text for m in counted(res))


def test_delivering_approved_training_is_a_duty(analyser):
    assert counted(analyser.analyse("Deliver approved training sessions to ward staff."))
    assert not counted(analyser.analyse("Undertake approved training as required."))


def test_fixed_term_does_not_make_the_duty_boilerplate(analyser):
    res = analyser.analyse("This is a fixed term post for 12 months to manage the ward budget and rota.")
    assert any(m.pole == "M" for m in counted(res))


def test_about_the_team_is_not_about_the_organisation(analyser):
    res = analyser.analyse("About the team\nYou will manage the ward budget.\nAbout us\nWe manage budgets well.")
    sections = [s.section for s in res.sentences]
    assert sections[1] != "about_org" and sections[3] == "about_org"
    assert pole(analyser, "About the team\nYou will manage the ward budget.") == "M"


def test_offering_a_post_describes_the_post(analyser):
    assert counted(analyser.analyse("We are offering a post managing the outpatient booking team."))
    # an "opportunity" offered is not a post noun (CONVENTIONS 5 is unchanged)
    assert not counted(analyser.analyse("We offer an opportunity to lead the team."))


@pytest.mark.parametrize("text", [
    "Deputise for the Ward Manager from time to time.",
    "From time to time deputise for the Ward Manager.",
])
def test_deputising_from_time_to_time_counts(analyser, text):
    assert pole(analyser, text) == "M"


def test_annual_leave_requests_are_a_duty_not_a_pay_term(analyser):
    assert pole(analyser, "Authorise timesheets, expenses and annual leave requests for the domestic team.") == "M"


# -- passives and filters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("All annual leave requests are to be authorised by the post holder.", "M"),
    ("A culture in which staff feel trusted and valued is to be created and sustained by the post holder.", "L"),
    ("An environment where colleagues feel genuinely heard is expected to be built by the post holder.", "L"),
    ("Staff will be coached and developed by the post holder to take on greater responsibility.", "L"),
    ("Responsibility for leading local improvement projects will be delegated by the post holder to band 6 "
     "physiotherapists.", "L"),
    ("Train the healthcare science team in the use of the new analyser.", "M"),
    ("Instruct the pharmacy technicians on how to run the medicines reconciliation clinic.", "M"),
])
def test_passives_and_staff_objects(analyser, text, expected):
    assert pole(analyser, text) == expected, cues_of(analyser, text)


@pytest.mark.parametrize("text", [
    "You will be fully trained.",
    "You will be supervised by the ward manager.",
    "Educated to degree level or equivalent experience.",
    "Knowledge of the Care Act 2014 and the Mental Capacity Act.",
    "Provide specialist advice on pain management to patients and their carers.",
    "Teach patients and carers to manage their medication.",
    "If you are passionate about leading change, we would love to hear from you.",
    "The role sits within the Leadership and Organisational Development team.",
])
def test_not_the_posts_duty(analyser, text):
    assert pole(analyser, text) == "N", cues_of(analyser, text)


# -- "so that <others> can ..." after a control verb, and "where <others> ..." conditions -------------------------
@pytest.mark.parametrize("text, expected", [
    ("Coach the senior nurses so that they can run the weekly rota themselves.", "L"),
    ("Motivate the reception team so that appointment utilisation targets are met every week.", "M"),
    ("Where staff propose a new way of running the clinic, you will give them the freedom to try it.", "L"),
    ("Where a trial fails, you will encourage the team to try a different approach.", "L"),
    ("Give healthcare support workers the confidence and authority to run sessions on their own.", "L"),
    ("Lead a small team to clear the referral backlog before the end of the month.", "M"),
])
def test_others_agency_and_conditions(analyser, text, expected):
    assert pole(analyser, text) == expected
