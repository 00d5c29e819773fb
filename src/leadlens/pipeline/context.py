"""Context of every lexicon span: ``leadlens_context`` (after medspaCy's ConText).

Two sources of evidence, combined:

* **ConText rules** (``resources/context_rules.jsonl``): trigger phrases with a category (NEGATED,
  HYPOTHETICAL, ORG_AGENT, BOILERPLATE, TITLE) and a direction (FORWARD, BACKWARD, BIDIRECTIONAL, SENTENCE).
  A scope runs within the sentence from the trigger until a TERMINATE cue of its category (or of ANY) or
  ``max_scope`` tokens. PSEUDO cues ("not only", "no doubt") block the triggers they overlap (of their own
  category, or of all with ANY).
* **Syntax**: a ``neg`` dependent on the governing verb or a "no"/"without" determiner on the object
  negates; the grammatical subject of the governing verb decides the agent (``resources/agents.json``):
  the organisation ("we", "the Trust", "our vision") or the post holder ("you", "the post holder", and
  subjectless imperative bullets and "to ..." infinitives); a Title-Cased run naming a role ("Head of
  Transformation") marks a title mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..rules import CONTEXT_CATEGORY_ATTRS, ContextRule, load_agents, load_clauses, load_context_rules, load_titles
from .extensions import SPANS_KEY, register_extensions
from .matching import AnchoredMatcher

CLIMB_DEPS = {"xcomp", "conj", "advcl", "ccomp", "pcomp", "prep", "pobj", "dobj", "attr", "acomp", "amod",
              "compound", "nmod", "appos", "npadvmod", "oprd", "dep", "poss", "nsubjpass", "nummod", "quantmod"}
RELATIVE = {"who", "that", "which", "whom"}
PERSON_SUFFIXES = ("ist", "ian", "ant", "ent", "or", "er", "ee")
"""Endings of nouns naming people (psychologist, physician, consultant, director, trainer, trainee): a "who" clause
on another noun is a misparse."""


@dataclass(frozen=True)
class Cue:
    """A context trigger found in a sentence."""

    rule: ContextRule
    start: int
    end: int


@dataclass
class Scope:
    """The tokens a cue governs (start inclusive, end exclusive)."""

    cue: Cue
    start: int
    end: int

    def covers(self, tokens: Iterable[int]) -> bool:
        return any(self.start <= t < self.end for t in tokens)


def find_scopes(cues: list[Cue], sent_start: int, sent_end: int) -> list[Scope]:
    """Scopes of the cues of one sentence, with PSEUDO and TERMINATE cues applied."""
    pseudo = [c for c in cues if c.rule.direction == "PSEUDO"]
    live = [c for c in cues if c.rule.direction not in ("PSEUDO", "TERMINATE")
            and not any(p.rule.category in ("ANY", c.rule.category)
                        and (p.start <= c.start < p.end or c.start <= p.start < c.end) for p in pseudo)]
    terms = [c for c in cues if c.rule.direction == "TERMINATE"]
    scopes: list[Scope] = []
    for cue in live:
        cat, direction, limit = cue.rule.category, cue.rule.direction, cue.rule.max_scope
        stops = [t for t in terms if t.rule.category in (cat, "ANY")]
        if direction == "SENTENCE":
            scopes.append(Scope(cue, sent_start, sent_end))
            continue
        if direction in ("FORWARD", "BIDIRECTIONAL"):
            end = min([t.start for t in stops if t.start >= cue.end] + [sent_end])
            if limit:
                end = min(end, cue.end + limit)
            scopes.append(Scope(cue, cue.start, end))
        if direction in ("BACKWARD", "BIDIRECTIONAL"):
            start = max([t.end for t in stops if t.end <= cue.start] + [sent_start])
            if limit:
                start = max(start, cue.start - limit)
            scopes.append(Scope(cue, start, cue.end))
    return scopes


def governing_verb(tok: Token) -> Token | None:
    """The verb (or auxiliary) that governs ``tok``: itself, or the nearest verb up its head chain."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head is cur or cur.dep_ not in CLIMB_DEPS:
            return None
        cur = cur.head
    return None


