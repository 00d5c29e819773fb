"""Coded messages of the sentence model (in the manner of :mod:`leadlens.errors`; to be merged there).

Every message names the file or folder at fault and says what to do. Tests assert on the code.
"""

from __future__ import annotations

from enum import Enum


class M(str, Enum):
    """Model error and warning codes with their message templates."""

    M001 = "{path}: not a leadlens sentence model (needs {model_file} and {meta_file}). Train one with " \
           "`leadlens train`, point to the right folder, or score with --rules-only."
    M002 = "{file}: unreadable or incomplete ({reason}). Retrain the model with `leadlens train`."
    M003 = "{file}: the model was trained on features version {got!r}; this leadlens computes version " \
           "{expected!r}. Retrain the model with `leadlens train`."
    M004 = "{path}: the model was trained with rules {trained}…, the current rules are {current}…: its features " \
           "came from other rule output, so its overrules may be wrong. Retrain it (`leadlens train`) or score " \
           "with --rules-only."
    M005 = "no sentence model found (looked in {places}): scoring with the rules alone. Point to one with " \
           "--sentence-model or $LEADLENS_SENTENCE_MODEL, or pass --rules-only to silence this."

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        """Return ``[Mnnn] message`` with the fields filled in."""
        return f"[{self.name}] " + self.value.format(**kwargs)


class ModelRulesWarning(UserWarning):
    """The model was trained on other rules than those in use (code M004)."""

    code = "M004"


class ModelMissingWarning(UserWarning):
    """No sentence model was found where the default one should be; scoring falls back to the rules (M005)."""

    code = "M005"
