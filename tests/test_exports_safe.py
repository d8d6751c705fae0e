"""Every CSV and XLSX the platform writes is safe to open: separators quoted, formulas neutralised,
whatever the spreadsheet's locale (`;` as separator, full-width signs, spaces first)."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from openpyxl import load_workbook

from review import export
from review.workbook.safe import csv_value, needs_escape, write_csv, write_xlsx

HOSTILE = ["x;=1+1;y", "  =1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1", "\t=1", "\n=1",
           "=HYPERLINK(\"http://x\")", "a,b", 'say "hi"', "line\nbreak"]


@pytest.mark.parametrize("text", ["  =1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1", "\t=1",
                                  "\n=1", " @x", "\u00a0-2"])
def test_formula_triggers_after_whitespace_or_in_full_width_are_neutralised(text):
    assert needs_escape(text) and csv_value(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "x = 1", "1+1", "Law no. 12/2020 - art. 3"])
def test_ordinary_text_is_left_alone(text):
    assert not needs_escape(text) and csv_value(text) == text


def test_text_fields_holding_a_separator_quote_or_line_break_are_quoted():
    """`x;=1+1;y` was written bare, and a spreadsheet splitting on `;` made `=1+1` a cell of its own."""
    text = write_csv([["party", "note", "count"], ["KEN", "x;=1+1;y", 3], ["FRA", 'say "hi"\nthen, go', 4]])
    assert text.splitlines()[1] == '"KEN","x;=1+1;y",3'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [["KEN", "x;=1+1;y", "3"], ["FRA", 'say "hi"\nthen, go', "4"]]


def test_the_analysis_csv_goes_through_the_same_writer():
    df = pl.DataFrame({"party": ["KEN", "FRA"], "note": HOSTILE[:2], "score": [0.5, None]})
    text = export.csv_text(df)
    assert text.splitlines()[1] == '"KEN","x;=1+1;y",0.5'
    assert text.splitlines()[2] == '"FRA","\'  =1+1",""'


def test_every_xlsx_writer_stores_hostile_text_as_quote_prefixed_text():
    df = pl.DataFrame({"note": HOSTILE})
    books = {"export": io.BytesIO(export.to_bytes(df, "xlsx")), "safe": io.BytesIO(write_xlsx([["note"], *[[h] for h in HOSTILE]]))}
    for name, data in books.items():
        sheet = load_workbook(data).active
        for r, text in enumerate(HOSTILE, start=2):
            cell = sheet.cell(row=r, column=1)
            assert cell.data_type == "s", (name, text)
            assert cell.value == text.replace("\r", "") or cell.value == text, (name, text)
            assert bool(cell.quotePrefix) == needs_escape(text), (name, text)
