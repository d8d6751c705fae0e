"""Tables written for people: CSV, JSON, Excel and Parquet, with spreadsheet formulas defused.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return) as a formula, so a
Party's text could run as one on the secretariat's machine; every text cell written to CSV or
Excel goes through the escaping helpers of `review.workbook.safe`, the one place that rule lives.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import polars as pl

from review.errors import ReviewError
from review.workbook.safe import set_cell, write_csv

FORMATS = ("csv", "json", "xlsx", "parquet")
HEADER_FILL = "1F4E79"
MAX_WIDTH = 60


def _plain(value: Any) -> Any:
    """A JSON/Excel-friendly value: lists joined, NaN as empty, dates as ISO text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def format_for(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ReviewError("analysis.bad_format", value=chosen, allowed=", ".join(FORMATS))
    return chosen


def csv_text(df: pl.DataFrame) -> str:
    """The table as CSV through the one safe writer (`safe.write_csv`)."""
    return write_csv([df.columns, *([_plain(v) for v in row] for row in df.iter_rows())])


def json_text(df: pl.DataFrame) -> str:
    rows = [{k: _plain(v) for k, v in row.items()} for row in df.iter_rows(named=True)]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def write_xlsx(df: pl.DataFrame, target, title: str = "Data", headers: dict[str, str] | None = None,
               number_format: str = "0.00") -> None:
    """One sheet: a styled, frozen header (`headers` maps column names to readable ones), columns
    sized to their content, scores as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = safe_sheet_title(title)
    names = [(headers or {}).get(c, c) for c in df.columns]
    for c, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=c)
        set_cell(cell, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, row in enumerate(df.iter_rows(), start=2):
        for c, value in enumerate(row, start=1):
            set_cell(ws.cell(row=r, column=c), _plain(value))
    floats = {i for i, dtype in enumerate(df.dtypes, start=1) if dtype.is_float()}
    for i, (column, name) in enumerate(zip(df.columns, names), start=1):
        letter = get_column_letter(i)
        longest = max([len(str(name))] + [len(str(_plain(v))) for v in df[column].head(500).to_list() if v is not None])
        ws.column_dimensions[letter].width = min(MAX_WIDTH, max(8, longest + 2))
        if i in floats:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(target)


def safe_sheet_title(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    cleaned = "".join(" " if ch in '[]:*?/\\' else ch for ch in title).strip() or "Data"
    return cleaned[:31]


def to_bytes(df: pl.DataFrame, fmt: str, title: str = "Data", headers: dict[str, str] | None = None) -> bytes:
    """The file's content in `fmt`, for a download button. Excel shows `headers` (readable column
    names); the other formats keep the column names, a stable contract for scripts."""
    chosen = format_for(Path(f"x.{fmt}"), fmt)
    if chosen == "csv":
        return csv_text(df).encode("utf-8-sig")
    if chosen == "json":
        return json_text(df).encode("utf-8")
    buffer = io.BytesIO()
    if chosen == "xlsx":
        write_xlsx(df, buffer, title, headers)
    else:
        df.write_parquet(buffer)
    return buffer.getvalue()


def write_table(df: pl.DataFrame, path: str | Path, fmt: str | None = None, title: str = "Data",
                headers: dict[str, str] | None = None) -> Path:
    """Write `df` to `path` in `fmt` (or the format its extension names)."""
    path = Path(path)
    chosen = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(df, chosen, title, headers))
    return path