def _predicate_adjective(tok: Token) -> Token | None:
    """A sentence-root adjective with a subject ("The Board is committed to ..."), reached up ``tok``'s head chain
    when no verb governs it: it heads the clause as a verb would."""
    cur = tok
    for _ in range(12):
        if cur.pos_ == "ADJ" and cur.dep_ == "ROOT" and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
            return cur
        if cur.head is cur or cur.dep_ not in CLIMB_DEPS | {"conj"}:
            return None
        cur = cur.head
    return None


NEG_CLIMB = {"xcomp", "conj", "acomp", "pcomp", "pobj", "prep", "dobj", "compound", "amod", "nmod", "acl",
             "nsubjpass", "attr", "oprd", "auxpass", "aux", "relcl"}
CONTRAST_CC = {"but", "rather", "instead", "whereas", "yet"}


def syntactic_negation(tokens: list[Token], max_hops: int = 6) -> bool:
    """Negation read off the parse: a ``neg`` dependent or a "no"/"neither" determiner on the head chain.

    The chain climbs from each matched token through objects, complements, prepositions and coordinations
    ("not responsible for managing", "no requirement to manage", "does not carry line management
    responsibility", "without budget responsibility"), and stops at a contrast ("not X but Y").
    """
    for tok in tokens:
        cur = tok
        for _ in range(max_hops):
            for child in cur.children:
                if child.dep_ == "neg":
                    return True
                if child.dep_ in ("det", "preconj") and child.lower_ in ("no", "neither") \
                        and not _no_more_than(child):
                    return True  # "no budget", "neither supervising staff nor planning the rota forms part of"
            if cur.dep_ == "pobj" and cur.head.lower_ == "without" and not _post_holders(cur):
                return True  # "without budget responsibility"; not "without the post holder's approval"
            if cur.head is cur or cur.dep_ not in NEG_CLIMB:
                break
            if cur.dep_ == "conj" and any(c.dep_ in ("cc", "preconj", "advmod") and c.lower_ in CONTRAST_CC
                                          for c in cur.head.children if c.i < cur.i):
                break
            cur = cur.head
    return False


POST_HOLDER_POSSESSORS = frozenset({"your", "holder", "postholder", "post-holder", "jobholder", "job-holder"})


def _post_holders(tok: Token) -> bool:
    """ "your approval", "the post holder's formal approval" (also of a coordinated noun): the post holder's."""
    head = tok.head if tok.dep_ == "conj" else tok
    return any(c.dep_ == "poss" and c.lower_ in POST_HOLDER_POSSESSORS for c in (*tok.children, *head.children))


def _no_more_than(tok: Token) -> bool:
    """ "no more than five staff", "no fewer than", "no later than": a bound on a quantity, not a denial."""
    doc = tok.doc
    return tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ in ("more", "fewer", "less", "later", "earlier") \
        and doc[tok.i + 2].lower_ == "than"


