"""Reading postings from files and folders.

Every input file yields at least one :class:`Posting`; a file that cannot be read yields one posting whose
``error`` holds a coded message (see :mod:`leadlens.errors`, E011-E026) naming the file and the cause, so
the batch goes on and every file is accounted for. Readers, one module per format, are chosen by content
as well as extension (:mod:`.sniff`):

* ``.txt``/``.md`` (:mod:`.text`), ``.html``/``.htm`` (:mod:`.html`), ``.docx`` (:mod:`.docx`) and
  ``.pdf`` (:mod:`.pdf`): one posting per file;
* ``.csv``/``.tsv``, ``.jsonl``/``.json`` (:mod:`.tabular`) and ``.xlsx`` (:mod:`.xlsx`): one posting per
  row, other columns in ``meta``.

Limits (file size, unpacked size of Word/Excel files, PDF time and memory) are set by
:class:`ReadOptions`.
"""

from __future__ import annotations

from .discover import discover, iter_postings, read_document
from .options import ReadOptions
from .posting import Posting

__all__ = ["Posting", "ReadOptions", "discover", "iter_postings", "read_document"]
