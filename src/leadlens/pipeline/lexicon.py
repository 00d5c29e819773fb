"""Lexicon matching: ``leadlens_lexicon`` tags the spans that express a pole of an axis.

Token rules run through a spaCy ``Matcher``; verb-object rules are compiled into ``DependencyMatcher`` patterns
(direct object, passive subject, coordinated objects, compound modifiers of the object, prepositional objects,
nominal forms). Overlaps are resolved on the tokens each rule actually matched: verb-object rules beat token
rules, longer matches beat shorter ones. Matches that overlap a sense exclusion (a clinical or technical
use of the trigger) are kept with ``span._.ll_sense`` set, so that explanations can show why they score
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..rules import LexiconRule, SenseRule, load_lexicon, load_senses
from .extensions import SPANS_KEY, register_extensions

OBJ_DEPS = ["dobj", "obj", "nsubjpass", "attr", "oprd", "dative"]
MOD_DEPS = ["compound", "amod", "nmod"]
# a verb lemma is looked up on words the tagger may call nouns at the start of a bullet ("Chair meetings")
VERB_POS = ["VERB", "NOUN", "PROPN", "ADJ"]


@dataclass(frozen=True)
class Candidate:
    """One rule match before overlap resolution."""

    rule: LexiconRule
    tokens: tuple[int, ...]

    @property
    def start(self) -> int:
        return min(self.tokens)

    @property
    def end(self) -> int:
        return max(self.tokens) + 1

    def priority(self) -> tuple:
        """Higher wins: verb-object rules, then more matched tokens, then weight, then earlier."""
        return (self.rule.kind == "verb_object", len(self.tokens), self.rule.weight, -self.start)


def _node(right_id: str, attrs: dict, left_id: str | None = None, rel: str | None = None) -> dict:
    node: dict = {"RIGHT_ID": right_id, "RIGHT_ATTRS": attrs}
    if left_id is not None:
        node["LEFT_ID"] = left_id
        node["REL_OP"] = rel
    return node


def verb_object_patterns(rule: LexiconRule) -> list[tuple[list[dict], tuple[str, ...]]]:
    """DependencyMatcher patterns for a verb-object rule, each with the node names that count as matched."""
    verbs = {"LEMMA": {"IN": list(rule.verbs)}, "POS": {"IN": VERB_POS}}
    objs = {"LEMMA": {"IN": list(rule.objects)}}
    out: list[tuple[list[dict], tuple[str, ...]]] = []
    v = _node("v", verbs)
    out.append(([v, _node("o", {**objs, "DEP": {"IN": OBJ_DEPS}}, "v", ">")], ("v", "o")))
    out.append(([v, _node("x", {"DEP": {"IN": OBJ_DEPS}}, "v", ">"),
                 _node("o", {**objs, "DEP": "conj"}, "x", ">")], ("v", "o")))
    out.append(([v, _node("x", {"DEP": {"IN": OBJ_DEPS}}, "v", ">"), _node("y", {"DEP": "conj"}, "x", ">"),
                 _node("o", {**objs, "DEP": "conj"}, "y", ">")], ("v", "o")))
    out.append(([v, _node("x", {"DEP": {"IN": OBJ_DEPS}}, "v", ">"),
                 _node("o", {**objs, "DEP": {"IN": MOD_DEPS}}, "x", ">")], ("v", "o")))
    # a bullet-initial gerund parsed as a modifier: "Managing budgets"
    out.append(([_node("v", {**verbs, "DEP": {"IN": ["amod", "compound", "nmod"]}, "TAG": {"IN": ["VBG", "VB"]}}),
                 _node("o", objs, "v", "<")], ("v", "o")))
    # coordinated verbs sharing one object: "plan and manage budgets", "lead and develop the team"
    out.append(([v, _node("w", {"DEP": "conj", "POS": "VERB"}, "v", ">"),
                 _node("o", {**objs, "DEP": {"IN": OBJ_DEPS}}, "w", ">")], ("v", "o")))
    out.append(([_node("w", {"POS": "VERB"}), _node("v", {**verbs, "DEP": "conj"}, "w", ">"),
                 _node("o", {**objs, "DEP": {"IN": OBJ_DEPS}}, "w", ">")], ("v", "o")))
    if rule.preps:
        preps = {"LOWER": {"IN": list(rule.preps)}, "DEP": {"IN": ["prep", "agent", "dative"]}}
        out.append(([v, _node("p", preps, "v", ">"), _node("o", {**objs, "DEP": "pobj"}, "p", ">")],
                    ("v", "p", "o")))
        out.append(([v, _node("p", preps, "v", ">"), _node("x", {"DEP": "pobj"}, "p", ">"),
                     _node("o", {**objs, "DEP": "conj"}, "x", ">")], ("v", "p", "o")))
        out.append(([v, _node("p", preps, "v", ">"), _node("x", {"DEP": "pobj"}, "p", ">"),
                     _node("o", {**objs, "DEP": {"IN": MOD_DEPS}}, "x", ">")], ("v", "p", "o")))
    if rule.nouns:
        noun = _node("n", {"LEMMA": {"IN": list(rule.nouns)}, "POS": {"IN": ["NOUN", "PROPN"]}})
        npreps = {"LOWER": {"IN": list(rule.preps) or ["of"]}, "DEP": "prep"}
        out.append(([noun, _node("p", npreps, "n", ">"), _node("o", {**objs, "DEP": "pobj"}, "p", ">")],
                    ("n", "p", "o")))
        out.append(([noun, _node("p", npreps, "n", ">"), _node("x", {"DEP": "pobj"}, "p", ">"),
                     _node("o", {**objs, "DEP": {"IN": ["conj", *MOD_DEPS]}}, "x", ">")], ("n", "p", "o")))
        out.append(([noun, _node("o", {**objs, "DEP": {"IN": MOD_DEPS}}, "n", ">")], ("n", "o")))
    return out


def merge_same_rule(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Merge overlapping matches of one rule ("lead and manage change" matches twice, through each verb)."""
    merged: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.rule.id, c.start)):
        prev = merged[-1] if merged else None
        if prev is not None and prev.rule.id == cand.rule.id and not set(prev.tokens).isdisjoint(cand.tokens):
            merged[-1] = Candidate(prev.rule, tuple(sorted(set(prev.tokens) | set(cand.tokens))))
        else:
            merged.append(cand)
    return merged


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best candidate for every token: greedy by priority over the tokens each rule matched."""
    candidates = merge_same_rule(candidates)
    taken: set[int] = set()
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=Candidate.priority, reverse=True):
        if taken.isdisjoint(cand.tokens):
            kept.append(cand)
            taken.update(cand.tokens)
    return sorted(kept, key=lambda c: (c.start, c.end))


class LexiconTagger:
    """Tags lexicon matches in ``doc.spans["leadlens"]`` (label = pole) with their rule's attributes.

    Args:
        vocab: the pipeline's vocabulary.
        rules: lexicon rules; the shipped lexicon by default.
        senses: sense exclusions; the shipped ones by default.
    """

    def __init__(self, vocab: Vocab, rules: list[LexiconRule] | None = None,
                 senses: list[SenseRule] | None = None) -> None:
        register_extensions()
        self.vocab = vocab
        self.rules = rules if rules is not None else load_lexicon()
        self.senses = senses if senses is not None else load_senses()
        self._build()

    def _build(self) -> None:
        self.by_id = {r.id: r for r in self.rules}
        self.matcher = Matcher(self.vocab)
        self.dep_matcher = DependencyMatcher(self.vocab)
        self._dep_nodes: dict[str, list[tuple[str, ...]]] = {}
        for rule in self.rules:
            if rule.kind == "token":
                self.matcher.add(rule.id, [rule.token_pattern()])
            else:
                for k, (pattern, nodes) in enumerate(verb_object_patterns(rule)):
                    key = f"{rule.id}#{k}"
                    self.dep_matcher.add(key, [pattern])
                    self._dep_nodes[key] = [tuple(p["RIGHT_ID"] for p in pattern), nodes]
        self.sense_matcher = Matcher(self.vocab)
        for sense in self.senses:
            self.sense_matcher.add(sense.id, [sense.token_pattern()])

    def __call__(self, doc: Doc) -> Doc:
        candidates = self.match(doc)
        self.set_annotations(doc, resolve_overlaps(candidates), self.match_senses(doc))
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        """Every rule match in ``doc``, overlapping ones included."""
        strings = self.vocab.strings
        out = [Candidate(self.by_id[strings[key]], tuple(range(s, e))) for key, s, e in self.matcher(doc)]
        for key, token_ids in self.dep_matcher(doc):
            name = strings[key]
            names, keep = self._dep_nodes[name]
            toks = tuple(sorted({t for n, t in zip(names, token_ids) if n in keep}))
            out.append(Candidate(self.by_id[name.split("#", 1)[0]], toks))
        return out

    def match_senses(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Sense exclusions found in ``doc`` as (id, start token, end token)."""
        return [(self.vocab.strings[k], s, e) for k, s, e in self.sense_matcher(doc)]

    def set_annotations(self, doc: Doc, kept: list[Candidate], senses: list[tuple[str, int, int]]) -> None:
        """Write the kept matches to ``doc.spans["leadlens"]``."""
        spans = []
        for cand in kept:
            span = Span(doc, cand.start, cand.end, label=cand.rule.pole)
            rule = cand.rule
            span._.ll_rule = rule.id
            span._.ll_axis = rule.axis
            span._.ll_pole = rule.pole
            span._.ll_weight = rule.weight
            span._.ll_kind = rule.kind
            span._.ll_tokens = cand.tokens
            span._.ll_sense = next((sid for sid, s, e in senses if any(s <= t < e for t in cand.tokens)), None)
            spans.append(span)
        doc.spans[SPANS_KEY] = spans


@Language.factory("leadlens_lexicon", assigns=["doc.spans"], requires=["token.lemma", "token.pos", "token.dep"])
def make_lexicon(nlp: Language, name: str) -> LexiconTagger:
    """Factory for :class:`LexiconTagger` with the shipped lexicon and sense exclusions."""
    return LexiconTagger(nlp.vocab)
