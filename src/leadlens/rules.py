"""Rule classes for every resource file, with validating loaders.

Each rule class round-trips ``from_dict``/``to_dict`` and rejects unknown keys (after medspaCy's
``ConTextRule``). Loaders read the JSONL files shipped in ``leadlens/resources`` through
``importlib.resources`` and raise :class:`~leadlens.errors.ResourceError` naming the file and line of a
bad rule. The schema of each file is documented in ``resources/README.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import E, ResourceError

POLES = ("L", "M")

# Context categories map to span attributes through this one constant (medspaCy's way).
CONTEXT_CATEGORY_ATTRS: dict[str, dict[str, Any]] = {
    "NEGATED": {"negated": True},
    "HYPOTHETICAL": {"hypothetical": True},
    "ORG_AGENT": {"agent": "organisation"},
    "BOILERPLATE": {"boilerplate": True},
    "TITLE": {"title_mention": True},
}
CONTEXT_DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "SENTENCE", "TERMINATE", "PSEUDO")
LEXICON_KINDS = ("token", "verb_object")


def _file_line(src: str, line: int) -> dict[str, object]:
    return {"file": src, "line": line}


def _check_keys(d: dict, required: Iterable[str], allowed: Iterable[str], src: str, line: int) -> None:
    allowed = set(allowed)
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise ResourceError(E.E002, keys=unknown, allowed=sorted(allowed), **_file_line(src, line))
    missing = sorted(k for k in required if k not in d)
    if missing:
        raise ResourceError(E.E003, keys=missing, **_file_line(src, line))


def _check_str_list(d: dict, key: str, src: str, line: int, required: bool = False) -> None:
    value = d.get(key)
    if value is None and not required:
        return
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(E.E008, field=key, expected="a non-empty list of strings", value=value,
                            **_file_line(src, line))


def literal_to_pattern(literal: str) -> list[dict[str, Any]]:
    """Turn a literal phrase into a case-insensitive token pattern (whitespace and punctuation split)."""
    tokens = re.findall(r"\w+(?:['’]\w+)?|[^\w\s]", literal.lower())
    return [{"LOWER": t} for t in tokens]


def validate_token_pattern(pattern: Any, rule_id: str, src: str, line: int) -> None:
    """Check a spaCy Matcher token pattern with spaCy's own validator."""
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
        raise ResourceError(E.E006, rule_id=rule_id, reason="a pattern is a non-empty list of token dicts",
                            **_file_line(src, line))
    matcher = Matcher(Vocab(), validate=True)
    try:
        matcher.add(rule_id, [pattern])
    except Exception as exc:  # spaCy raises MatchPatternError / ValueError
        reason = " ".join(str(exc).split())
        raise ResourceError(E.E006, rule_id=rule_id, reason=reason, **_file_line(src, line)) from exc


@dataclass(frozen=True)
class Axis:
    """One of the nine axes of the seed's Figure 1, with the theme names of its two poles."""

    axis: str
    L: str
    M: str
    label_L: str
    label_M: str
    description: str = ""

    def theme(self, pole: str) -> str:
        """Theme name of ``pole`` ("L" or "M")."""
        return self.L if pole == "L" else self.M


