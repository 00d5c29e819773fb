"""Lexicon matching: ``leadlens_lexicon`` tags the spans that express a pole of an axis.

Token rules run through a spaCy ``Matcher``; verb-object rules are found by walking the dependency parse from
each candidate object (:class:`VerbObjectIndex`: direct object, passive subject, coordinated objects and verbs,
modifiers of the object, prepositional objects, nominal forms). Overlaps are resolved on the tokens each rule
actually matched: verb-object rules beat token rules, longer matches beat shorter ones. Matches that overlap a
sense exclusion (a clinical or technical use of the trigger) are kept with ``span._.ll_sense`` set, so that
explanations can show why they score nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..rules import LexiconRule, SenseRule, load_agents, load_lexicon, load_senses
from .extensions import SPANS_KEY, register_extensions
from .matching import AnchoredMatcher

OBJ_DEPS = ["dobj", "obj", "nsubjpass", "attr", "oprd", "dative"]
MOD_DEPS = ["compound", "amod", "nmod"]
# a verb lemma is looked up on words the tagger may call nouns at the start of a bullet ("Chair meetings")
VERB_POS = ["VERB", "NOUN", "PROPN", "ADJ"]


@dataclass(frozen=True)
class Candidate:
    """One rule match before overlap resolution."""

    rule: LexiconRule
    tokens: tuple[int, ...]
    #: the object token of a verb-object match (None for token rules): coordinated verbs may share it ("manage
    #: and lead a team")
    obj: int | None = None

    @property
    def start(self) -> int:
        return min(self.tokens)

    @property
    def end(self) -> int:
        return max(self.tokens) + 1

    def priority(self) -> tuple:
        """Higher wins: verb-object rules, then more matched tokens, then weight, then earlier."""
        return (self.rule.kind == "verb_object", len(self.tokens), self.rule.weight, -self.start)


def _has_object(verb: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") for c in verb.children)


class VerbObjectIndex:
    """Finds verb-object rule matches by walking the parse from each candidate object.

    Relations (v = governing verb, o = object, x/y = intermediate nouns, p = preposition, n = nominal head):
    ``v > o`` (direct object, passive subject, attribute, the subject of "is to be V-ed"); ``v > x > o`` and
    ``v > x > y > o`` through "and"
    (``conj``); ``v > x > o`` with ``o`` modifying the object (compound/amod/nmod: "manage the change programme");
    a bullet gerund parsed as a modifier of ``o`` ("Managing budgets"); coordinated verbs sharing ``o`` ("plan and
    manage budgets", "lead and develop the team"); with ``preps``, ``v > p > o`` (and ``o`` coordinated with, or
    modifying, the prepositional object); with ``nouns``, ``n > p > o`` (p = one of ``preps``, default "of") and
    ``n > o`` as a modifier ("budget management"). A plain walk over the parse: spaCy's ``DependencyMatcher``
    does the same but is two orders of magnitude slower with hundreds of rules.
    """

    def __init__(self, rules: Iterable[LexiconRule]) -> None:
        self.by_object: dict[str, list[LexiconRule]] = {}
        for rule in rules:
            if rule.kind == "verb_object":
                for obj in rule.objects:
                    self.by_object.setdefault(obj, []).append(rule)

    @staticmethod
    def _is_verb(tok: Token, rule: LexiconRule) -> bool:
        return tok.lemma_ in rule.verbs and tok.pos_ in VERB_POS

    @staticmethod
    def _is_noun(tok: Token, rule: LexiconRule) -> bool:
        return tok.lemma_ in rule.nouns and tok.pos_ in ("NOUN", "PROPN")

    def _governors(self, o: Token) -> list[tuple[Token, tuple[int, ...]]]:
        """Heads reachable from ``o`` that could be its verb, with the extra tokens that count as matched."""
        out: list[tuple[Token, tuple[int, ...]]] = []
        x = o  # the noun standing in the object slot
        if o.dep_ in MOD_DEPS and o.head is not o:
            x = o.head
        hops = 0
        while x.dep_ == "conj" and x.head is not x and hops < 2:
            x = x.head
            hops += 1
        if x.dep_ in OBJ_DEPS and x.head is not x:
            w = x.head
            out.append((w, ()))
            # coordinated verbs sharing the object, unless the other verb has an object of its own ("plan your
            # workload and delegate the team's workload": each verb has its own)
            if w.pos_ == "VERB":
                out.extend((c, ()) for c in w.children if c.dep_ == "conj" and c.pos_ == "VERB"
                           and not _has_object(c))
                if w.dep_ == "conj" and w.head is not w and not _has_object(w.head):
                    out.append((w.head, ()))
        if x.dep_ == "nsubj" and x.head.lemma_ == "be" and x.head is not x:
            # "rotas are to be approved by the post holder", "a culture ... is to be created and sustained": the
            # subject of "be to be V-ed" is the passive verb's object
            for c in x.head.children:
                if c.dep_ == "xcomp" and c.tag_ == "VBN":
                    out.append((c, ()))
                    out.extend((d, ()) for d in c.children if d.dep_ == "conj" and d.pos_ == "VERB"
                               and not _has_object(d))
        if x.dep_ == "pobj" and x.head is not x:
            p = x.head
            if p.head is not p:
                out.append((p.head, (p.i,)))
        return out

    def match(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        for o in doc:
            rules = self.by_object.get(o.lemma_)
            if not rules:
                continue
            governors = self._governors(o)
            gerunds = [c for c in o.children if c.dep_ in ("amod", "compound", "nmod") and c.tag_ in ("VBG", "VB")]
            modified_by = o.head if (o.dep_ in MOD_DEPS and o.head is not o) else None
            for rule in rules:
                for gov, extra in governors:
                    if extra:
                        p = doc[extra[0]]
                        if p.dep_ in ("prep", "agent", "dative") and rule.preps and p.lower_ in rule.preps \
                                and self._is_verb(gov, rule):
                            found.append(Candidate(rule, tuple(sorted({gov.i, p.i, o.i})), o.i))
                        elif rule.nouns and p.dep_ == "prep" and p.lower_ in (rule.preps or ("of",)) \
                                and self._is_noun(gov, rule):
                            found.append(Candidate(rule, tuple(sorted({gov.i, p.i, o.i})), o.i))
                    elif self._is_verb(gov, rule):
                        found.append(Candidate(rule, tuple(sorted({gov.i, o.i})), o.i))
                for g in gerunds:
                    if g.lemma_ in rule.verbs:
                        found.append(Candidate(rule, tuple(sorted({g.i, o.i})), o.i))
                if rule.nouns and modified_by is not None and self._is_noun(modified_by, rule):
                    found.append(Candidate(rule, tuple(sorted({modified_by.i, o.i})), o.i))
        return found


def _agent_phrase(noun: Token) -> str:
    """A passive agent's noun with its compounds, lower case ("post holder", "you")."""
    return " ".join([c.lower_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i] + [noun.lower_])


