"""Exports that cannot hurt their readers: values a spreadsheet would run as a formula are escaped.

A text starting with `= + - @`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets when a CSV is opened or a cell is edited ("CSV injection"); so is one where spaces
come first, or where the sign is its full-width form (`＝ ＋ － ＠`), which spreadsheets in East
Asian locales accept. In CSV the value gets a leading apostrophe (the convention spreadsheets
understand as "this is text"); in XLSX the cell is written as a string with Excel's own
quote-prefix flag, so the text reads back unchanged. And every text field of a CSV is quoted, so
a spreadsheet that splits on `,` keeps `x;=1+1;y` in one cell. Quotes protect a field only from a
reader splitting on the file's own separator: one splitting on `;` (the usual separator in many
locales) reads `"KEN","x;=1+1;y"` as `"KEN","x` / `=1+1` / `y"`, so in CSV a formula sign after a
separator or line break inside a text gets its apostrophe too (`x;'=1+1;y`). Every spreadsheet or
CSV the platform writes goes through these helpers.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CONTROL_STARTS = ("\t", "\r", "\n")
# what a spreadsheet skips before it looks for a formula sign
_LEADING = " \u00a0\u3000\t\r\n"
# a formula sign after a separator a spreadsheet may split on (and optional spaces): in CSV only
_INNER_FORMULA = re.compile("([,;\t\r\n][ \u00a0\u3000]*)([=+\\-@\uff1d\uff0b\uff0d\uff20])")
# Characters XML 1.0 cannot carry (openpyxl refuses them): written as Excel's `_xHHHH_` escapes,
# which Excel, LibreOffice and calamine read back as the character. A text that holds such an escape
# literally (`_x0041_`) gets its underscore escaped (`_x005F_x0041_`), else it would read back as "A".
# XlsxWriter does both itself (the questionnaire workbooks); openpyxl does neither.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def needs_escape(value: Any) -> bool:
    """Whether a spreadsheet would treat this value as a formula."""
    if not isinstance(value, str):
        return False
    return value.startswith(CONTROL_STARTS) or value.lstrip(_LEADING).startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """The value as a CSV cell that opens as text, however the reader splits it: a leading
    apostrophe when it looks like a formula, and one after each separator or line break inside it
    that a formula sign follows."""
    if not isinstance(value, str):
        return value
    value = _INNER_FORMULA.sub(r"\1'\2", value)
    return f"'{value}" if needs_escape(value) else value


def write_csv(rows: Iterable[Iterable[Any]]) -> str:
    """CSV text of `rows` with every cell escaped and every text field quoted (numbers are not)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow(["" if v is None else csv_value(v) for v in row])
    return out.getvalue()


def xlsx_text(value: str) -> str:
    """The text as an openpyxl cell must hold it for a spreadsheet to read back exactly `value`."""
    value = _LITERAL_ESCAPE.sub("_x005F_", value)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", value)


def set_cell(cell, value: Any) -> None:
    """Put a value in an openpyxl cell so that no text is ever stored as a formula, and every
    text reads back as typed."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
        if needs_escape(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def write_xlsx(rows: Iterable[Iterable[Any]], sheet_title: str = "Data") -> bytes:
    """A one-sheet XLSX of `rows` (first row the header), every text cell safe."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            set_cell(sheet.cell(row=r, column=c), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
