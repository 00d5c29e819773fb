"""CSV and JSON Lines exports: one posting per row, fields named by the user."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import E, InputError
from .text import decode

csv.field_size_limit(50 * 1024 * 1024)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a .csv/.tsv/.jsonl/.json file as dicts."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(E.E011, file=str(path), reason=exc.strerror or str(exc)) from exc
    text = decode(data, str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        try:
            dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
            yield from csv.DictReader(io.StringIO(text), dialect=dialect)
        except csv.Error as exc:
            raise InputError(E.E011, file=str(path), reason=f"bad CSV ({exc})") from exc
    elif suffix == ".jsonl":
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield {"__error__": f"line {n}: not valid JSON ({exc.msg})", "__line__": n}
                continue
            yield obj if isinstance(obj, dict) else {"__error__": f"line {n}: not a JSON object", "__line__": n}
    else:  # .json: a list of objects, or one object
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(E.E011, file=str(path), reason=f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
        rows = obj if isinstance(obj, list) else [obj]
        for row in rows:
            yield row if isinstance(row, dict) else {"__error__": "not a JSON object"}


def check_field(path: Path, row: dict[str, Any], name: str) -> None:
    """Raise a clear error when a named column is missing."""
    if name not in row:
        raise InputError(E.E012, file=str(path), field=name, columns=sorted(k for k in row if not k.startswith("__")))
