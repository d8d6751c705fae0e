"""Recommendations and follow-up: every recommendation of agreed country review reports this viewer
may see (published ones for the public and on a replica), counted by follow-up status, chapter and
regional group, with the list behind the figures."""

import polars as pl
import streamlit as st

from review import charts
from app.cycle_choice import titles
from app.context import actor, guarded, lang, store, tr, tr_plain
from app.figures import downloads, figure
from app.tables import show_table
from review import cycles
from review.peer import followup as F

st.title(tr("report.dashboard.title"))
with guarded():
    who, language = actor(), lang()
    st.caption(tr("report.dashboard.caption"))
    rows = F.recommendation_rows(store(), who, language)
    if not rows:
        st.info(tr("report.dashboard.none"))
        st.stop()
    count, status = tr_plain("report.dashboard.count"), tr_plain("report.dashboard.status")
    order = [tr_plain(f"report.followup_statuses.{s}") for s in (*F.STATUSES, F.AWAITING)]
    cols = st.columns(len(order))
    for col, code, name in zip(cols, (*F.STATUSES, F.AWAITING), order):
        col.metric(name, sum(1 for r in rows if r["status_code"] == code))
    for by, key in (("status", "by_status"), ("chapter", "by_chapter"), ("region", "by_region")):
        st.subheader(tr(f"report.dashboard.{key}"))
        group = tr_plain(f"report.dashboard.{by}")
        if by == "status":
            data = pl.DataFrame([(g, n) for g, _, n in F.counts(rows, by)], schema={status: pl.String, count: pl.Int64},
                                orient="row")
            chart = charts.bars(data, status, count, tooltip=data.columns, domain=None, sort=order)
        else:
            data = pl.DataFrame([(g, s, n) for g, s, n in F.counts(rows, by)],
                                schema={group: pl.String, status: pl.String, count: pl.Int64}, orient="row")
            chart = charts.bars(data, group, count, tooltip=data.columns, color=status, domain=None)
        figure(chart, data, f"recommendations-{by}", f"rec_{by}")

    st.subheader(tr("report.dashboard.recommendation"))
    columns = ("party_name", "region", "cycle", "chapter", "provision", "priority", "recommendation", "followup_cycle",
               "status", "evidence")
    heads = {"party_name": "party"}
    named = titles(cycles.list_cycles(store()))  # a cycle by its title, as every picker shows it
    table = pl.DataFrame([[named.get(r[c], r[c]) if c in ("cycle", "followup_cycle") else r[c] for c in columns] for r in rows],
                         orient="row",
                         schema={tr_plain(f"report.dashboard.{heads.get(c, c)}"): pl.String for c in columns})
    show_table(table, hide_index=True)
    downloads(table, "recommendations", "rec_list")
