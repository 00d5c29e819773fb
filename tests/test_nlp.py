"""The bullet-imperative repair keeps the text and every offset, and fixes the parse."""

from __future__ import annotations

import pytest

from leadlens.nlp import model_name, prepare


def test_prepare_inserts_only_before_line_initial_verbs():
    p = prepare("Main duties\n• Monitor performance\nMonitoring is key\n  Supervise staff", frozenset({"monitor",
                                                                                                  "supervise"}))
    assert p.parse_text == "Main duties\n• To monitor performance\nMonitoring is key\n  To supervise staff"
    assert len(p.inserts) == 2


@pytest.mark.parametrize("text", [
    "• Monitor performance against KPIs\n• Supervise junior staff\n",
    "Job overview\r\nLead the team.  Coach staff\n\n- Champion innovation",
    "Supervise",
])
def test_parsed_doc_text_equals_input(analyser, text):
    doc = analyser.parse(text)
    assert doc.text == text
    for tok in doc:
        assert text[tok.idx:tok.idx + len(tok)] == tok.text


def test_bullet_initial_verb_is_parsed_as_a_verb(analyser):
    doc = analyser.parse("• Supervise junior staff")
    sup = next(t for t in doc if t.lower_ == "supervise")
    assert sup.pos_ == "VERB"
    assert any(c.dep_ == "dobj" and c.lower_ == "staff" for c in sup.children)


def test_model_name_from_environment(monkeypatch):
    monkeypatch.setenv("LEADLENS_MODEL", "my_pipeline")
    assert model_name() == "my_pipeline"
    assert model_name("other") == "other"


def test_missing_model_is_a_clear_error():
    from leadlens.errors import LeadlensError
    from leadlens.nlp import load_spacy

    with pytest.raises(LeadlensError) as info:
        load_spacy("no_such_pipeline_xyz")
    assert info.value.code == "E010" and "no_such_pipeline_xyz" in str(info.value)


@pytest.mark.parametrize("text, word, pos, lemma", [
    ("• Co-ordinate the rota for the team", "Co-ordinate", "VERB", "coordinate"),
    ("You will be co-ordinating the daily clinics.", "co-ordinating", "VERB", "coordinate"),
    ("The co-ordination of the trauma services.", "co-ordination", "NOUN", "coordination"),
    ("Re-design the care pathway with patients.", "Re-design", "VERB", "redesign"),
])
def test_hyphenated_spellings_stay_one_word(analyser, text, word, pos, lemma):
    doc = analyser.parse(text)
    tok = next(t for t in doc if t.text == word)
    assert (tok.pos_, tok.lemma_) == (pos, lemma)
    assert doc.text == text


def test_hyphenated_spellings_match_like_the_plain_ones(analyser):
    from .conftest import counted

    for plain, hyphenated in (("Coordinate the rota.", "Co-ordinate the rota."),
                              ("Redesign the care pathway.", "Re-design the care pathway.")):
        assert [m.rule_id for m in counted(analyser.analyse(plain))] == \
            [m.rule_id for m in counted(analyser.analyse(hyphenated))] != []


def test_a_bad_spelling_entry_names_the_file(tmp_path):
    import json

    from leadlens.errors import ResourceError
    from leadlens.rules import load_spellings

    (tmp_path / "spellings.json").write_text(json.dumps({"hyphenated": {"Co-ordinate": {"norm": "coordinate"}}}))
    with pytest.raises(ResourceError, match="spellings.json"):
        load_spellings(tmp_path)
