"""One figure on a dashboard: the chart, the table behind it, and CSV / Excel / PNG downloads.

Downloads are built only when clicked (Streamlit calls the function then), so a rerun never pays
for rendering a PNG or writing a workbook nobody asked for.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from review import charts
from app.context import lang, tr
from app.tables import show_table
from review import export, formats


def figure(chart: charts.Chart | None, table: pl.DataFrame, name: str, key: str, *, selectable: bool = False):
    """Draw `chart`, then its table (in an expander) and the downloads; returns the chart's
    selection event when `selectable`, so the page can show the answers behind a clicked mark."""
    event = None
    if chart is not None:
        chart = localized(chart)
        if isinstance(chart, dict) and selectable:
            event = st.vega_lite_chart(chart, width="stretch", on_select="rerun", selection_mode=None, key=f"{key}_chart")
        elif isinstance(chart, dict):
            st.vega_lite_chart(chart, width="stretch")
        elif selectable:
            event = st.altair_chart(chart, width="stretch", on_select="rerun", selection_mode=None, key=f"{key}_chart")
        else:
            st.altair_chart(chart, width="stretch")
    with st.expander(tr("dash.table_behind")):
        show_table(readable(table), hide_index=True)
    downloads(table, name, key, chart)
    return event


def localized(chart: charts.Chart) -> charts.Chart:
    """The chart writing its numbers (axes, tooltips) as the user's language does, like the page
    (Vega's number locale from `review.formats`); the PNG download is the same chart."""
    return charts.localized(chart, lang())


def readable(table: pl.DataFrame, digits: int = 2) -> pl.DataFrame:
    """The table as the page shows it: decimals, dates and moments written as the user's language
    writes them (`review.formats`); whole numbers (counts, years) stay numbers. Downloads keep the
    raw values, for spreadsheets to compute with."""
    language = lang()
    changes = []
    for name, dtype in table.schema.items():
        if dtype.is_float():
            changes.append(formats.column(table[name], lambda v: formats.number(v, language, digits)))
        elif dtype == pl.Date:
            changes.append(formats.column(table[name], lambda v: formats.date(v, language)))
        elif isinstance(dtype, pl.Datetime):
            changes.append(formats.column(table[name], lambda v: formats.datetime(v, language)))
    return table.with_columns(changes) if changes else table


def file_bytes(table: pl.DataFrame, fmt: str, title: str) -> bytes:
    """The table written by the library's exporter (labels kept, formulas escaped), as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        return export.write_table(table, Path(tmp) / f"table.{fmt}", fmt, title=title).read_bytes()


def downloads(table: pl.DataFrame, name: str, key: str, chart: charts.Chart | None = None) -> None:
    """CSV and Excel of the table (labels, formula-escaped), PNG of the chart."""
    # as wide as their labels, side by side (narrow columns cut a longer label off)
    cols = [st.container(horizontal=True)] * 3
    cols[0].download_button(
        tr("dash.download_csv"), data=lambda: file_bytes(table, "csv", name), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    cols[1].download_button(
        tr("dash.download_xlsx"), data=lambda: file_bytes(table, "xlsx", name), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
        on_click="ignore", icon=":material/download:",
    )
    if chart is not None:
        cols[2].download_button(
            tr("dash.download_png"), data=lambda: charts.png(chart), file_name=f"{name}.png", mime="image/png",
            key=f"{key}_png", on_click="ignore", icon=":material/image:",
        )


def selected(event, name: str) -> list[dict]:
    """The data of the marks the user clicked in selection `name` (empty when none)."""
    if not event:
        return []
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    return list(selection.get(name, []) or [])


def labelled(table: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """The named columns only, headed in the user's language (`columns`: column -> message key)."""
    return table.select([pl.col(c).alias(tr(key)) for c, key in columns.items() if c in table.columns])


def rounded(table: pl.DataFrame, digits: int = 2) -> pl.DataFrame:
    """Scores and rates rounded for reading (the library keeps full precision)."""
    return table.with_columns(pl.col(pl.Float64).round(digits))


TRACE_COLUMNS = {
    "party_name": "dash.party", "region_name": "dash.region", "ref": "dash.provision",
    "obligation_label": "dash.obligation", "status_label": "dash.status", "score": "dash.score",
    "counted": "dash.counted", "legislation_count": "dash.legislation", "origin": "dash.origin",
}


def trace_table(rows: pl.DataFrame, key: str) -> None:
    """The answers a figure comes from (one row per Party x provision), with downloads."""
    shown = rows.with_columns(
        pl.col("counted").replace_strict({c: tr(f"dash.counted_{c}") for c in ("scored", "not_applicable", "by_choice", "unknown")},
                                         default=pl.col("counted"), return_dtype=pl.String),
        pl.col("origin").replace_strict({o: tr(f"dash.origin_{o}") for o in ("current", "published")},
                                        default=pl.col("origin"), return_dtype=pl.String),
    )
    table = labelled(shown, TRACE_COLUMNS)
    st.caption(tr("dash.trace_count", count=rows.height))
    show_table(readable(table), hide_index=True)
    downloads(table, "answers", key)