class AgentRules:
    """Decides whose duty a span is from its governing verb's subject."""

    def __init__(self, agents: dict[str, list[str]]) -> None:
        self.org_nouns = {w.lower() for w in agents["organisation_nouns"]}
        self.org_pron = {w.lower() for w in agents["organisation_pronouns"]}
        self.org_poss = {w.lower() for w in agents["organisation_possessives"]}
        self.holder = {w.lower() for w in agents["post_holder_nouns"]}
        self.recruiting = {w.lower() for w in agents.get("recruitment_verbs", [])}
        self.offering = {w.lower() for w in agents.get("offer_verbs", [])}
        self.post_nouns = {w.lower() for w in agents.get("post_nouns", [])}
        self.subordinate_marks = {w.lower() for w in agents.get("subordinate_marks", [])}
        self.candidates = {w.lower() for w in agents.get("candidate_nouns", [])}
        self.other_person_preps = {w.lower() for w in agents.get("other_person_preps", [])}
        self.others = {w.lower() for w in agents.get("other_people_nouns", [])}
        self.climate_nouns = {w.lower() for w in agents.get("climate_nouns", [])}
        self.climate_verbs = {w.lower() for w in agents.get("climate_verbs", [])}
        self.reporting = {w.lower() for w in agents.get("reporting_line_verbs", [])}
        self.explicit = {w.lower() for w in agents.get("explicit_post_holder_nouns", [])}
        self.other_roles = {w.lower() for w in agents.get("other_role_nouns", [])}

    def recruits(self, verb: Token) -> bool:
        """"we are looking for someone who...", "we are offering a post managing...": what follows is the post's."""
        lemma = verb.lemma_.lower()
        post_object = any(c.dep_ in ("dobj", "obj") and (c.lemma_.lower() in self.post_nouns
                                                         or c.lemma_.lower() in self.holder) for c in verb.children)
        # "The Trust has asked this post / requires the post holder to champion...": the infinitive is the post's
        return lemma in self.recruiting or (post_object and (lemma in self.offering or any(
            c.dep_ in ("xcomp", "ccomp") for c in verb.children)))

    def noun_is_org(self, noun: Token) -> bool | None:
        """True for an organisation noun, False for the post holder, None when the noun says neither."""
        low, lemma = noun.lower_, noun.lemma_.lower()
        if low in self.org_pron:
            return True
        if low in ("you", "i") or lemma in self.holder:
            # "our manager" is still someone else, but a post-holder noun wins over the possessive
            return False
        poss = next((c for c in noun.children if c.dep_ == "poss" and c.lower_ in self.org_pron | self.org_poss), None)
        if poss is not None:
            # "Although the role includes ..., its primary purpose is to ...": "its"/"their" refers back to the
            # nearest earlier subject; when that names the post, the noun is the post's, not the organisation's
            return poss.lower_ in self.org_pron or not self._post_antecedent(poss)
        if lemma in self.org_nouns or (noun.pos_ == "PROPN" and any(
                t.lemma_.lower() in self.org_nouns for t in noun.subtree)):
            return True
        if noun.pos_ == "PROPN" and noun.dep_ in ("nsubj", "nsubjpass") and not any(
                t.lemma_.lower() in self.holder for t in noun.subtree):
            return True  # a named body as subject ("NHSX is leading...", "St Austell has..."), not a role title
        return None

    def _someone_else(self, antecedent: Token) -> bool:
        """Whether a person named as the object of a verb or of one of ``other_person_preps`` ("work with the Chief
        Nurse, who ...", "led by a consultant and a psychologist, who ...") is someone other than the post holder:
        not when a recruitment verb governs it ("we are looking for a nurse who ..."), nor a generic candidate noun,
        nor after other prepositions ("an opportunity has arisen for a nurse who ...", "join us as a sister who
        ...")."""
        noun = antecedent
        while noun.dep_ == "conj" and noun.head is not noun:
            noun = noun.head
        lemma = noun.lemma_.lower()
        if noun.pos_ not in ("NOUN", "PROPN") or lemma in self.candidates:
            return False
        if noun.pos_ == "NOUN" and lemma not in self.holder and lemma not in self.others \
                and not lemma.endswith(PERSON_SUFFIXES):
            return False  # "who" misattached to a thing ("a background in family therapy who can lead ...")
        gov = noun.head
        if noun.dep_ == "pobj" and (gov.dep_ == "agent" or gov.lower_ in self.other_person_preps):
            gov = gov.head
        elif noun.dep_ not in ("dobj", "obj"):
            return False
        return gov.pos_ in ("VERB", "AUX") and gov.lemma_.lower() not in self.recruiting and not self.recruits(gov)

    def _post_antecedent(self, pron: Token) -> bool:
        """Whether the nearest subject before ``pron`` in its sentence names the post ("the role", "this post")."""
        for t in reversed(list(pron.doc[pron.sent.start:pron.i])):
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN"):
                return t.lemma_.lower() in self.post_nouns
        return False

    def _named_beside_the_post(self, subj: Token, verb: Token) -> bool:
        """A role named as the subject ("the Head of Pathology") in a sentence whose other clause has the post
        holder named as such ("the post holder", "you") as its subject: the named role is someone else."""
        if subj.head.i != verb.i or subj.dep_ not in ("nsubj", "nsubjpass") \
                or subj.lemma_.lower() not in self.other_roles or subj.lower_ in self.explicit:
            return False  # only the clause's own subject, not a relative pronoun's antecedent
        for t in subj.sent:
            if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in self.explicit:
                theirs = t.head if t.head.pos_ in ("VERB", "AUX") else None
                # the post holder's clause must not govern the named role's clause ("The post holder will work
                # with the Lead Nurse to maintain ...": the infinitive is the post holder's)
                if theirs is not None and theirs.i != verb.i and verb.i not in {w.i for w in theirs.subtree}:
                    return True
        return False

    def agent(self, tokens: list[Token]) -> str:
        """"organisation" or "post_holder" for the span made of ``tokens``.

        The organisation is the agent when the nearest subject up the head chain names it ("we", "the Trust",
        "our vision", or a passive's "by the Trust"), or when a span's noun is owned by "our" and is itself a
        subject ("our vision is..."); unless that clause is embedded (ccomp/xcomp/advcl) under a verb whose subject
        is the post holder or that has none (an imperative: "Ensure the ward runs safely"). Otherwise, including
        subjectless bullets, the post holder is.
        """
        for tok in tokens:
            while tok.dep_ in ("compound", "amod") and tok.head is not tok and tok.head.pos_ in ("NOUN", "PROPN"):
                tok = tok.head  # "Our Quality Improvement team has trained ...": the phrase's own noun
            # "Our vision is to...": an 'our' noun that is the subject of the main clause (or is the clause)
            if tok.pos_ in ("NOUN", "PROPN") and (tok.dep_ == "ROOT" or (
                    tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT")) and any(
                    c.dep_ == "poss" and c.lower_ in self.org_pron for c in tok.children):
                return "organisation"
        verb = governing_verb(tokens[0]) or _predicate_adjective(tokens[0])
        decided: bool | None = None
        hops = 0
        while verb is not None and hops < 6:
            hops += 1
            if verb.dep_ == "relcl" and verb.head.lemma_.lower() in self.climate_nouns:
                maker = governing_verb(verb.head)
                if maker is not None and maker is not verb and maker.lemma_.lower() in self.climate_verbs:
                    verb = maker  # "create an environment in which teams feel safe to experiment": the creator's
                    continue
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj", "expl")), None)
            passive_agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children
                                  if g.dep_ == "pobj"), None)
            if subj is None and passive_agent is None:
                # "The Health Board is committed to ... and manages risk": an organisation as a passive or
                # predicative subject is still the one the clause is about
                subj = next((c for c in verb.children if c.dep_ == "nsubjpass" and self.noun_is_org(c)), None)
            here: bool | None = None
            if passive_agent is not None:
                here = self.noun_is_org(passive_agent)
            if here is None and subj is not None:
                if subj.lower_ in RELATIVE and verb.dep_ == "relcl":
                    if subj.lower_ in ("who", "whom") and self._someone_else(verb.head):
                        return "organisation"  # "work closely with the Chief Nurse, who sets the strategy"
                    subj = verb.head
                here = self.noun_is_org(subj)
                if not here and self._named_beside_the_post(subj, verb):
                    return "organisation"  # "The Head of Pathology will set ..., and the post holder will ..."
                if here and subj.pos_ == "PROPN" and subj.lemma_.lower() not in self.org_nouns and any(
                        c.dep_ == "advcl" and c.lemma_.lower() in self.reporting for c in verb.children):
                    here = False  # "Reporting to the Head of Finance, the Finance Business Partner will ...": the post
                if here is None:
                    here = False  # some other subject (a person, "this role"): not the organisation
                elif here and self.recruits(verb) and verb is not governing_verb(tokens[0]):
                    return "post_holder"  # "we are looking for someone who will lead...": the candidate's duty
            if here is None and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
                # the noun a clause describes is not its subject: only "we"/"our ..." or a named body count here
                # ("a team of nurses offering supervision" is the post holder's team)
                head = verb.head
                here = self.noun_is_org(head) if (head.lower_ in self.org_pron or head.pos_ == "PROPN" or any(
                    c.dep_ == "poss" and c.lower_ in self.org_pron for c in head.children)) else None
                if here is None:  # "an environment that values staff": whose environment? look further up
                    parent = governing_verb(verb.head) if verb.head.head is not verb.head else None
                    if parent is None or parent is verb:
                        return "post_holder"
                    verb = parent
                    continue
            if decided is None and here is not None:
                decided = here
                if not decided:
                    return "post_holder"
            elif decided and here is False:
                return "post_holder"  # an organisation clause embedded under the post holder's verb
            if decided and verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.subordinate_marks
                                                        for c in verb.children):
                return "organisation"  # "Whilst NHS Digital sets the national vision, you will...": its own clause
            if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp") and verb.head is not verb:
                parent = verb.head if verb.head.pos_ in ("VERB", "AUX") else (
                    governing_verb(verb.head) or _predicate_adjective(verb.head))
                if decided and parent is not None and verb.dep_ in ("ccomp", "xcomp", "advcl", "pcomp") \
                        and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in parent.children):
                    return "post_holder"  # "Ensure the ward runs safely": an imperative governs the clause
                verb = parent
                continue
            break
        return "organisation" if decided else "post_holder"


