"""Response tracker: how many Parties take part, have submitted, are validated, published or late,
by regional group; the table lists every Party the counts are made of. Submission states are
public, so every viewer sees the same figures."""

import altair as alt
import polars as pl
import streamlit as st

from review import charts
from app.context import guarded, lang, store, tr
from app.dashboard import cycle_picker
from app.figures import downloads, figure, labelled
from app.tables import show_table
from review.analysis import responses

COUNTS = ("participating", "submitted", "validated", "published", "late")

st.title(tr("tracker.title"))
with guarded():
    source, language = store(), lang()
    cycle = cycle_picker("tracker_cycle")
    parties = responses.response_tracking(source, cycle.id, lang=language)
    totals = responses.response_summary(source, cycle.id, lang=language).row(0, named=True)
    for column, name in zip(st.columns(len(COUNTS)), COUNTS):
        column.metric(tr(f"tracker.{name}"), totals[name])

    st.subheader(tr("tracker.by_region"))
    by_region = responses.response_summary(source, cycle.id, by="region", lang=language)
    table = labelled(by_region, {"region_name": "dash.region", **{c: f"tracker.{c}" for c in COUNTS}})
    region, stage, count = tr("dash.region"), tr("tracker.stage"), tr("dash.parties")
    long = table.unpivot(index=region, variable_name=stage, value_name=count)
    chart = charts.bars(long, region, count, domain=None, tooltip=long.columns, sort=table[region].to_list()).encode(
        yOffset=alt.YOffset(f"{stage}:N", sort=[tr(f"tracker.{c}") for c in COUNTS]),
        color=alt.Color(f"{stage}:N", sort=[tr(f"tracker.{c}") for c in COUNTS]),
    )
    figure(chart, table, f"responses-by-region-{cycle.id}", "tracker_regions")

    st.subheader(tr("tracker.summary"))
    rows = labelled(parties.with_columns(pl.col("submitted_at").dt.date(), pl.col("published_at").dt.date()), {
        "party_name": "dash.party", "region_name": "dash.region", "state_label": "tracker.state",
        "late": "tracker.late", "submitted_at": "tracker.submitted_at", "published_at": "tracker.published_at",
    })
    show_table(rows, hide_index=True)
    downloads(rows, f"response-tracker-{cycle.id}", "tracker_parties")
