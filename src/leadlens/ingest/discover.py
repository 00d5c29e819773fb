"""Walking inputs into postings: folders recursively, each file once, every file accounted for.

Each file is checked before any parser sees it (a regular file? within ``max_bytes``? empty?), then its
reader is chosen by content as well as name (:func:`leadlens.ingest.sniff.choose_reader`). A file that
cannot be read becomes one posting whose ``error`` holds a coded message naming the file and the cause;
a reader that fails half-way through a table keeps the rows it read and adds an error row.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions, human_size
from .posting import Posting
from .sniff import SUPPORTED, choose_reader
from .tabular import check_field, is_placeholder, read_rows, resolve_field
from .text import clean_title, normalise_text, title_from_text

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".xlsx")
TABLE_KINDS = ("csv", "tsv", "jsonl", "json", "xlsx")
HEAD_BYTES = 8192

__all__ = ["SUPPORTED", "discover", "iter_postings", "read_document"]


def discover(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Yield (file, id) for every file under ``paths``, sorted, each real file once.

    Folders are walked recursively without following symbolic links to folders (no loops); hidden files
    and folders (names starting with ".") are left out. The id is the path relative to the folder given, or
    the file name for a file given directly. A path that does not exist is yielded too, so that it is
    reported as an error row.
    """
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if not f.startswith(".")]
            for f in sorted(found):
                real = os.path.realpath(f)
                if real in seen:
                    continue
                seen.add(real)
                yield f, f.relative_to(path).as_posix()
        else:
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            yield path, path.name


def iter_postings(paths: Iterable[str | Path], text_field: str = "text", title_field: str | None = "title",
                  id_field: str | None = "id", options: ReadOptions | None = None) -> Iterator[Posting]:
    """Yield every posting of every input file, lazily; failures come as postings with ``error`` set.

    Args:
        paths: Files and folders (walked recursively).
        text_field, title_field, id_field: Columns of CSV/TSV/JSON/JSONL/XLSX inputs.
        options: Limits and choices (:class:`ReadOptions`); the defaults when None.
    """
    options = options or DEFAULT_OPTIONS
    used: set[str] = set()

    def unique(doc_id: str) -> str:
        base, k = doc_id, 2
        while doc_id in used:
            doc_id = f"{base}~{k}"
            k += 1
        used.add(doc_id)
        return doc_id

    readers = _Readers(options)
    try:
        for path, file_id in discover(paths):
            yield from _file_postings(path, file_id, (text_field, title_field, id_field), readers, unique)
    finally:
        readers.close()


def read_document(path: str | Path, options: ReadOptions | None = None) -> tuple[str, str | None]:
    """(text, title) of one single-posting file (.txt, .md, .html, .docx, .pdf); raises :class:`InputError`
    with a coded message when it cannot be read, or is a table."""
    path = Path(path)
    readers = _Readers(options or DEFAULT_OPTIONS)
    try:
        kind = _check(path, readers.options)
        if kind in TABLE_KINDS:
            raise InputError(E.E023, file=str(path), expected="one posting", actual="a table of postings",
                             advice="Score it with `leadlens score` and --text-field.")
        return readers.read(path, kind)
    finally:
        readers.close()


