"""Public overview of a review cycle: who takes part, who has submitted, who is late, and how
complete the answers are per chapter."""

import altair as alt
import polars as pl
import streamlit as st

from app.context import date_text, guarded, store, text, tr
from app.dashboard import cycle_picker
from app.figures import figure
from review.tracking import cycle_overview

st.title(tr("overview.title"))
with guarded():
    chosen = cycle_picker("overview_cycle", "overview.cycle")
    view = cycle_overview(store(), chosen.id)
    st.caption(tr("overview.deadline", deadline=date_text(chosen.deadline), chapters=", ".join(chosen.chapters)))

    cols = st.columns(4)
    cols[0].metric(tr("overview.participating"), view.participating)
    cols[1].metric(tr("overview.submitted"), view.submitted)
    cols[2].metric(tr("overview.published"), view.published)
    cols[3].metric(tr("overview.late"), view.late)

    st.subheader(tr("overview.completeness_by_chapter"))
    chapters = pl.DataFrame(
        {
            tr("overview.chapter"): [f"{c.chapter}. {text(c.title)}" for c in view.chapters],
            tr("overview.completeness"): [round(c.completeness * 100, 1) for c in view.chapters],
        }
    )
    chart = (
        alt.Chart(chapters)
        .mark_bar()
        .encode(
            x=alt.X(f"{tr('overview.completeness')}:Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(f"{tr('overview.chapter')}:N", sort=None, axis=alt.Axis(labelLimit=320, title=None)),
            tooltip=list(chapters.columns),
        )
    )
    figure(chart, chapters, f"completeness-by-chapter-{chosen.id}", "overview_chapters")

    st.subheader(tr("overview.by_state"))
    states = ("not_started", "draft", "returned", "submitted", "validated", "published")
    st.dataframe(
        pl.DataFrame(
            {
                tr("overview.state"): [tr(f"states.{s}") for s in states],
                tr("overview.parties"): [view.by_state.get(s, 0) for s in states],
            }
        ),
        hide_index=True,
    )
