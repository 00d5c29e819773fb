"""Reading postings from files and folders.

Every input file yields at least one :class:`Posting`; a file that cannot be read yields one posting whose
``error`` says why, so the batch goes on and every file is accounted for. Readers are chosen by extension:
``.txt``/``.md`` (one posting per file), ``.csv``/``.tsv`` and ``.jsonl``/``.json`` (one posting per row).
"""

from __future__ import annotations

from .discover import discover, iter_postings
from .posting import Posting

__all__ = ["Posting", "discover", "iter_postings"]
