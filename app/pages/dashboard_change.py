"""Change between two cycles: per chapter and per Party, how many provisions improved, stayed
the same or regressed, and the Party x provision answers behind each count."""

import altair as alt
import polars as pl
import streamlit as st

from review import charts
from app.context import actor, guarded, lang, store, tr
from app.text import escape
from app.dashboard import cycle_picker, region_filter, scope_caption
from app.figures import downloads, figure, labelled
from app.tables import show_table
from review.analysis import change
from review.analysis.selection import restrict

KINDS = ("improved", "unchanged", "regressed")

st.title(tr("change.title"))
with guarded():
    who, source, language = actor(), store(), lang()
    cols = st.columns(3)
    with cols[0]:
        before = cycle_picker("change_before", "change.from_cycle", index=1)
    with cols[1]:
        after = cycle_picker("change_after", "change.to_cycle", index=0)
    with cols[2]:
        regions = region_filter("change_regions")
    scope_caption()
    try:
        rows = restrict(change.cycle_change(source, who, before.id, after.id, lang=language), regions=regions)
    except change.SameCycle as refused:  # the same cycle twice: the library's refusal, as a hint (one cycle picks both)
        st.info(refused.message(language, escape))
        st.stop()
    compared = rows.filter(pl.col("change").is_in(KINDS))
    if compared.is_empty():
        st.info(tr("dash.nothing"))
        st.stop()

    metrics = st.columns(3)
    for column, kind in zip(metrics, KINDS):
        column.metric(tr(f"change.{kind}"), int((compared["change"] == kind).sum()))

    st.subheader(tr("change.by_chapter"))
    per_chapter = change.change_summary(compared, by="chapter")
    chapter, direction, count = tr("dash.chapter"), tr("change.direction"), tr("dash.count")
    long = per_chapter.unpivot(index=["chapter", "chapter_title"], on=list(KINDS), variable_name="kind", value_name="n").with_columns(
        pl.col("kind").replace_strict({k: tr(f"change.{k}") for k in KINDS}, return_dtype=pl.String))
    chart_table = long.select(pl.format("{}. {}", "chapter", "chapter_title").alias(chapter), pl.col("kind").alias(direction),
                              pl.col("n").alias(count))
    chart = charts.bars(chart_table, chapter, count, color=direction, domain=None, tooltip=chart_table.columns,
                        sort=chart_table[chapter].unique(maintain_order=True).to_list())
    chart = chart.encode(color=alt.Color(f"{direction}:N", sort=[tr(f"change.{k}") for k in KINDS],
                                                scale=alt.Scale(range=["#1a9850", "#bdbdbd", "#d73027"])))
    chapter_table = labelled(per_chapter.with_columns(pl.format("{}. {}", "chapter", "chapter_title").alias("label")),
                             {"label": "dash.chapter", **{k: f"change.{k}" for k in KINDS}})
    figure(chart, chapter_table, f"change-by-chapter-{before.id}-{after.id}", "change_chapter")

    st.subheader(tr("change.by_party"))
    per_party = labelled(change.change_summary(compared, by="party"),
                         {"party_name": "dash.party", "region_name": "dash.region", **{k: f"change.{k}" for k in KINDS}})
    show_table(per_party, hide_index=True)
    downloads(per_party, f"change-by-party-{before.id}-{after.id}", "change_party")

    st.subheader(tr("dash.trace"))
    names = dict(zip(compared["party_name"], compared["party"]))
    pick_cols = st.columns(2)
    pick_party = pick_cols[0].selectbox(tr("dash.trace_party"), [None, *sorted(names)], key="change_trace_party",
                                        format_func=lambda v: tr("dash.all") if v is None else v)
    pick_kind = pick_cols[1].selectbox(direction, [None, *KINDS], key="change_trace_kind",
                                       format_func=lambda v: tr("dash.all") if v is None else tr(f"change.{v}"))
    shown = compared.filter(
        (pl.col("party") == names[pick_party]) if pick_party else pl.lit(True),
        (pl.col("change") == pick_kind) if pick_kind else pl.lit(True),
    )
    table = labelled(shown, {"party_name": "dash.party", "ref": "dash.provision", "status_before_label": "change.before",
                             "status_after_label": "change.after", "change_label": "change.direction"})
    st.caption(tr("dash.trace_count", count=table.height))
    show_table(table, hide_index=True)
    downloads(table, f"change-answers-{before.id}-{after.id}", "change_trace")
