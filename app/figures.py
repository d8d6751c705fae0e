"""One figure on a dashboard: the chart, the table behind it, and CSV / Excel / PNG downloads.

Downloads are built only when clicked (Streamlit calls the function then), so a rerun never pays
for rendering a PNG or writing a workbook nobody asked for.
"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from app import charts
from app.context import tr
from review.analysis import export


def figure(chart: alt.TopLevelMixin | None, table: pl.DataFrame, name: str, key: str, *,
           selectable: bool = False, height: int | None = None):
    """Draw `chart`, then its table (in an expander) and the downloads; returns the chart's
    selection event when `selectable`, so the page can show the answers behind a clicked mark."""
    event = None
    if chart is not None:
        if selectable:
            event = st.altair_chart(chart, width="stretch", on_select="rerun", selection_mode=None, key=f"{key}_chart")
        else:
            st.altair_chart(chart, width="stretch")
    with st.expander(tr("dash.table_behind")):
        st.dataframe(table, hide_index=True, height=height or "auto")
    downloads(table, name, key, chart)
    return event


def downloads(table: pl.DataFrame, name: str, key: str, chart: alt.TopLevelMixin | None = None) -> None:
    """CSV and Excel of the table (labels, formula-escaped), PNG of the chart."""
    cols = st.columns([1, 1, 1, 5])
    cols[0].download_button(
        tr("dash.download_csv"), data=lambda: export.csv_bytes(table), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    cols[1].download_button(
        tr("dash.download_xlsx"), data=lambda: export.xlsx_bytes(table, sheet=name), file_name=f"{name}.xlsx",
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
