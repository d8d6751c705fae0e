"""Public overview of a review cycle: who takes part, who has submitted, who is late, and how
complete the answers are per chapter."""

import altair as alt
import polars as pl
import streamlit as st

from app.context import date_text, guarded, store, text, tr
from app.dashboard import cycle_picker
from app.figures import figure
from app.tables import show_table
from review.tracking import cycle_overview

st.title(tr("overview.title"))
with guarded():
    chosen = cycle_picker("overview_cycle", "overview.cycle")
    view = cycle_overview(store(), chosen.id)
    st.caption(tr("overview.deadline", deadline=date_text(chosen.deadline), chapters=", ".join(chosen.chapters)))

    cols = st.columns(4)
    cols[0].metric(tr("overview.participating"), view.participating)
    cols[1].metric(tr("ux.overview.submitted_so_far"), view.submitted, help=tr("ux.overview.submitted_so_far_help"))
    cols[2].metric(tr("overview.published"), view.published)
    cols[3].metric(tr("overview.late"), view.late)

    st.subheader(tr("overview.completeness_by_chapter"))
    # every chapter in scope, in order; one with nothing to answer is listed without a bar
    unasked = {c.chapter for c in view.without_questions}
    progress = {c.chapter: c for c in (*view.chapters, *view.without_questions)}
    shown = [progress[n] for n in chosen.chapters if n in progress]
    chapters = pl.DataFrame(
        {
            tr("overview.chapter"): [f"{c.chapter}. {text(c.title)}" for c in shown],
            tr("overview.completeness"): [None if c.chapter in unasked else round(c.completeness * 100, 1) for c in shown],
        },
        schema={tr("overview.chapter"): pl.String, tr("overview.completeness"): pl.Float64},
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
    for c in view.without_questions:
        st.caption(tr("ux.overview.nothing_to_answer", chapter=f"{c.chapter}. {text(c.title)}"))

    st.subheader(tr("overview.by_state"))
    states = ("not_started", "draft", "returned", "submitted", "validated", "published")
    show_table(
        pl.DataFrame(
            {
                tr("overview.state"): [tr(f"states.{s}") for s in states],
                tr("overview.parties"): [view.by_state.get(s, 0) for s in states],
            }
        ),
        hide_index=True,
    )
    st.caption(tr("ux.overview.by_state_explained"))
