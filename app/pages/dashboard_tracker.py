"""Response tracker: how many Parties take part, have submitted, are validated, published or late,
by regional group; the table lists every Party the counts are made of."""

import altair as alt
import polars as pl
import streamlit as st

from app import charts
from app.context import guarded, lang, store, tr
from app.dashboard import cycle_picker
from app.figures import downloads, figure
from review.parties import all_parties
from review.tracking import cycle_overview

st.title(tr("tracker.title"))
with guarded():
    cycle = cycle_picker("tracker_cycle")
    view = cycle_overview(store(), cycle.id)
    states = ("published", "validated", "submitted", "returned", "draft", "not_started")
    cols = st.columns(5)
    cols[0].metric(tr("tracker.participating"), view.participating)
    cols[1].metric(tr("tracker.submitted"), view.submitted)
    cols[2].metric(tr("tracker.validated"), view.by_state.get("validated", 0))
    cols[3].metric(tr("tracker.published"), view.published)
    cols[4].metric(tr("tracker.late"), view.late)

    known = all_parties(store())
    region = tr("dash.region")
    rows = pl.DataFrame(
        {
            tr("dash.party"): [known[p.party].name(lang()) for p in view.parties],
            region: [tr(f"regions.{known[p.party].regional_group or 'none'}") for p in view.parties],
            tr("tracker.state"): [tr(f"states.{p.state}") for p in view.parties],
            tr("tracker.completeness"): [round(p.completeness.ratio * 100, 1) for p in view.parties],
            tr("tracker.late"): [p.late for p in view.parties],
        },
        schema_overrides={tr("tracker.completeness"): pl.Float64},
    )
    state = tr("tracker.state")
    counts = rows.group_by([region, state]).len(tr("dash.parties")).sort([region, state])
    st.subheader(tr("tracker.by_region"))
    chart = charts.bars(
        counts, region, tr("dash.parties"), color=state, domain=None, sort=sorted(counts[region].unique()),
        tooltip=[region, state, tr("dash.parties")],
    ).encode(color=alt.Color(f"{state}:N", sort=[tr(f"states.{s}") for s in states]))
    figure(chart, counts, "response-by-region", "tracker_regions")

    st.subheader(tr("tracker.summary"))
    st.dataframe(rows, hide_index=True)
    downloads(rows, "response-tracker", "tracker_parties")
