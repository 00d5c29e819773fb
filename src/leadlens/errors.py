"""Coded error messages, kept in one place (after spaCy's ``errors.py``).

Every message names the file or field at fault and says what to do. Tests assert on the code.
"""

from __future__ import annotations

from enum import Enum


class E(str, Enum):
    """Error codes with their message templates."""

    E001 = "{file}:{line}: not valid JSON ({reason}). Fix the line or remove it."
    E002 = "{file}:{line}: unknown key(s) {keys}. Allowed keys: {allowed}."
    E003 = "{file}:{line}: missing required key(s) {keys}."
    E004 = "{file}:{line}: {field} must be one of {allowed}, got {value!r}."
    E005 = "{file}:{line}: rule id {rule_id!r} is used twice (first at line {first})."
    E006 = "{file}:{line}: bad spaCy pattern for rule {rule_id!r}: {reason}"
    E007 = "{file}:{line}: rule id {rule_id!r} must start with a theme of its axis and pole ({themes})."
    E008 = "{file}:{line}: {field} must be {expected}, got {value!r}."
    E009 = "{file}:{line}: bad regular expression {pattern!r}: {reason}"
    E010 = "Could not load the spaCy pipeline {name!r}: {reason}. Install it (pip install {package}) or pass " \
           "--model / set LEADLENS_MODEL to an installed pipeline."
    E011 = "{file}: cannot read: {reason}"
    E012 = "{file}: column {field!r} not found; columns are {columns}. Use --text-field/--title-field/--id-field."
    E013 = "{file}: unsupported file type {suffix!r}; leadlens reads {supported}."
    E014 = "{file}: the text is empty."
    E015 = "{path}: no such file or folder."
    E016 = "{file}:{line}: {reason}"

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        """Return ``[Ennn] message`` with the fields filled in."""
        return f"[{self.name}] " + self.value.format(**kwargs)


class LeadlensError(Exception):
    """Base class for errors leadlens raises on purpose. ``code`` holds the error code."""

    def __init__(self, code: E, **kwargs: object) -> None:
        self.code = code.name
        self.fields = kwargs
        super().__init__(code.format(**kwargs))


class ResourceError(LeadlensError):
    """A resource file (lexicon, senses, context, sections, titles) is invalid."""


class InputError(LeadlensError):
    """An input file cannot be read as a posting."""
