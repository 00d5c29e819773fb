"""Sections: inline headings that carry, ways out of the organisation's section, and heading lines."""

from __future__ import annotations

import pytest

from leadlens.errors import ResourceError
from leadlens.pipeline.sections import classify_heading, find_sections
from leadlens.rules import RuleSet, SectionRule, load_scoring


@pytest.fixture(scope="module")
def rules():
    return RuleSet.load().sections


@pytest.fixture(scope="module")
def settings():
    scoring = load_scoring()
    return scoring["short_sections"], scoring["inline_carry"]


def section_at(text, rules, settings, needle, title="Ward Manager"):
    sections, _ = find_sections(text, rules, title, *settings)
    pos = text.index(needle)
    return next(label for start, end, label, _h in sections if start <= pos < end)


@pytest.mark.parametrize("line,section", [
    ("About the Candidate", "person_spec"),
    ("SUMMARY OF KEY RESPONSIBILITIES", "duties"),
    ("The main responsibilities of the post:", "duties"),
    ("The key functions of the role are;", "duties"),
    ("As the Catering Manager your role will include:", "duties"),
    ("This role will include:", "duties"),
    ("Experience and Job Related Knowledge", "person_spec"),
    ("What you will bring to NICE:", "person_spec"),
    ("The person", "person_spec"),
    ("Benefits to you", "benefits"),
    ("More reasons to apply:", "benefits"),
    ("About Barts Health", "about_org"),
])
def test_heading_lines(rules, line, section):
    assert classify_heading(line, rules) == section


def test_exit_rules_are_not_headings(rules):
    assert classify_heading("We are looking for a Ward Manager", rules) is None


def test_inline_narrative_heading_carries(rules, settings):
    text = ("Benefits of working with us:\nFree parking\n"
            "About the role: We are seeking to recruit a Catering Manager.\n"
            "Managing and monitoring daily food budgets\n")
    assert section_at(text, rules, settings, "Managing and") == "summary"


def test_inline_heading_labels_only_its_line_without_carry(rules, settings):
    text = ("Benefits of working with us:\nFree parking\n"
            "About the role: We are seeking to recruit a Catering Manager.\n"
            "Managing and monitoring daily food budgets\n")
    assert section_at(text, rules, (settings[0], ()), "We are seeking") == "summary"
    assert section_at(text, rules, (settings[0], ()), "Managing and") == "benefits"


def test_inline_field_label_does_not_carry(rules, settings):
    text = "Main duties of the job\nSalary: £30,000\nManage the ward budget.\nNote: interviews in May\nLead the team.\n"
    assert section_at(text, rules, settings, "Salary") == "terms"
    assert section_at(text, rules, settings, "Manage the ward") == "duties"
    assert section_at(text, rules, settings, "Lead the team") == "duties"


@pytest.mark.parametrize("line, section", [
    # the advert turns to the post without a heading: the organisation's section ends
    ("We are looking to recruit on a permanent basis a Patient Safety Manager.", "unknown"),
    ("This is an exciting new opportunity for a highly talented nurse.", "unknown"),
    ("An exciting opportunity has arisen for a Band 6 nurse.", "unknown"),
    ("We are offering a fantastic opportunity for a motivated individual to join us.", "unknown"),
    ("The post holder will manage the ward in the absence of the matron.", "unknown"),
    ("You will be responsible for the implementation of robust systems.", "unknown"),
    ("As the Catering Manager, you will run the kitchen.", "unknown"),
    ("Are you an experienced nurse looking for a new challenge?", "unknown"),
    # the organisation's own lines and its offer stay in its section
    ("Our role is to improve outcomes for people using the NHS.", "about_org"),
    ("The role of NICE is to improve outcomes.", "about_org"),
    ("You will receive an excellent package of benefits.", "about_org"),
    ("You will be working for an established and stable company.", "about_org"),
    ("As a member of our team, you will be offered a competitive salary.", "about_org"),
    ("This post is subject to a Disclosure and Barring Service check.", "about_org"),
    ("We are proud to be rated outstanding.", "about_org"),
])
def test_where_the_organisations_section_ends(rules, settings, line, section):
    text = f"Our Trust\nWe are a large teaching hospital with 11,000 staff.\n{line}\nManage the budget.\n"
    assert section_at(text, rules, settings, "We are a large") == "about_org"
    assert section_at(text, rules, settings, line) == section
    assert section_at(text, rules, settings, "Manage the budget") == section


def test_benefits_end_at_a_recruitment_line_but_not_at_an_offer(rules, settings):
    text = ("Benefits\nExcellent NHS pension\nThe post holder will lead the estates team.\n")
    assert section_at(text, rules, settings, "Excellent NHS") == "benefits"
    assert section_at(text, rules, settings, "The post holder") == "unknown"
    offer = "Benefits\nExcellent NHS pension\nYou will be responsible for your own development plan.\n"
    assert section_at(offer, rules, settings, "You will be") == "benefits"


def test_exits_must_name_known_sections():
    with pytest.raises(ResourceError, match="exits"):
        SectionRule.from_dict({"section": "unknown", "pattern": "we are", "exits": ["about_the_moon"]},
                              ["unknown", "about_org"])
    rule = SectionRule.from_dict({"section": "unknown", "pattern": "we are", "exits": ["about_org"]},
                                 ["unknown", "about_org"])
    assert rule.exits == ("about_org",) and SectionRule.from_dict(rule.to_dict(), ["unknown", "about_org"]) == rule


def test_an_inline_heading_whose_rest_is_a_heading_scores_nothing(rules, settings):
    text = "Key Responsibilities: Leadership and Management\nLead the team.\n"
    _, headings = find_sections(text, rules, "Ward Manager", *settings)
    assert (0, text.index("\n")) in headings
    assert not any(start == text.index("Lead the") for start, _ in headings)