class _Readers:
    """The single-document readers, sharing one PDF worker process for the batch."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self._pdf = None

    def read(self, path: Path, kind: str) -> tuple[str, str | None]:
        if kind in ("text", "markdown"):
            from .text import read_text

            return read_text(path, self.options)
        if kind == "html":
            from .html import read_html

            return read_html(path, self.options)
        if kind == "docx":
            from .docx import read_docx

            return read_docx(path, self.options)
        if kind == "pdf":
            from .pdf import PdfWorker, read_pdf

            if self._pdf is None:
                self._pdf = PdfWorker(self.options)
            return read_pdf(path, self.options, self._pdf)
        raise AssertionError(kind)  # pragma: no cover

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _check(path: Path, options: ReadOptions) -> str:
    """Checks every file passes before a parser sees it; returns the reader kind."""
    source = str(path)
    if not path.exists() and not path.is_symlink():
        raise InputError(E.E015, path=source)
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(E.E011, file=source, reason="a symbolic link that loops back on itself") from exc
        if exc.errno == errno.ENOENT:
            raise InputError(E.E011, file=source, reason="a symbolic link to nothing (broken link)") from exc
        raise InputError(E.E011, file=source, reason=exc.strerror or str(exc)) from exc
    if not path.is_file():
        raise InputError(E.E011, file=source, reason="not a regular file (a device, pipe or socket)")
    if st.st_size > options.max_bytes:
        raise InputError(E.E017, file=source, size=human_size(st.st_size), limit=human_size(options.max_bytes))
    if st.st_size == 0:
        raise InputError(E.E014, file=source)
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(E.E011, file=source, reason=exc.strerror or str(exc)) from exc
    return choose_reader(path, head)


def _file_postings(path: Path, file_id: str, fields: tuple[str, str | None, str | None], readers: _Readers,
                   unique: Callable[[str], str]) -> Iterator[Posting]:
    source = str(path)
    try:
        kind = _check(path, readers.options)
        if kind in TABLE_KINDS:
            yield from _table_postings(path, file_id, kind, fields, readers.options, unique)
        else:
            text, title = readers.read(path, kind)
            yield Posting(unique(file_id), source, text=text, title=title)
    except InputError as exc:
        yield Posting(unique(file_id), source, error=str(exc))
    except RecursionError:
        yield Posting(unique(file_id), source,
                      error=E.E025.format(file=source, kind="file", reason="it nests too deeply to read"))
    except MemoryError:
        yield Posting(unique(file_id), source,
                      error=E.E011.format(file=source, reason="not enough memory to read it; split the file"))
    except Exception as exc:  # a reader bug must not end the batch
        yield Posting(unique(file_id), source,
                      error=E.E011.format(file=source, reason=f"unexpected {type(exc).__name__}: {exc} "
                                                             "(please report this as a leadlens bug)"))


def _table_postings(path: Path, file_id: str, kind: str, fields: tuple[str, str | None, str | None],
                    options: ReadOptions, unique: Callable[[str], str]) -> Iterator[Posting]:
    text_field, title_field, id_field = fields
    source = str(path)
    n = 0
    checked = False
    for n, row in enumerate(read_rows(path, options, kind, text_field), start=1):
        if "__error__" in row:
            yield Posting(unique(f"{file_id}#{n}"), source, error=f"[E011] {source}: {row['__error__']}")
            continue
        if not checked:
            check_field(path, row, text_field)
            checked = True
        text_key, title_key, id_key = (resolve_field(row, f) for f in (text_field, title_field, id_field))
        rid = row.get(id_key) if id_key else None
        rid = clean_title(rid) if rid is not None else None
        doc_id = unique(f"{file_id}#{rid}" if rid else f"{file_id}#{n}")
        text = row.get(text_key) if text_key else None
        title = clean_title(row.get(title_key)) if title_key else None
        meta = {str(k): v for k, v in row.items() if k not in (text_key, title_key, id_key) and k is not None
                and isinstance(v, (str, int, float, bool)) and not str(k).startswith("__")}
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str) or not text.strip() or is_placeholder(text):
            shown = f" (it holds {text.strip()!r})" if isinstance(text, str) and text.strip() else ""
            yield Posting(doc_id, source, title=title, meta=meta,
                          error=f"[E014] {source}: row {n}: the field {text_field!r} is empty{shown}.")
            continue
        text = normalise_text(text)
        yield Posting(doc_id, source, text=text, title=title or _row_title(text), meta=meta)
    if n == 0:
        raise InputError(E.E014, file=source)


def _row_title(text: str) -> str | None:
    """A row without a title field: a "Job title:" line or a short first line, never a whole paragraph."""
    title = title_from_text(text)
    if title and "\n" in text.strip() and len(title) <= 120:
        return title
    return None
