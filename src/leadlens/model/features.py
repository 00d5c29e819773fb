"""Features of one unit (a character range of an analysed posting) for the sentence model.

A unit's features come from three places, each a small pure function tested alone:

* **the rules** (:func:`rule_features`): the rules' own pole for the unit, the weighted L and M evidence, the
  evidence carried by the main verb, the first counted pole, counts of the matched themes (the rule id's prefix:
  ``people``, ``process``, ``vision``...) and weights per axis and pole, the context status of every excluded span
  (``negated``, ``hypothetical``, ``organisation``, ``sense``, ``boilerplate``, ``title``, ``heading``) and the
  agent of the spans;
* **the words** (:func:`text_features`): lower-cased lemma unigrams and bigrams of the unit, and its shape
  (length, a trailing colon, Title Case, a leading bullet);
* **the syntax** of the unit parsed on its own (:func:`syntax_features`): the lemma of its root when a verb,
  the root's part of speech, the kind of its subject (``none`` for an imperative bullet, ``holder``,
  ``organisation``, ``pronoun``, ``other``), and its dependency pairs (:func:`dependency_pairs`: verb and object,
  head, preposition and object), which read "budgets will be managed" as "manage budgets".

The section of the unit is a feature too. Features are a ``dict[str, float]`` per unit, vectorised by
scikit-learn's ``DictVectorizer`` inside the fitted model, so unseen names are ignored at prediction time.

Two ways to get the words, chosen by ``words``: ``"parse"`` parses each unit on its own with the analyser's
parser (:meth:`leadlens.nlp.Parser.pipe_units`: lemmas and the syntax features; about 2 ms a unit) and
``"tokens"`` uses only the tokenizer, lower-cased (no syntax; about 20 µs a unit). A unit's words and syntax
depend only on its text, so :class:`FeatureExtractor` caches them by text and can take the analyser's own unit
parses instead of parsing again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..scoring import Match, pole_settings, sentence_pole

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

    from ..analysis import Analyser, PostingResult

FEATURES_VERSION = "2"
"""Bump when the meaning of a feature changes: a model fitted on other features must not be applied."""

STATUSES = ("negated", "hypothetical", "organisation", "sense", "boilerplate", "title", "heading")
WORD_SOURCES = ("parse", "tokens")
_BULLET_BEFORE = re.compile(r"[•·●○▪■►‣◦✓➢\-\*–—o]\s*$|\d{1,2}[.)]\s*$")
_NUM = re.compile(r"^[£$€]?\d[\d,.:/%-]*$")
Span = tuple[int, int]
Features = dict[str, float]


def theme(rule_id: str) -> str:
    """The theme of a rule: its id up to the first dot (``vision.set_direction`` -> ``vision``)."""
    return rule_id.split(".", 1)[0]


def rule_features(matches: Sequence[Match], settings: tuple[float, float, float]) -> Features:
    """Features of the rules' spans starting inside a unit.

    Args:
        matches: the weighed matches (``status`` and ``weight`` set) whose start lies in the unit.
        settings: ``(main_verb_bonus, min_sentence_evidence, first_named_bonus)`` as in
            :func:`leadlens.scoring.pole_settings`.

    Returns:
        ``rules=<pole>`` (the rules' pole of the unit, as :meth:`PostingResult.pole_between` gives it),
        ``ev:L``/``ev:M`` (counted weight), ``n:L``/``n:M`` (counted spans), ``mv:L``/``mv:M`` (counted weight
        governed by the main verb), ``first=<pole>``, ``theme=<theme>:<pole>`` and ``axis=<axis>:<pole>``
        (counted weight), ``status=<status>:<pole>`` (excluded spans) and ``agent=<agent>`` counts.
    """
    f: Features = {f"rules={sentence_pole(list(matches), *settings)[0]}": 1.0}
    counted = [m for m in matches if m.status == "counted" and m.weight > 0]
    for m in counted:
        _add(f, f"ev:{m.pole}", m.weight)
        _add(f, f"n:{m.pole}", 1.0)
        _add(f, f"theme={theme(m.rule_id)}:{m.pole}", m.weight)
        _add(f, f"axis={m.axis}:{m.pole}", m.weight)
        if m.main_verb:
            _add(f, f"mv:{m.pole}", m.weight)
    if counted:
        f[f"first={min(counted, key=lambda m: m.start).pole}"] = 1.0
    for m in matches:
        if m.status != "counted":
            _add(f, f"status={m.status}:{m.pole}", 1.0)
        _add(f, f"agent={m.agent}", 1.0)
    return f


def text_features(words: Sequence[str], text: str, before: str = "", ngrams: int = 2,
                  stopwords: frozenset[str] | None = None, shape: bool = True) -> Features:
    """Word n-grams and shape of a unit.

    Args:
        words: the unit's lower-cased lemmas (or lower-cased tokens), punctuation and spaces removed.
        text: the unit's text (for its shape).
        before: the text of the line before the unit's start (a bullet marker there makes ``x:bullet``).
        ngrams: 1 for unigrams only, 2 for unigrams and bigrams.
        stopwords: words left out as unigrams, and bigrams made only of them ("a", "in the"): they say where a
            sentence comes from more than what it asks, and a model leaning on them does not carry over to
            other writing.
        shape: add the shape features (length bucket, trailing colon, Title Case, bullet).
    """
    f: Features = {}
    stop = stopwords or frozenset()
    norm = ["<num>" if _NUM.match(w) else w for w in words]
    for w in norm:
        if w not in stop:
            f[f"w={w}"] = 1.0
    if ngrams >= 2:
        for a, b in zip(norm, norm[1:]):
            if not (a in stop and b in stop):
                f[f"b={a} {b}"] = 1.0
    if not shape:
        return f
    n = len(norm)
    f[f"x:len={_bucket(n)}"] = 1.0
    stripped = text.strip()
    if stripped.endswith(":"):
        f["x:colon"] = 1.0
    alpha = [w for w in stripped.split() if w[:1].isalpha()]
    if alpha and sum(w[0].isupper() for w in alpha) / len(alpha) >= 0.8 and len(alpha) > 1:
        f["x:titlecase"] = 1.0
    if before and _BULLET_BEFORE.search(before):
        f["x:bullet"] = 1.0
    return f


def syntax_features(doc: Doc, org_words: frozenset[str], holder_words: frozenset[str]) -> Features:
    """Head verb lemma, root part of speech and subject kind of a unit parsed on its own.

    Args:
        doc: the unit's Doc (one sentence, as :meth:`leadlens.nlp.Parser.pipe_units` makes it).
        org_words: lemmas naming the organisation (``agents.json``: organisation pronouns and nouns).
        holder_words: lemmas naming the post holder (``agents.json``: post-holder nouns).
    """
    if not len(doc):
        return {}
    root = next((t for t in doc if t.dep_ == "ROOT"), doc[0])
    f: Features = {f"s:root_pos={root.pos_}": 1.0}
    if root.pos_ in ("VERB", "AUX"):
        f[f"s:verb={root.lemma_.lower()}"] = 1.0
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")), None)
    if subj is None:
        kind = "none"
    else:
        words = {t.lemma_.lower() for t in subj.subtree} | {subj.lemma_.lower()}
        kind = "holder" if words & holder_words else "organisation" if words & org_words else \
            "pronoun" if subj.pos_ == "PRON" else "other"
    f[f"s:subj={kind}"] = 1.0
    if kind == "none" and root.i == 0 and root.pos_ == "VERB":
        f["s:imperative"] = 1.0
    f.update(dependency_pairs(doc))
    return f


def dependency_pairs(doc: Doc) -> Features:
    """Lemma pairs joined by the parse, so that voice and distance do not change them (ANNOTATION.md: "rotas are
    to be approved by the post holder" is read as "approve rotas").

    * ``vo:<verb>><word>``: a verb (or auxiliary) and its direct object, passive subject or attribute
      ("manage the ward budget", "budgets will be managed" -> ``vo:manage>budget``);
    * ``vp:<head>_<preposition>><word>``: a verb, adjective or noun, a preposition it governs and that
      preposition's object ("responsible for the budget" -> ``vp:responsible_for>budget``).

    Version 2 of the features (measured on the train units out of fold: 0.806 against 0.804 for the linear model,
    0.817 against 0.815 averaged with the text classifier; on the crafted training sets left out in turn 0.960
    against 0.957; docs/EXPERIMENTS.md)."""
    f: Features = {}
    for tok in doc:
        if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ in ("VERB", "AUX"):
            f[f"vo:{tok.head.lemma_.lower()}>{tok.lemma_.lower()}"] = 1.0
        elif tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "ADJ", "NOUN"):
            f[f"vp:{tok.head.head.lemma_.lower()}_{tok.head.lemma_.lower()}>{tok.lemma_.lower()}"] = 1.0
        elif tok.dep_ == "xcomp" and tok.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in tok.children):
            # "rotas are to be approved": the passive verb hangs off "are", whose subject it takes
            for subj in (c for c in tok.head.children if c.dep_ == "nsubj"):
                f[f"vo:{tok.lemma_.lower()}>{subj.lemma_.lower()}"] = 1.0
    return f


@dataclass(frozen=True)
class FeatureConfig:
    """What :class:`FeatureExtractor` computes; stored in ``meta.json`` with the model."""

    words: str = "parse"
    ngrams: int = 2
    syntax: bool = True
    rules: bool = True
    stopwords: bool = True
    """Keep stop words as unigrams and stop-word bigrams (False drops them; see :func:`text_features`)."""
    shape: bool = True
    """Add the unit's shape (length, colon, Title Case, bullet)."""
    version: str = FEATURES_VERSION

    def __post_init__(self) -> None:
        if self.words not in WORD_SOURCES:
            raise ValueError(f"FeatureConfig.words must be one of {WORD_SOURCES}, got {self.words!r}")
        if self.syntax and self.words != "parse":
            raise ValueError("FeatureConfig.syntax needs words='parse' (the syntax comes from the unit's parse)")

    def to_dict(self) -> dict[str, Any]:
        return {"words": self.words, "ngrams": self.ngrams, "syntax": self.syntax, "rules": self.rules,
                "stopwords": self.stopwords, "shape": self.shape, "version": self.version}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureConfig:
        unknown = set(d) - {"words", "ngrams", "syntax", "rules", "stopwords", "shape", "version"}
        if unknown:
            raise ValueError(f"unknown feature settings {sorted(unknown)}")
        return cls(**d)


class FeatureExtractor:
    """Features of units of analysed postings, with the analyser's tokenizer or parser.

    A unit's words and syntax depend only on its text (each unit is parsed on its own), so they are kept in a
    cache of ``cache_size`` unit texts: boilerplate repeated across adverts is parsed once.

    Args:
        analyser: the :class:`leadlens.analysis.Analyser` that produced the results (its rules give the scoring
            settings and the subject words; its tokenizer or parser gives the words).
        config: which features to compute.
        cache_size: unit texts whose words and syntax are remembered (0: none).
    """

    def __init__(self, analyser: Analyser, config: FeatureConfig | None = None, cache_size: int = 20000) -> None:
        self.analyser = analyser
        self.config = config or FeatureConfig()
        self.settings = pole_settings(analyser.rules.scoring)
        agents = analyser.rules.agents
        self.org_words = frozenset(w.lower() for k in ("organisation_pronouns", "organisation_nouns")
                                   for w in agents.get(k, []))
        self.holder_words = frozenset(w.lower() for w in agents.get("post_holder_nouns", []))
        self.stop_words = frozenset(w.lower() for w in analyser.nlp.Defaults.stop_words)
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[list[str], Features]] = OrderedDict()
        if self.config.words == "parse" and cache_size:
            analyser.add_unit_hook(self.observe)

    def observe(self, text: str, doc: Doc) -> None:
        """Keep the words and syntax of a unit the analyser has just parsed (an :attr:`Analyser.unit_hooks`
        hook): the same parse :meth:`many` would make, so the unit is not parsed twice."""
        if text not in self._cache:
            self._cache[text] = self._from_doc(doc)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def posting(self, result: PostingResult, spans: Sequence[Span] | None = None) -> list[Features]:
        """Features of ``spans`` of one result (default: its sentences)."""
        return self.many([(result, spans)])[0]

    def many(self, items: Iterable[tuple[PostingResult, Sequence[Span] | None]],
             docs: Sequence[Sequence[Doc | None]] | None = None) -> list[list[Features]]:
        """Features of the spans of many results; the units of all of them are parsed in one stream.

        Args:
            items: (result, spans) pairs; spans None means the result's sentences.
            docs: optionally, for each item, a Doc per span already parsed by
                :meth:`leadlens.nlp.Parser.pipe_units` on exactly that span's text (the analyser's own unit
                parses), or None where there is none; those units are not parsed again.
        """
        items = [(r, list(spans) if spans is not None else [(s.start, s.end) for s in r.sentences])
                 for r, spans in items]
        texts = [r.text[a:b] for r, spans in items for a, b in spans]
        given = [d for ds in docs for d in ds] if docs is not None else [None] * len(texts)
        if len(given) != len(texts):
            raise ValueError(f"docs has {len(given)} entries for {len(texts)} units")
        units = self._analyse_texts(texts, given)
        out: list[list[Features]] = []
        k = 0
        for result, spans in items:
            rows = []
            starts = sorted((m.start, i) for i, m in enumerate(result.matches))
            for a, b in spans:
                words, syntax = units[k]
                k += 1
                rows.append(self._unit(result, a, b, words, syntax, starts))
            out.append(rows)
        return out

    def _analyse_texts(self, texts: list[str], given: list[Doc | None]) -> list[tuple[list[str], Features]]:
        """(words, syntax features) of each text: from the cache, from a given Doc, or parsed now."""
        found: dict[str, tuple[list[str], Features]] = {}
        todo: list[str] = []
        for text, doc in zip(texts, given):
            if text in found:
                continue
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                found[text] = hit
            elif doc is not None and doc.text == text and self.config.words == "parse":
                found[text] = self._from_doc(doc)
            else:
                found[text] = ([], {})  # placeholder, filled below
                todo.append(text)
        if todo:
            if self.config.words == "parse":
                for text, doc in zip(todo, self.analyser.parser.pipe_units(todo)):
                    found[text] = self._from_doc(doc)
            else:
                tok = self.analyser.nlp.tokenizer
                for text in todo:
                    found[text] = ([t.lower_ for t in tok(text) if not (t.is_punct or t.is_space)], {})
        if self.cache_size:
            for text, value in found.items():
                self._cache[text] = value
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return [found[t] for t in texts]

    def _from_doc(self, doc: Doc) -> tuple[list[str], Features]:
        words = [t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)]
        syntax = syntax_features(doc, self.org_words, self.holder_words) if self.config.syntax else {}
        return words, syntax

    def _unit(self, result: PostingResult, start: int, end: int, words: list[str], syntax: Features,
              starts: list[tuple[int, int]]) -> Features:
        lo = bisect_left(starts, (start, -1))
        hi = bisect_left(starts, (end, -1))
        inside = [result.matches[i] for _, i in starts[lo:hi]]
        f: Features = {}
        if self.config.rules:
            f.update(rule_features(inside, self.settings))
        f[f"section={section_of(result, start)}"] = 1.0
        line_start = result.text.rfind("\n", 0, start) + 1
        f.update(text_features(words, result.text[start:end], result.text[line_start:start], self.config.ngrams,
                               None if self.config.stopwords else self.stop_words, self.config.shape))
        f.update(syntax)
        return f


def section_of(result: PostingResult, char: int) -> str:
    """The section of the sentence holding ``char`` (of the last sentence starting before it, else unknown)."""
    best = None
    for s in result.sentences:
        if s.start <= char:
            best = s
            if char < s.end:
                break
        else:
            break
    return best.section if best is not None else "unknown"


def _add(f: Features, key: str, value: float) -> None:
    f[key] = round(f.get(key, 0.0) + value, 6)


def _bucket(n: int) -> str:
    return "0-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"
