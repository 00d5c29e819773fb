"""Benefit lead-in lines: a line ending in a colon may be longer than a heading and still open a section."""

from __future__ import annotations

import pytest

from leadlens.pipeline.sections import classify_heading, find_sections
from leadlens.rules import RuleSet


@pytest.fixture(scope="module")
def rules():
    return RuleSet.load().sections


@pytest.mark.parametrize("line", [
    "In return we can offer a wide range of enhanced benefits, including:",
    "Other benefits of working for the Trust include:",
    "Some of our benefits are highlighted here:",
    "We offer a great package with inclusion in the following benefits to name but a few:",
])
def test_benefit_lead_ins_open_benefits(rules, line):
    assert classify_heading(line, rules) == "benefits"


@pytest.mark.parametrize("line", [
    "In return we can offer a wide range of enhanced benefits, including",  # no colon: too long for a heading
    "You will lead the team and benefit patients by including:",  # 'benefit' as a verb
    "The post holder will be responsible for the following:",
    "This role includes a wide variety of duties, such as leading the team and managing the budget, including:",
])
def test_long_lines_are_not_benefit_headings(rules, line):
    assert classify_heading(line, rules) is None


def test_benefits_list_scores_nothing(rules):
    text = ("Ward Manager\nMain duties of the job\nManage the ward budget.\n"
            "In return we can offer a wide range of enhanced benefits, including:\n"
            "weekly clinical group supervision facilitated by our Consultant Psychologist,\n"
            "regular management supervision and annual appraisal\n")
    sections, _ = find_sections(text, rules, title="Ward Manager")
    labels = {label for start, end, label, _h in sections if start <= text.index("regular") < end}
    assert labels == {"benefits"}
    assert any(label == "duties" and start <= text.index("Manage the") < end for start, end, label, _h in sections)