def _done_by_post_holder(tok: Token, post_holder_agents: frozenset[str]) -> bool:
    """Whether ``tok`` is a passive verb whose "by" agent is the post holder (``agents.json``:
    ``post_holder_passive_agents``; "by the budget holder" or "by the ward manager" names someone else)."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    first = tok.head if tok.dep_ == "conj" else tok  # "encouraged, supported and inspired by the post holder"
    verbs = [first, *(v for v in first.children if v.dep_ == "conj")]
    agents = [c for v in verbs for c in v.children if c.dep_ == "agent"]
    return any(g.dep_ == "pobj" and _agent_phrase(g) in post_holder_agents for a in agents for g in a.children)


def _received_by_others(tok: Token, others: frozenset[str], receiving: frozenset[str]) -> bool:
    """Whether ``tok`` is a verb of receiving whose subject is other staff, governed by another verb: "ensure that
    all staff **attend** mandatory training" is the post holder's control of others, not training it receives."""
    return (tok.pos_ == "VERB" and tok.lemma_.lower() in receiving and tok.dep_ in ("ccomp", "xcomp")
            and tok.head.pos_ == "VERB"
            and any(c.dep_ == "nsubj" and c.lemma_.lower() in others for c in tok.children))


# dependencies climbed from a phrase's top token to the verb that governs it (objects, conjuncts, compounds,
# appositions, prepositions)
_PHRASE_CLIMB = ("dobj", "obj", "pobj", "prep", "conj", "compound", "appos", "nsubjpass", "amod", "npadvmod", "dative",
                 "attr", "oprd", "pcomp", "cc")


def _verb_above(tok: Token) -> Token | None:
    """The nearest verb above ``tok`` through :data:`_PHRASE_CLIMB` ("provide regular clinical **supervision**" ->
    provide); unlike ``context.governing_verb``, ``tok`` itself and auxiliaries do not count."""
    cur = tok
    for _ in range(8):
        if cur.dep_ not in _PHRASE_CLIMB:
            return None
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur
    return None


def governing_verbs(tokens: Iterable[Token]) -> list[Token]:
    """The verb governing a phrase (its top token if that is a verb, else :func:`_verb_above` it) and up to two verbs
    above it through clausal complements ("**ensure** that goods are **received** in compliance with the procedure")."""
    toks = list(tokens)
    if not toks:
        return []
    top = min(toks, key=lambda t: len(list(t.ancestors)))
    verb = top if top.pos_ in ("VERB", "AUX") else _verb_above(top)
    out: list[Token] = []
    while verb is not None and len(out) < 3:
        out.append(verb)
        head = verb.head
        verb = head if verb.dep_ in ("ccomp", "xcomp", "advcl", "conj") and head.pos_ == "VERB" else None
    return out


