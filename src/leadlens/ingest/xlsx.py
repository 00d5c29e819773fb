"""Excel workbooks (.xlsx, .xlsm) exported from recruitment systems: one posting per row.

The package is checked first (:func:`leadlens.ingest.archive.check_package`), then read with openpyxl in
read-only mode (rows stream from the sheet's XML; openpyxl itself parses through defusedxml when it is
installed, as it is with leadlens) with cached values of formulas, never the formulas themselves.

The sheet read is the first whose header row names the text field, else the first sheet with data. The
header is the first non-empty row; blank or repeated column names get ``column<N>`` / ``name~2``. Dates
become ISO 8601 strings.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError

from ..errors import E, InputError
from .archive import check_package
from .options import DEFAULT_OPTIONS, ReadOptions
from .text import normalise_text

KIND = "Excel workbook"
_BROKEN = (ParseError, XMLSyntaxError, KeyError, ValueError, TypeError, AttributeError, IndexError,
           zipfile.BadZipFile, EOFError)


def read_xlsx_rows(path: Path, options: ReadOptions = DEFAULT_OPTIONS,
                   text_field: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of the posting sheet of a workbook as dicts keyed by the header row."""
    check_package(path, KIND, options)
    wb, fh = _open(path)
    try:
        header: list[str] | None = None
        rows: Iterator[tuple] | None = None
        while True:
            try:
                rows = rows or _sheet_rows(wb, text_field)
                values = next(rows)
            except StopIteration:
                break
            except _BROKEN as exc:
                raise InputError(E.E025, file=str(path), kind=KIND, reason=f"{type(exc).__name__}: {exc}") from exc
            if not any(_present(v) for v in values):
                continue
            if header is None:
                header = make_header(values)
                continue
            yield {name: _value(v) for name, v in zip(header, list(values) + [None] * (len(header) - len(values)))}
    finally:
        wb.close()
        fh.close()


def _open(path: Path):  # noqa: ANN202 - an openpyxl Workbook
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object, not the name: openpyxl refuses names without an Excel extension (a renamed export).
    fh = path.open("rb")
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN) as exc:
        fh.close()
        raise InputError(E.E025, file=str(path), kind=KIND, reason=f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        fh.close()
        raise
    return wb, fh


def _sheet_rows(wb, text_field: str | None) -> Iterator[tuple]:  # noqa: ANN001
    first: Iterator[tuple] | None = None
    for ws in wb.worksheets:
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            continue
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # exporters often write a wrong <dimension>; read what is there
        rows = ws.iter_rows(values_only=True)
        head: list[tuple] = []
        for values in rows:
            head.append(values)
            if any(_present(v) for v in values):
                break
        if not head or not any(_present(v) for v in head[-1]):
            continue
        names = {str(v).strip().casefold() for v in head[-1] if _present(v)}
        chained = _chain(head, rows)
        if text_field is None or text_field.strip().casefold() in names:
            return chained
        first = first or chained
    return first or iter(())


def _chain(head: list[tuple], rest: Iterator[tuple]) -> Iterator[tuple]:
    yield from head
    yield from rest


def make_header(values: tuple | list) -> list[str]:
    """Column names from a header row: blanks become ``column<N>``, repeats get ``~2``, ``~3``..."""
    names: list[str] = []
    seen: set[str] = set()
    for j, v in enumerate(values, start=1):
        name = " ".join(normalise_text(str(v)).split()) if _present(v) else f"column{j}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base}~{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()  # Excel has no date-only type: a midnight is a date
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, str):
        return normalise_text(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v