def _depth(tok: Token) -> int:
    n = 0
    while tok.head is not tok and n < 50:
        tok = tok.head
        n += 1
    return n


class ClauseRules:
    """The clause a span sits in (``resources/clauses.json``): a purpose clause, a subordinate clause, or neither.

    * **Purpose** (CONVENTIONS 2): a clause marked "so (that)", "so as to", "in order to", "with the aim of"
      or "with a view to" (a gerund), or a "to"-infinitive
      attached to a verb that has an object before it ("Lead a team of administrators **to ensure** ...",
      "Monitor survey results **to involve** staff"), unless that verb is one whose object is the infinitive's
      subject ("enable clinicians to take", "encourage staff to complete": ``control_verbs``; likewise "coach the
      team so that they can run ..."); an infinitive only
      when that verb is the sentence's main verb (not one item of a list of duties).
    * **Subordinate**: a clause opened by while, whilst, although, if ... ("While keeping an eye on the budget,").
    * **Yielding lead** (CONVENTIONS 1): a generic lead cue whose object or complement holds another cue.
    """

    def __init__(self, clauses: dict, other_people: Iterable[str] = ()) -> None:
        self.other_people = {w.lower() for w in other_people}  # agents.json: other_people_nouns
        self.purpose_marks = {w.lower() for w in clauses.get("purpose_marks", [])}
        self.purpose_nouns = {w.lower() for w in clauses.get("purpose_nouns", [])}
        self.steering_nouns = {w.lower() for w in clauses.get("steering_nouns", [])}
        self.subordinate_marks = {w.lower() for w in clauses.get("subordinate_marks", [])}
        self.control_verbs = {w.lower() for w in clauses.get("control_verbs", [])}
        self.yielding = set(clauses.get("yielding_rules", []))
        self.yield_preps = {w.lower() for w in clauses.get("yield_preps", [])}
        self.verb_only = set(clauses.get("yield_from_verb_only", []))
        self.verb_only_preps = {w.lower() for w in clauses.get("verb_only_preps", [])}

    def _role_of(self, w: Token) -> str | None:
        if w.pos_ not in ("VERB", "AUX"):
            return None
        marks = {c.lower_ for c in w.children if c.dep_ == "mark"}
        if w.dep_ == "advcl" and any(c.dep_ == "advmod" and c.lower_ in ("where", "when", "whenever") and c.i < w.i
                                     for c in w.children):
            marks.add("if")  # "Where staff propose a new way of running the clinic, you will ..." is conditional
        if marks & self.subordinate_marks and w.dep_ in ("advcl", "ccomp", "conj", "xcomp", "pcomp"):
            return "subordinate"
        if w.dep_ == "advcl" and w.tag_ == "VBG" and not marks and w.i == w.sent.start and w.i < w.head.i \
                and w.head.dep_ == "ROOT" and w.head.pos_ == "VERB":
            return "subordinate"  # a fronted participle: "Drawing on audit results, develop ..." is the means
        if marks & self.purpose_marks and w.dep_ in ("advcl", "ccomp", "xcomp", "conj"):
            if w.head.lemma_.lower() in self.control_verbs and any(
                    c.dep_ == "nsubj" and c.lemma_.lower() in self.other_people for c in w.children):
                return None  # "coach the team so that they can run the desk": others' agency, as "coach them to run"
            return "purpose"
        if w.dep_ == "acl" and w.head.lower_ == "order" and w.head.head.lower_ == "in":
            return "purpose"  # "in order to ensure"
        if w.dep_ == "pcomp" and w.tag_ == "VBG" and w.head.lower_ in ("of", "to") \
                and w.head.head.lower_ in self.purpose_nouns and w.head.head.head.lower_ in ("with", "for"):
            return "purpose"  # "with the aim of developing them", "with a view to reducing"
        if w.dep_ == "acl" and w.head.lemma_.lower() in self.steering_nouns and w.head.dep_ == "dobj" \
                and w.head.head.dep_ == "ROOT" and any(c.dep_ == "aux" and c.lower_ == "to" for c in w.children):
            return "purpose"  # "Provide leadership to the booking team to deliver compliance with the policy"
        if w.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in w.children):
            h = w.head
            main = h.dep_ == "ROOT" or (h.dep_ == "conj" and h.head.dep_ == "ROOT")  # the sentence's own verb
            if main and h.pos_ == "VERB" and h.lemma_.lower() not in self.control_verbs and (
                    w.dep_ == "advcl" or any(c.dep_ in ("dobj", "obj") and c.i < w.i for c in h.children)
                    or any(c.dep_ in ("prt", "prep") and c.i < w.i and any(g.dep_ == "pobj" for g in c.children)
                           for c in h.children)):
                # a phrasal verb's object counts as the object: "Draw on the team's enthusiasm to achieve ..."
                return "purpose"
        return None

    def role(self, tokens: list[Token]) -> str | None:
        """"purpose", "subordinate" or None for the span made of ``tokens`` (the nearest marked clause wins)."""
        cur = min(tokens, key=_depth)
        for _ in range(12):
            role = self._role_of(cur)
            if role is not None:
                return role
            if cur.head is cur:
                return None
            cur = cur.head
        return None

    def _led(self, tokens: list[Token], verb_only: bool = False) -> tuple[list[Token], list[Token]]:
        """What a generic lead cue leads, as dependents: its head's objects and ``yield_preps`` complements (with
        ``verb_only``, only ``verb_only_preps``), and the ``yield_preps`` complements of the cue's other words
        ("leadership **of the rota**"; none with ``verb_only``)."""
        head = min(tokens, key=_depth)
        own = {t.i for t in tokens}
        preps = self.verb_only_preps if verb_only else self.yield_preps
        of_head = [c for c in head.children if c.i not in own and (
            c.dep_ in ("dobj", "obj", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in preps))]
        of_words = [] if verb_only else [c for t in tokens if t is not head for c in t.children
                                         if c.dep_ == "prep" and c.lower_ in self.yield_preps and c.i not in own]
        return of_head, of_words

    def led_heads(self, tokens: list[Token]) -> set[int]:
        """Token indices of the nouns a lead cue leads directly: its head's objects and the objects of its
        complements ("lead **the clinic**", "a lead role in **the management** of ...")."""
        of_head, of_words = self._led(tokens)
        return {c.i for c in of_head if c.dep_ != "prep"} | {
            g.i for c in of_head + of_words if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}

    def led_region(self, tokens: list[Token], verb_only: bool = False) -> set[int]:
        """Token indices of what a generic lead cue leads (:meth:`_led`, with their subtrees). With ``verb_only``,
        only the verb's ``verb_only_preps`` complements ("lead the team **in achieving compliance**", not "**with**
        responsibility for")."""
        head = min(tokens, key=_depth)
        of_head, of_words = self._led(tokens, verb_only)
        region = {t.i for c in of_head for t in c.subtree}
        if region:  # "lead on recruitment and rostering", the gerund misparsed as a second verb of "lead"
            for c in head.children:
                if c.dep_ == "conj" and c.tag_ in ("VBG", "NN", "NNS") and c.i > min(region):
                    region.update(t.i for t in c.subtree)
        region.update(t.i for c in of_words for t in c.subtree)
        return region


