"""Walking inputs into postings: folders recursively, each file once, every file accounted for."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import E, InputError
from .posting import Posting
from .tabular import check_field, read_rows
from .text import read_text

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json")
SUPPORTED = TEXT_SUFFIXES + TABLE_SUFFIXES


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
                  id_field: str | None = "id") -> Iterator[Posting]:
    """Yield every posting of every input file, lazily; failures come as postings with ``error`` set."""
    used: set[str] = set()

    def unique(doc_id: str) -> str:
        base, k = doc_id, 2
        while doc_id in used:
            doc_id = f"{base}~{k}"
            k += 1
        used.add(doc_id)
        return doc_id

    for path, file_id in discover(paths):
        source = str(path)
        if not path.exists() and not path.is_symlink():
            yield Posting(unique(file_id), source, error=InputError(E.E015, path=source).args[0])
            continue
        suffix = path.suffix.lower()
        try:
            if not path.is_file():
                raise InputError(E.E011, file=source, reason="not a regular file (broken link?)")
            if suffix in TEXT_SUFFIXES:
                text, title = read_text(path)
                yield Posting(unique(file_id), source, text=text, title=title)
            elif suffix in TABLE_SUFFIXES:
                yield from _table_postings(path, file_id, text_field, title_field, id_field, unique)
            else:
                raise InputError(E.E013, file=source, suffix=suffix or "(none)", supported=", ".join(SUPPORTED))
        except InputError as exc:
            yield Posting(unique(file_id), source, error=str(exc))
        except Exception as exc:  # a reader bug must not end the batch
            yield Posting(unique(file_id), source, error=f"[E011] {source}: cannot read: {type(exc).__name__}: {exc}")


def _table_postings(path: Path, file_id: str, text_field: str, title_field: str | None, id_field: str | None,
                    unique) -> Iterator[Posting]:  # noqa: ANN001
    source = str(path)
    n = 0
    for n, row in enumerate(read_rows(path), start=1):
        if "__error__" in row:
            yield Posting(unique(f"{file_id}#{n}"), source, error=f"[E011] {source}: {row['__error__']}")
            continue
        if n == 1:
            check_field(path, row, text_field)
        rid = row.get(id_field) if id_field else None
        doc_id = unique(f"{file_id}#{rid}" if rid not in (None, "") else f"{file_id}#{n}")
        text = row.get(text_field)
        title = row.get(title_field) if title_field else None
        meta = {k: v for k, v in row.items() if k not in (text_field, title_field, id_field)
                and isinstance(v, (str, int, float, bool)) and v is not None}
        if not isinstance(text, str) or not text.strip():
            yield Posting(doc_id, source, title=str(title) if title else None, meta=meta,
                          error=f"[E014] {source}: row {n}: the field {text_field!r} is empty.")
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        yield Posting(doc_id, source, text=text, title=str(title).strip() if title else None, meta=meta)
    if n == 0:
        raise InputError(E.E014, file=source)