@dataclass(frozen=True)
class LexiconRule:
    """A lexicon rule: one way of expressing one pole of one axis.

    ``kind`` is ``token`` (a spaCy Matcher token pattern in ``pattern``) or ``verb_object`` (a verb from
    ``verbs`` governing an object from ``objects``, directly, through one of ``preps``, or as the subject of a
    passive; ``nouns`` adds nominal forms such as "management of budgets" and "budget management").
    """

    id: str
    axis: str
    pole: str
    weight: float = 1.0
    kind: str = "token"
    pattern: tuple = ()
    verbs: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    comment: str = ""
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    KEYS = ("id", "axis", "pole", "weight", "kind", "pattern", "literal", "verbs", "objects", "preps", "nouns",
            "comment")

    @property
    def theme(self) -> str:
        """The theme, the part of the id before the first dot."""
        return self.id.split(".", 1)[0]

    @classmethod
    def from_dict(cls, d: dict, axes: dict[str, Axis], src: str = "<dict>", line: int = 0) -> LexiconRule:
        """Build and validate a rule from its JSON form."""
        if not isinstance(d, dict):
            raise ResourceError(E.E008, field="rule", expected="a JSON object", value=d, **_file_line(src, line))
        _check_keys(d, ("id", "axis", "pole"), cls.KEYS, src, line)
        rule_id = d["id"]
        if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z_]+\.[a-z0-9_.]+", rule_id):
            raise ResourceError(E.E008, field="id", expected="'theme.name' in lower case", value=rule_id,
                                **_file_line(src, line))
        if d["axis"] not in axes:
            raise ResourceError(E.E004, field="axis", allowed=sorted(axes), value=d["axis"], **_file_line(src, line))
        if d["pole"] not in POLES:
            raise ResourceError(E.E004, field="pole", allowed=list(POLES), value=d["pole"], **_file_line(src, line))
        axis = axes[d["axis"]]
        theme = rule_id.split(".", 1)[0]
        if theme != axis.theme(d["pole"]):
            raise ResourceError(E.E007, rule_id=rule_id, themes=f"{axis.theme(d['pole'])}.*", **_file_line(src, line))
        weight = d.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 3:
            raise ResourceError(E.E008, field="weight", expected="a number in (0, 3]", value=weight,
                                **_file_line(src, line))
        kind = d.get("kind", "token")
        if kind not in LEXICON_KINDS:
            raise ResourceError(E.E004, field="kind", allowed=list(LEXICON_KINDS), value=kind, **_file_line(src, line))
        pattern: list = []
        if kind == "token":
            if ("pattern" in d) == ("literal" in d):
                raise ResourceError(E.E016, reason=f"rule {rule_id!r}: a token rule has exactly one of "
                                    "'pattern' or 'literal'", **_file_line(src, line))
            for key in ("verbs", "objects", "preps", "nouns"):
                if key in d:
                    raise ResourceError(E.E016, reason=f"rule {rule_id!r}: {key!r} belongs to verb_object rules",
                                        **_file_line(src, line))
            pattern = d["pattern"] if "pattern" in d else literal_to_pattern(d["literal"])
            validate_token_pattern(pattern, rule_id, src, line)
        else:
            for key in ("pattern", "literal"):
                if key in d:
                    raise ResourceError(E.E016, reason=f"rule {rule_id!r}: {key!r} belongs to token rules",
                                        **_file_line(src, line))
            _check_str_list(d, "verbs", src, line, required=True)
            _check_str_list(d, "objects", src, line, required=True)
            _check_str_list(d, "preps", src, line)
            _check_str_list(d, "nouns", src, line)
        comment = d.get("comment", "")
        if not isinstance(comment, str):
            raise ResourceError(E.E008, field="comment", expected="a string", value=comment, **_file_line(src, line))
        return cls(
            id=rule_id, axis=d["axis"], pole=d["pole"], weight=float(weight), kind=kind,
            pattern=tuple(_freeze(pattern)),
            verbs=tuple(v.lower() for v in d.get("verbs", ())),
            objects=tuple(v.lower() for v in d.get("objects", ())),
            preps=tuple(v.lower() for v in d.get("preps", ())),
            nouns=tuple(v.lower() for v in d.get("nouns", ())),
            comment=comment, source=src, line=line,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``literal`` rules come back as their token pattern)."""
        d: dict[str, Any] = {"id": self.id, "axis": self.axis, "pole": self.pole, "weight": self.weight,
                             "kind": self.kind}
        if self.kind == "token":
            d["pattern"] = _thaw(self.pattern)
        else:
            d["verbs"] = list(self.verbs)
            d["objects"] = list(self.objects)
            if self.preps:
                d["preps"] = list(self.preps)
            if self.nouns:
                d["nouns"] = list(self.nouns)
        if self.comment:
            d["comment"] = self.comment
        return d

    def token_pattern(self) -> list[dict[str, Any]]:
        """The spaCy token pattern as mutable lists and dicts."""
        return _thaw(self.pattern)


@dataclass(frozen=True)
class SenseRule:
    """A clinical or technical sense of a trigger word: lexicon matches overlapping it are excluded."""

    id: str
    pattern: tuple
    target: int | None = None
    unless_head: tuple[str, ...] = ()
    comment: str = ""
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    KEYS = ("id", "pattern", "literal", "target", "unless_head", "comment")

    @classmethod
    def from_dict(cls, d: dict, src: str = "<dict>", line: int = 0) -> SenseRule:
        """Build and validate a sense exclusion from its JSON form.

        ``target`` (optional) is the index of the one pattern token whose sense the rule settles ("delegated" in
        "delegated budget"); without it, the whole match is the sense span. Tokens before the target must not be
        optional or repeated, so that the target's position is fixed. ``unless_head`` (optional) lists verb lemmas:
        the sense does not apply when the verb governing the match is one of them ("**provide** regular clinical
        supervision to the team" is a duty; "regular clinical supervision" in a list of benefits is not).
        """
        _check_keys(d, ("id",), cls.KEYS, src, line)
        if ("pattern" in d) == ("literal" in d):
            raise ResourceError(E.E016, reason=f"sense {d['id']!r}: exactly one of 'pattern' or 'literal'",
                                **_file_line(src, line))
        pattern = d["pattern"] if "pattern" in d else literal_to_pattern(d["literal"])
        validate_token_pattern(pattern, d["id"], src, line)
        target = d.get("target")
        if target is not None:
            if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < len(pattern):
                raise ResourceError(E.E008, field="target", expected=f"a token index in 0..{len(pattern) - 1}",
                                    value=target, **_file_line(src, line))
            if any("OP" in t for t in pattern[:target]):
                raise ResourceError(E.E016, reason=f"sense {d['id']!r}: tokens before the target may not have 'OP'",
                                    **_file_line(src, line))
        unless = d.get("unless_head", [])
        if not isinstance(unless, list) or not all(isinstance(w, str) and w for w in unless):
            raise ResourceError(E.E008, field="unless_head", expected="a list of verb lemmas", value=unless,
                                **_file_line(src, line))
        return cls(id=d["id"], pattern=tuple(_freeze(pattern)), target=target,
                   unless_head=tuple(w.lower() for w in unless), comment=d.get("comment", ""), source=src, line=line)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        d: dict[str, Any] = {"id": self.id, "pattern": _thaw(self.pattern)}
        if self.target is not None:
            d["target"] = self.target
        if self.unless_head:
            d["unless_head"] = list(self.unless_head)
        if self.comment:
            d["comment"] = self.comment
        return d

    def token_pattern(self) -> list[dict[str, Any]]:
        """The spaCy token pattern as mutable lists and dicts."""
        return _thaw(self.pattern)


@dataclass(frozen=True)
class ContextRule:
    """A ConText-style cue: a trigger phrase that modifies lexicon spans in its scope.

    ``category`` maps to span attributes through :data:`CONTEXT_CATEGORY_ATTRS`. ``direction`` is
    FORWARD (spans after the trigger), BACKWARD (before), BIDIRECTIONAL, SENTENCE (the whole sentence),
    TERMINATE (ends the scope of earlier triggers of ``category``, or of all with ``ANY``) or PSEUDO (looks like a
    trigger and is not: it blocks the triggers it overlaps, of its own ``category`` or, with ``ANY``, of all).
    ``max_scope`` limits the scope in tokens.
    """

    id: str
    category: str
    direction: str
    pattern: tuple
    max_scope: int | None = None
    comment: str = ""
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    KEYS = ("id", "category", "direction", "pattern", "literal", "max_scope", "comment")

    @classmethod
    def from_dict(cls, d: dict, src: str = "<dict>", line: int = 0) -> ContextRule:
        """Build and validate a context rule from its JSON form."""
        _check_keys(d, ("id", "category", "direction"), cls.KEYS, src, line)
        categories = [*CONTEXT_CATEGORY_ATTRS, "ANY"]
        if d["category"] not in categories:
            raise ResourceError(E.E004, field="category", allowed=categories, value=d["category"],
                                **_file_line(src, line))
        if d["direction"] not in CONTEXT_DIRECTIONS:
            raise ResourceError(E.E004, field="direction", allowed=list(CONTEXT_DIRECTIONS), value=d["direction"],
                                **_file_line(src, line))
        if d["category"] == "ANY" and d["direction"] not in ("TERMINATE", "PSEUDO"):
            raise ResourceError(E.E016, reason=f"context rule {d['id']!r}: category ANY is only for TERMINATE "
                                "and PSEUDO", **_file_line(src, line))
        if ("pattern" in d) == ("literal" in d):
            raise ResourceError(E.E016, reason=f"context rule {d['id']!r}: exactly one of 'pattern' or 'literal'",
                                **_file_line(src, line))
        max_scope = d.get("max_scope")
        if max_scope is not None and (isinstance(max_scope, bool) or not isinstance(max_scope, int)
                                      or max_scope < 1):
            raise ResourceError(E.E008, field="max_scope", expected="a positive integer or null", value=max_scope,
                                **_file_line(src, line))
        pattern = d["pattern"] if "pattern" in d else literal_to_pattern(d["literal"])
        validate_token_pattern(pattern, d["id"], src, line)
        return cls(id=d["id"], category=d["category"], direction=d["direction"], pattern=tuple(_freeze(pattern)),
                   max_scope=max_scope, comment=d.get("comment", ""), source=src, line=line)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        d: dict[str, Any] = {"id": self.id, "category": self.category, "direction": self.direction,
                             "pattern": _thaw(self.pattern)}
        if self.max_scope is not None:
            d["max_scope"] = self.max_scope
        if self.comment:
            d["comment"] = self.comment
        return d

    def token_pattern(self) -> list[dict[str, Any]]:
        """The spaCy token pattern as mutable lists and dicts."""
        return _thaw(self.pattern)


@dataclass(frozen=True)
class SectionRule:
    """A heading rule: a short line matching ``pattern`` (a case-insensitive regex) opens ``section``.

    A rule with ``exits`` is a way out, not a heading: while the section is one of ``exits``, a line that
    *begins* with ``pattern`` (after bullets) switches to ``section`` from that line, and the line still scores.
    """

    section: str
    pattern: str
    comment: str = ""
    exits: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    KEYS = ("section", "pattern", "comment", "exits")

    @classmethod
    def from_dict(cls, d: dict, sections: Iterable[str], src: str = "<dict>", line: int = 0) -> SectionRule:
        """Build and validate a section rule."""
        _check_keys(d, ("section", "pattern"), cls.KEYS, src, line)
        sections = list(sections)
        if d["section"] not in sections:
            raise ResourceError(E.E004, field="section", allowed=sections, value=d["section"], **_file_line(src, line))
        try:
            re.compile(d["pattern"], re.I)
        except re.error as exc:
            raise ResourceError(E.E009, pattern=d["pattern"], reason=str(exc), **_file_line(src, line)) from exc
        _check_str_list(d, "exits", src, line)
        for value in d.get("exits", []):
            if value not in sections:
                raise ResourceError(E.E004, field="exits", allowed=sections, value=value, **_file_line(src, line))
        return cls(section=d["section"], pattern=d["pattern"], comment=d.get("comment", ""),
                   exits=tuple(d.get("exits", [])), source=src, line=line)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        d: dict[str, Any] = {"section": self.section, "pattern": self.pattern}
        if self.exits:
            d["exits"] = list(self.exits)
        if self.comment:
            d["comment"] = self.comment
        return d

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled, case-insensitive pattern (compiled once per pattern)."""
        return _compile_ci(self.pattern)


@lru_cache(maxsize=1024)
def _compile_ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _freeze(obj: Any) -> Any:
    """Make a JSON value hashable (dicts become sorted tuples of pairs, lists tuples)."""
    if isinstance(obj, dict):
        return ("__dict__", tuple(sorted((k, _freeze(v)) for k, v in obj.items())))
    if isinstance(obj, list):
        return tuple(_freeze(v) for v in obj)
    return obj


def _thaw(obj: Any) -> Any:
    if isinstance(obj, tuple) and len(obj) == 2 and obj[0] == "__dict__":
        return {k: _thaw(v) for k, v in obj[1]}
    if isinstance(obj, tuple):
        return [_thaw(v) for v in obj]
    return obj


# --------------------------------------------------------------------------------------------------------
# Reading resource files


def resource_root() -> Path:
    """The folder of the shipped resources (inside the installed package)."""
    return Path(str(resources.files("leadlens") / "resources"))


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each non-blank, non-comment line of a JSONL file."""
    name = str(path)
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            text = raw.strip()
            if not text or text.startswith("//"):
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ResourceError(E.E001, reason=exc.msg, **_file_line(name, n)) from exc
            if not isinstance(obj, dict):
                raise ResourceError(E.E008, field="line", expected="a JSON object", value=obj, **_file_line(name, n))
            yield n, obj


def load_json(path: Path) -> Any:
    """Read a JSON resource, reporting the file and line of a syntax error."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResourceError(E.E001, reason=exc.msg, file=str(path), line=exc.lineno) from exc


def load_axes(root: Path | None = None) -> dict[str, Axis]:
    """The nine axes, in the seed's order."""
    path = (root or resource_root()) / "axes.json"
    data = load_json(path)
    return {a["axis"]: Axis(**a) for a in data["axes"]}


def _unique(rules: list, key: str) -> None:
    seen: dict[str, Any] = {}
    for r in rules:
        k = getattr(r, key)
        if k in seen:
            raise ResourceError(E.E005, rule_id=k, first=seen[k].line, file=r.source, line=r.line)
        seen[k] = r


def load_lexicon(root: Path | None = None) -> list[LexiconRule]:
    """Every lexicon rule in ``resources/lexicon/*.jsonl``."""
    root = root or resource_root()
    axes = load_axes(root)
    rules = [LexiconRule.from_dict(d, axes, str(p), n)
             for p in sorted((root / "lexicon").glob("*.jsonl")) for n, d in iter_jsonl(p)]
    _unique(rules, "id")
    return rules


def load_senses(root: Path | None = None) -> list[SenseRule]:
    """Every sense exclusion in ``resources/senses/*.jsonl``."""
    root = root or resource_root()
    rules = [SenseRule.from_dict(d, str(p), n)
             for p in sorted((root / "senses").glob("*.jsonl")) for n, d in iter_jsonl(p)]
    _unique(rules, "id")
    return rules


def load_context_rules(root: Path | None = None) -> list[ContextRule]:
    """Every context rule in ``resources/context_rules.jsonl``."""
    path = (root or resource_root()) / "context_rules.jsonl"
    rules = [ContextRule.from_dict(d, str(path), n) for n, d in iter_jsonl(path)]
    _unique(rules, "id")
    return rules


def load_scoring(root: Path | None = None) -> dict[str, Any]:
    """Scoring settings: section weights, verdict thresholds, interval level."""
    return load_json((root or resource_root()) / "scoring.json")


def load_section_rules(root: Path | None = None) -> list[SectionRule]:
    """Heading rules in ``resources/sections.jsonl``."""
    root = root or resource_root()
    sections = list(load_scoring(root)["section_weights"])
    path = root / "sections.jsonl"
    return [SectionRule.from_dict(d, sections, str(path), n) for n, d in iter_jsonl(path)]


def load_agents(root: Path | None = None) -> dict[str, list[str]]:
    """Subject words naming the organisation or the post holder (``agents.json``)."""
    return load_json((root or resource_root()) / "agents.json")


POS_LEMMA_TABLES = ("verb", "noun", "adj")


def load_spellings(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """Hyphenated spellings kept as one token (``spellings.json``): form -> {"norm", "lemma": {pos: lemma}}."""
    path = (root or resource_root()) / "spellings.json"
    table = load_json(path).get("hyphenated", {})
    for form, entry in table.items():
        lemmas = entry.get("lemma", {}) if isinstance(entry, dict) else None
        if not (isinstance(form, str) and form == form.lower() and isinstance(entry, dict)
                and isinstance(entry.get("norm"), str) and isinstance(lemmas, dict)
                and all(pos in POS_LEMMA_TABLES and isinstance(v, str) for pos, v in lemmas.items())):
            raise ResourceError(E.E008, field=f"hyphenated[{form!r}]",
                                expected='a lower-case form with {"norm": str, "lemma": {"verb"|"noun"|"adj": str}}',
                                value=entry, file=str(path), line=0)
    return table


def load_clauses(root: Path | None = None) -> dict[str, Any]:
    """Clause roles: purpose and subordinate clause marks, generic lead cues that yield (``clauses.json``)."""
    return load_json((root or resource_root()) / "clauses.json")


def load_titles(root: Path | None = None) -> dict[str, Any]:
    """Title-kind rules (``titles.json``)."""
    return load_json((root or resource_root()) / "titles.json")


RESOURCE_GLOBS = ("*.json", "*.jsonl", "lexicon/*.jsonl", "senses/*.jsonl")


def resource_files(root: Path | None = None) -> list[Path]:
    """Every rule file, in a stable order."""
    root = root or resource_root()
    return sorted(p for g in RESOURCE_GLOBS for p in root.glob(g))


COMMENT_KEY = "comment"


def _without_comments(value: Any) -> Any:
    """``value`` with every ``comment`` key dropped, at any depth."""
    if isinstance(value, dict):
        return {k: _without_comments(v) for k, v in value.items() if k != COMMENT_KEY}
    if isinstance(value, list):
        return [_without_comments(v) for v in value]
    return value


def canonical_rules_text(path: Path) -> str:
    """A rule file as it behaves: parsed, ``comment`` keys dropped, keys sorted; JSONL line order kept (rule order
    can matter). Files that do not parse are hashed as raw text, so any edit to them still shows."""
    text = path.read_text(encoding="utf-8")
    try:
        docs = [json.loads(line) for line in text.splitlines() if line.strip()] if path.suffix == ".jsonl" \
            else [json.loads(text)]
    except json.JSONDecodeError:
        return text
    return "\n".join(json.dumps(_without_comments(d), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                     for d in docs)


@lru_cache(maxsize=8)
def _hash_root(root: str) -> str:
    h = hashlib.sha256()
    base = Path(root)
    for p in resource_files(base):
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(canonical_rules_text(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def resources_hash(root: Path | None = None) -> str:
    """SHA-256 over every rule file as it behaves: changes whenever a rule changes, not when a comment does."""
    return _hash_root(str(root or resource_root()))


@dataclass
class RuleSet:
    """Everything the pipeline reads from resources, validated."""

    axes: dict[str, Axis]
    lexicon: list[LexiconRule]
    senses: list[SenseRule]
    context: list[ContextRule]
    sections: list[SectionRule]
    scoring: dict[str, Any]
    agents: dict[str, list[str]]
    titles: dict[str, Any]
    digest: str
    clauses: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path | None = None) -> RuleSet:
        """Load and validate every resource file under ``root`` (default: the shipped ones)."""
        root = root or resource_root()
        return cls(axes=load_axes(root), lexicon=load_lexicon(root), senses=load_senses(root),
                   context=load_context_rules(root), sections=load_section_rules(root),
                   scoring=load_scoring(root), agents=load_agents(root), titles=load_titles(root),
                   digest=resources_hash(root), clauses=load_clauses(root))

    def summary(self) -> dict[str, Any]:
        """Counts per axis and pole, for ``leadlens lexicon show`` and ``run.json``."""
        counts: dict[str, dict[str, int]] = {a: {"L": 0, "M": 0} for a in self.axes}
        for r in self.lexicon:
            counts[r.axis][r.pole] += 1
        return {"rules": len(self.lexicon), "senses": len(self.senses), "context_rules": len(self.context),
                "section_rules": len(self.sections), "per_axis": counts, "hash": self.digest}


def rules_as_dicts(rules: Iterable[Any]) -> list[dict]:
    """Plain dicts of rules, for tables."""
    return [asdict(r) for r in rules]
