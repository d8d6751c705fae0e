"""Tables as a reader sees them: an empty cell is blank (the grid's default is the word "None") and
a date has no "00:00:00" after it, written as the user's language writes dates. Every table and editable table of the app goes through here; the
downloads keep the library's values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st

from review import formats

EMPTY = ""


def _plain(value: Any, lang: str) -> Any:
    """A date or moment as the user's language writes it; a moment at midnight is a date."""
    if isinstance(value, dt.datetime):
        return formats.date(value, lang) if value.time() == dt.time(0) else formats.datetime(value, lang)
    if isinstance(value, dt.date):
        return formats.date(value, lang)
    return value


def readable(frame: pl.DataFrame | pd.DataFrame, lang: str) -> pl.DataFrame | pd.DataFrame:
    """The frame to draw: dates and moments as text in the user's language (`review.formats`), a
    moment at midnight as a date (the grid would show a date as "2026-12-03 00:00:00")."""
    if isinstance(frame, pl.DataFrame):
        changed = [formats.column(frame[name], lambda v: _plain(v, lang))
                   for name, dtype in frame.schema.items() if dtype == pl.Date or isinstance(dtype, pl.Datetime)]
        return frame.with_columns(changed) if changed else frame
    shown = frame.copy()
    for name in shown.columns:
        column = shown[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            shown[name] = [None if pd.isna(v) else _plain(v.to_pydatetime(), lang) for v in column]
        elif column.dtype == object:
            shown[name] = column.map(lambda v: _plain(v, lang))
    return shown


def show_table(frame: pl.DataFrame | pd.DataFrame, **options) -> None:
    """`st.dataframe` of `frame` as a reader should see it (see `readable`), empty cells blank."""
    from app.context import lang

    st.dataframe(readable(frame, lang()), placeholder=EMPTY, **options)
