"""Tables as a reader sees them: an empty cell is blank (the grid's default is the word "None") and
a date has no "00:00:00" after it. Every table and editable table of the app goes through here; the
downloads keep the library's values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st

EMPTY = ""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time(0) else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def readable(frame: pl.DataFrame | pd.DataFrame) -> pl.DataFrame | pd.DataFrame:
    """The frame to draw: dates as ISO text, a date-and-time column whose times are all midnight as
    dates, others to the minute (the grid shows a date with "00:00:00", a time with seconds)."""
    if isinstance(frame, pl.DataFrame):
        changed = []
        for name, dtype in frame.schema.items():
            if isinstance(dtype, pl.Datetime):
                times = frame[name].drop_nulls()
                midnight = times.is_empty() or bool((times.dt.time() == dt.time(0)).all())
                changed.append(pl.col(name).dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M"))
            elif dtype == pl.Date:
                # as text (ISO dates sort as dates): the grid gets a date as a time stamp, and adds 00:00:00
                changed.append(pl.col(name).dt.strftime("%Y-%m-%d"))
            elif dtype == pl.Object:
                changed.append(pl.col(name).map_elements(_plain, return_dtype=pl.Object))
        return frame.with_columns(changed) if changed else frame
    shown = frame.copy()
    for name in shown.columns:
        column = shown[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            times = column.dropna()
            midnight = bool(((times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)).all())
            shown[name] = column.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M").where(column.notna(), None)
        elif column.dtype == object:
            shown[name] = column.map(_plain)
    return shown


def show_table(frame: pl.DataFrame | pd.DataFrame, **options) -> None:
    """`st.dataframe` of `frame` as a reader should see it (see `readable`), empty cells blank."""
    st.dataframe(readable(frame), placeholder=EMPTY, **options)