def merge_same_rule(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Merge overlapping matches of one rule ("lead and manage change" matches twice, through each verb)."""
    merged: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.rule.id, c.start)):
        prev = merged[-1] if merged else None
        if prev is not None and prev.rule.id == cand.rule.id and not set(prev.tokens).isdisjoint(cand.tokens):
            merged[-1] = Candidate(prev.rule, tuple(sorted(set(prev.tokens) | set(cand.tokens))),
                                   prev.obj if prev.obj == cand.obj else None)
        else:
            merged.append(cand)
    return merged


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best candidate for every token: greedy by priority over the tokens each rule matched.

    Verb-object matches of different verbs may share their object ("manage and lead a team": coordinated verbs, each
    with its own rule), so that the first named and the main verb can decide (ANNOTATION.md)."""
    candidates = merge_same_rule(candidates)
    taken: set[int] = set()
    shared_objects: set[int] = set()  # tokens taken only as the object of kept verb-object matches
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=Candidate.priority, reverse=True):
        clash = taken.intersection(cand.tokens)
        if not clash or (cand.obj is not None and clash == {cand.obj} and cand.obj in shared_objects):
            kept.append(cand)
            if cand.obj is not None and cand.obj not in taken:
                shared_objects.add(cand.obj)
            taken.update(cand.tokens)
    return sorted(kept, key=lambda c: (c.start, c.end))


class LexiconTagger:
    """Tags lexicon matches in ``doc.spans["leadlens"]`` (label = pole) with their rule's attributes.

    Args:
        vocab: the pipeline's vocabulary.
        rules: lexicon rules; the shipped lexicon by default.
        senses: sense exclusions; the shipped ones by default.
        agents: subject word lists (``agents.json``); the shipped ones by default. Its
            ``post_holder_passive_agents`` keep a received-duty sense rule off a passive done by the post holder, and
            its ``other_people_nouns`` and ``receiving_verbs`` off receiving by others that the post holder governs.
    """

    def __init__(self, vocab: Vocab, rules: list[LexiconRule] | None = None,
                 senses: list[SenseRule] | None = None, agents: dict[str, list[str]] | None = None) -> None:
        register_extensions()
        self.vocab = vocab
        self.rules = rules if rules is not None else load_lexicon()
        self.senses = senses if senses is not None else load_senses()
        agents = agents if agents is not None else load_agents()
        self.post_holder_agents = frozenset(w.lower() for w in agents.get("post_holder_passive_agents", []))
        self.other_people = frozenset(w.lower() for w in agents.get("other_people_nouns", []))
        self.receiving_verbs = frozenset(w.lower() for w in agents.get("receiving_verbs", []))
        self._build()

    def _build(self) -> None:
        self.by_id = {r.id: r for r in self.rules}
        self.matcher = AnchoredMatcher(self.vocab)
        for rule in self.rules:
            if rule.kind == "token":
                self.matcher.add(rule.id, rule.token_pattern())
        self.verb_objects = VerbObjectIndex(self.rules)
        self.sense_by_id = {s.id: s for s in self.senses}
        self.sense_matcher = AnchoredMatcher(self.vocab)
        for sense in self.senses:
            self.sense_matcher.add(sense.id, sense.token_pattern())

    def __call__(self, doc: Doc) -> Doc:
        candidates = self.match(doc)
        senses = self.match_senses(doc) if candidates else []
        self.set_annotations(doc, resolve_overlaps(candidates), senses)
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        """Every rule match in ``doc``, overlapping ones included."""
        strings = self.vocab.strings
        out = [Candidate(self.by_id[strings[key]], tuple(range(s, e))) for key, s, e in self.matcher(doc)]
        out.extend(self.verb_objects.match(doc))
        return out

    def match_senses(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Sense exclusions found in ``doc`` as (id, start token, end token)."""
        out = []
        for k, s, e in self.sense_matcher(doc):
            sense = self.sense_by_id[self.vocab.strings[k]]
            above = _verb_above(doc[s])
            if any(_received_by_others(t, self.other_people, self.receiving_verbs)
                   for t in [*doc[s:e], *([above] if above is not None else [])]):
                continue  # "ensure that all staff attend mandatory training", "... have access to supervision": others'
            if sense.unless_head and any(v.lemma_.lower() in sense.unless_head for v in governing_verbs(doc[s:e])):
                continue  # "provide regular clinical supervision to the team": given
            if sense.target is not None:
                s, e = s + sense.target, s + sense.target + 1
            if any(_done_by_post_holder(doc[i], self.post_holder_agents) for i in range(s, e)):
                continue  # "staff are to be coached by the post holder": given, not received
            out.append((sense.id, s, e))
        return out

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
