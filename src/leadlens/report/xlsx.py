"""``summary.xlsx``: documents, axes and matches sheets for people who live in spreadsheets.

Written with XlsxWriter in constant-memory mode: rows stream to disk, and it is about twice as fast as
openpyxl's write-only mode (a 15,000-advert run takes seconds, not a minute). Every sheet has a
bold, frozen header row and an autofilter. Text cells are made safe twice over: XlsxWriter is told never to
turn a string into a formula, URL or number, and a cell starting with ``= + - @``, tab or CR also gets a
leading apostrophe (as in the CSVs), so the text stays inert when it is copied elsewhere. Control characters
that XML cannot hold are dropped and cells are cut to Excel's 32,767 characters. The matches sheet holds at
most :data:`MATCHES_CAP` rows (the full table is ``matches.csv``); a last row says so when it is cut.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from .tables import neutralise_cell

MAX_ROWS = 1_048_576
MAX_CELL = 32_767
MATCHES_CAP = 50_000
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_value(value: Any) -> Any:
    """A cell value that is data, never a formula: None for missing, numbers as numbers, text neutralised."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    text = _ILLEGAL.sub("", str(value))
    return neutralise_cell(text)[:MAX_CELL]


def _cells(col: pd.Series) -> list[Any]:
    """One column as safe cell values, converted column-wise (much faster than cell by cell)."""
    if pd.api.types.is_bool_dtype(col):
        return col.astype(bool).tolist()
    if pd.api.types.is_numeric_dtype(col):
        return [None if v != v or v in (math.inf, -math.inf) else v for v in col.astype(float).tolist()]
    return [safe_value(v) for v in col.tolist()]


def _width(series: pd.Series, name: str) -> float:
    sample = [len(str(v)) for v in series.head(200) if v is not None]
    return float(min(max([len(str(name))] + sample) + 2, 60))


def add_sheet(wb: xlsxwriter.Workbook, title: str, df: pd.DataFrame, cap: int = MAX_ROWS - 2) -> None:
    """Append ``df`` as a sheet with a frozen, filtered, bold header; at most ``cap`` data rows."""
    ws = wb.add_worksheet(title[:31])
    header_fmt = wb.add_format({"bold": True, "bg_color": "#E8ECF1", "bottom": 1})
    body = df.head(cap)
    ncols = max(len(df.columns), 1)
    for k, col in enumerate(df.columns):
        ws.set_column(k, k, _width(body[col], str(col)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(body), 1), ncols - 1)
    for k, col in enumerate(df.columns):
        ws.write_string(0, k, str(safe_value(str(col))), header_fmt)
    for r, row in enumerate(zip(*(_cells(body[c]) for c in body.columns)), start=1):
        ws.write_row(r, 0, row)
    if len(df) > len(body):
        ws.write_string(len(body) + 1, 0, f"(cut: {len(df) - len(body)} more rows are in the CSV file)")


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], caps: dict[str, int] | None = None) -> Path:
    """Write ``sheets`` (name -> DataFrame, in order) to ``path`` through a temporary file and a rename;
    ``caps`` limits the rows of named sheets."""
    caps = caps or {}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False,
                                       "strings_to_urls": False, "strings_to_numbers": False,
                                       "tmpdir": str(path.parent)})
        for name, df in sheets.items():
            add_sheet(wb, name, df, min(caps.get(name, MAX_ROWS - 2), MAX_ROWS - 2))
        wb.close()
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
