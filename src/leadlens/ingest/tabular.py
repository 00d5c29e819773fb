"""Exports with one posting per row: CSV/TSV, JSON Lines, JSON, and (through :mod:`.xlsx`) Excel.

Text files are decoded like any text (:func:`leadlens.ingest.text.decode`); a CSV whose header has
semicolons and no commas (Excel in many European locales) is read with ``;``. A ``.json`` file may hold a
list of objects, one object, or an object with one list of objects under a key (``{"jobs": [...]}``).
Column names given by the user match exactly, else case-insensitively (``description`` finds
``Description``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions
from .text import decode, read_limited

csv.field_size_limit(2**31 - 1)

PLACEHOLDERS = {"none", "null", "nan", "n/a", "na", "-"}  # exports write these for a missing text


def read_rows(path: Path, options: ReadOptions = DEFAULT_OPTIONS, kind: str | None = None,
              text_field: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a .csv/.tsv/.jsonl/.json/.xlsx file as dicts; ``kind`` (from :mod:`.sniff`) overrides the
    extension. A bad JSON Lines line is a row ``{"__error__": reason}``."""
    kind = kind or {".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
                    ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(path.suffix.lower(), "csv")
    if kind == "xlsx":
        from .xlsx import read_xlsx_rows

        yield from read_xlsx_rows(path, options, text_field)
        return
    text = decode(read_limited(path, options), str(path), options.encoding)
    if kind in ("csv", "tsv"):
        yield from _csv_rows(path, text, kind)
    elif kind == "jsonl":
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                yield {"__error__": f"line {n}: not valid JSON ({reason})", "__line__": n}
                continue
            yield obj if isinstance(obj, dict) else {"__error__": f"line {n}: not a JSON object", "__line__": n}
    else:  # .json: a list of objects, or one object, or one list of objects under a key
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(E.E011, file=str(path), reason=f"not valid JSON ({exc.msg}, line {exc.lineno})") \
                from exc
        except RecursionError as exc:
            raise InputError(E.E011, file=str(path), reason="not valid JSON (nested too deeply)") from exc
        for n, row in enumerate(_json_records(obj, text_field), start=1):
            yield row if isinstance(row, dict) else {"__error__": f"item {n}: not a JSON object"}


def _csv_rows(path: Path, text: str, kind: str) -> Iterator[dict[str, Any]]:
    first = text.split("\n", 1)[0]
    if kind == "tsv":
        dialect: Any = csv.excel_tab
    elif ";" in first and "," not in first:
        dialect = _Semicolon
    else:
        dialect = csv.excel
    try:
        yield from csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    except csv.Error as exc:
        raise InputError(E.E011, file=str(path), reason=f"bad CSV ({exc})") from exc


class _Semicolon(csv.excel):
    delimiter = ";"


def _json_records(obj: Any, text_field: str | None) -> list[Any]:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict) and (text_field is None or text_field not in obj):
        lists = [v for v in obj.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            return lists[0]
    return [obj]


def resolve_field(row: dict[str, Any], name: str | None) -> str | None:
    """The key of ``row`` that column ``name`` means: itself, else the one key equal to it ignoring case and
    surrounding blanks; None when there is none."""
    if name is None or name in row:
        return name
    want = name.strip().casefold()
    found = [k for k in row if isinstance(k, str) and k.strip().casefold() == want]
    return found[0] if len(found) == 1 else None


def check_field(path: Path, row: dict[str, Any], name: str) -> None:
    """Raise a clear error when a named column is missing."""
    if resolve_field(row, name) is None:
        raise InputError(E.E012, file=str(path), field=name,
                         columns=sorted(str(k) for k in row if k is not None and not str(k).startswith("__")))


def is_placeholder(text: str) -> bool:
    """True for the strings exports write for a missing value ("None", "NaN", "N/A")."""
    return text.strip().casefold() in PLACEHOLDERS
