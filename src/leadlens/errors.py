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
    # Reading input files (leadlens.ingest): each names the file, the cause and what to do.
    E017 = "{file}: the file is {size}, over the {limit} limit. Split it into smaller files, or raise the " \
           "limit (--max-file-mb) if you trust it."
    E018 = "{file}: the {kind} would unpack to {size}, over the {limit} limit ({detail}); it may be a zip " \
           "bomb. Raise --max-inflated-mb only if you trust the file."
    E019 = "{file}: refused unsafe XML in {part} ({reason}); leadlens never reads DTDs or entities, so " \
           "nothing outside the file is read. Open the file in Word or Excel and save it again."
    E020 = "{file}: reading stopped after {seconds:g} s (the {kind} may be damaged or unusually complex). " \
           "Re-save or print it to a new PDF, or raise --read-timeout."
    E021 = "{file}: the {kind} is encrypted (password-protected). Remove the password (open it and save " \
           "or print a copy without one) and try again."
    E022 = "{file}: no text layer: scanned PDF? None of its {pages} page(s) has text to read. Run OCR on it " \
           "(for example ocrmypdf) or use the original Word document."
    E023 = "{file}: the name says {expected} but the content is {actual}. {advice}"
    E024 = "{file}: not text in any known encoding ({reason}). Save it as UTF-8 text, or pass its " \
           "encoding with --encoding."
    E025 = "{file}: the {kind} is damaged and cannot be read ({reason}). Open it in the program that made " \
           "it and save it again."
    E026 = "{file}: reading the {kind} needed more than {limit} of memory and was stopped. Split or " \
           "re-save the file, or raise --pdf-memory-mb."

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