def title_mention(tokens: list[Token], role_nouns: set[str]) -> bool:
    """Whether the span's words sit inside a Title-Cased role name such as "Head of Service Transformation"."""
    if not all(t.is_title or t.is_upper or t.lower_ in ("of", "and", "&", "for") for t in tokens):
        return False
    first = tokens[0]
    sent = first.sent
    if first.i == sent.start and first.pos_ == "VERB":
        return False  # a bullet-initial verb is capitalised by position: "Advise the Associate Director ..."
    left = first.i
    while left > sent.start and (first.doc[left - 1].is_title or first.doc[left - 1].lower_ in ("of", "&", "and",
                                                                                             "for")):
        left -= 1
    right = tokens[-1].i + 1
    while right < sent.end and (first.doc[right].is_title or first.doc[right].lower_ in ("of", "&", "and", "for")):
        right += 1
    run = [t for t in first.doc[left:right] if t.lower_ not in ("of", "and", "&", "for")]
    if len(run) < 2:
        return False
    return any(t.lower_ in role_nouns and t.pos_ != "VERB" for t in run)


class ContextTagger:
    """Sets negation, hypothetical, agent, boilerplate and title flags on the spans in ``doc.spans["leadlens"]``.

    Args:
        vocab: the pipeline's vocabulary.
        rules: ConText rules; the shipped ``context_rules.jsonl`` by default.
        agents: subject word lists; the shipped ``agents.json`` by default.
        role_nouns: words naming a role in titles; from the shipped ``titles.json`` by default.
    """

    def __init__(self, vocab: Vocab, rules: list[ContextRule] | None = None,
                 agents: dict[str, list[str]] | None = None, role_nouns: Iterable[str] | None = None,
                 clauses: dict | None = None) -> None:
        register_extensions()
        self.vocab = vocab
        self.rules = rules if rules is not None else load_context_rules()
        agents = agents if agents is not None else load_agents()
        self.agents = AgentRules(agents)
        self.role_nouns = {w.lower() for w in (role_nouns if role_nouns is not None
                                                else load_titles()["role_nouns"])}
        self.clauses = ClauseRules(clauses if clauses is not None else load_clauses(),
                                   agents.get("other_people_nouns", []))
        self.by_id = {r.id: r for r in self.rules}
        self.matcher = AnchoredMatcher(vocab)
        for rule in self.rules:
            self.matcher.add(rule.id, rule.token_pattern())

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        if not spans:
            return doc
        cues = self.match(doc)
        self.set_annotations(doc, spans, cues)
        return doc

    def match(self, doc: Doc) -> list[Cue]:
        """Every context cue in ``doc``."""
        return [Cue(self.by_id[self.vocab.strings[k]], s, e) for k, s, e in self.matcher(doc)]

    def set_annotations(self, doc: Doc, spans: list[Span], cues: list[Cue]) -> None:
        """Apply cue scopes and syntax to every span."""
        by_sent: dict[int, list[Scope]] = {}
        for span in spans:
            tokens = [doc[i] for i in (span._.ll_tokens or range(span.start, span.end))]
            sent = tokens[0].sent
            if sent.start not in by_sent:
                sent_cues = [c for c in cues if sent.start <= c.start < sent.end]
                by_sent[sent.start] = find_scopes(sent_cues, sent.start, sent.end)
            applied = []
            for scope in by_sent[sent.start]:
                if scope.covers(t.i for t in tokens) and not _inside_cue(tokens, scope.cue):
                    applied.append((scope.cue.rule.id, scope.cue.rule.category))
                    for attr, value in CONTEXT_CATEGORY_ATTRS[scope.cue.rule.category].items():
                        setattr(span._, f"ll_{attr}", value)
            if syntactic_negation(tokens):
                span._.ll_negated = True
                applied.append(("syntax.neg", "NEGATED"))
            if span._.ll_agent != "organisation" and self.agents.agent(tokens) == "organisation":
                span._.ll_agent = "organisation"
                applied.append(("syntax.subject", "ORG_AGENT"))
            if title_mention(tokens, self.role_nouns):
                span._.ll_title_mention = True
                applied.append(("syntax.title_case_role", "TITLE"))
            role = self.clauses.role(tokens)
            if role is not None:
                applied.append((f"syntax.{role}", role.upper()))
            span._.ll_cues = tuple(applied)
        self.mark_yielding(doc, spans)

    def mark_yielding(self, doc: Doc, spans: list[Span]) -> None:
        """CONVENTIONS 1: a generic lead cue yields to a cue inside what it leads ("lead on rostering")."""
        for span in spans:
            if span._.ll_rule not in self.clauses.yielding:
                continue
            tokens = [doc[i] for i in (span._.ll_tokens or range(span.start, span.end))]
            region = self.clauses.led_region(tokens, span._.ll_rule in self.clauses.verb_only)
            if not region:
                continue
            led = [o for o in spans if o is not span and o._.ll_rule not in self.clauses.yielding
                   and all(i in region for i in (o._.ll_tokens or range(o.start, o.end)))]
            if not led:
                continue
            span._.ll_cues = (*(span._.ll_cues or ()), ("syntax.lead_yields", "YIELDS"))
            for o in led:
                if not any(cat == "LED_OBJECT" for _, cat in (o._.ll_cues or ())):
                    o._.ll_cues = (*(o._.ll_cues or ()), ("syntax.led_object", "LED_OBJECT"))
            objects = self.clauses.led_heads(tokens)
            if span._.ll_sense is None and objects and all(o._.ll_sense for o in led) and any(
                    any(t in objects for t in (o._.ll_tokens or range(o.start, o.end))) for o in led):
                # "take a lead role in the management of critically ill children": leading clinical work is
                # clinical work; the lead takes the sense of what it leads
                span._.ll_sense = led[0]._.ll_sense


def _inside_cue(tokens: list[Token], cue: Cue) -> bool:
    """A trigger does not modify itself: "no requirement" must not negate a rule matching "requirement"."""
    return all(cue.start <= t.i < cue.end for t in tokens) and cue.rule.category not in ("BOILERPLATE", "TITLE",
                                                                                         "ORG_AGENT")


@Language.factory("leadlens_context", assigns=["doc.spans"], requires=["token.dep"])
def make_context(nlp: Language, name: str) -> ContextTagger:
    """Factory for :class:`ContextTagger` with the shipped rules."""
    return ContextTagger(nlp.vocab)
