"""Technical assistance needs and challenges, counted by type x chapter and type x regional group,
with the individual mentions (Party, provision, description) behind every count."""

import polars as pl
import streamlit as st

from review import charts
from app.context import actor, guarded, lang, store, tr
from app.dashboard import chapter_filter, cycle_picker, region_filter, scope_caption
from app.figures import downloads, figure, labelled
from app.tables import show_table
from review.analysis.scope import open_view
from review.analysis import gaps
from review.analysis.selection import restrict, totals



def needed_received(source, who, cycle, language, chapters, regions) -> None:
    """TA needed beside TA already received per type (bars), and by type x chapter x regional group
    (the table behind them), with the needs already being met by assistance of their type."""
    table = restrict(gaps.needed_received(source, who, cycle.id, lang=language), chapters=chapters, regions=regions)
    st.subheader(tr("scoring.received.balance"))
    st.caption(tr("scoring.received.balance_help"))
    if table.is_empty():
        st.info(tr("dash.nothing"))
        return
    measures = {"needed": tr("scoring.received.needed"), "received": tr("scoring.received.received"),
                "met": tr("scoring.received.met")}
    by_type = totals(table, ["type_label"], list(measures))
    long = (by_type.unpivot(index="type_label", on=list(measures), variable_name="measure", value_name="count")
            .with_columns(pl.col("measure").replace_strict(measures, return_dtype=pl.String)))
    long = labelled(long, {"type_label": "needs.type", "measure": "dash.series", "count": "dash.count"})
    chart = charts.support_bars(long, tr("needs.type"), tr("dash.series"), tr("dash.count"), tooltip=long.columns,
                                measures=list(measures.values()))
    full = labelled(table.with_columns(pl.format("{}. {}", "chapter", "chapter_title").alias("chapter")), {
        "type_label": "needs.type", "chapter": "dash.chapter", "region_name": "dash.region", "needed": "scoring.received.needed", "received": "scoring.received.received",
        "met": "scoring.received.met", "parties_needing": "scoring.received.parties_needing",
        "parties_receiving": "scoring.received.parties_receiving"})
    figure(chart, full, f"ta-needed-received-{cycle.id}", "needs_ta_received")


st.title(tr("needs.title"))
with guarded():
    who, language = actor(), lang()
    cycle = cycle_picker("needs_cycle")
    scope_caption()
    cols = st.columns(2)
    chapters = chapter_filter(cycle, "needs_chapters", cols[0])
    regions = region_filter("needs_regions", cols[1])
    with open_view(store(), who, [cycle.id], lang=language) as source:
        for tab, kind in zip(st.tabs([tr("needs.ta"), tr("needs.challenges")]), ("ta", "challenge")):
            with tab:
                counts = restrict(gaps.needs_counts(source, who, cycle.id, kind, lang=language), chapters=chapters, regions=regions)
                mentions = restrict(gaps.needs_rows(source, who, cycle.id, kind, lang=language), chapters=chapters, regions=regions)
                if counts.is_empty():
                    st.info(tr("dash.nothing"))
                    continue
                type_ = tr("needs.type")
                # the library's figures, which the session reports draw too for their chapter
                st.subheader(tr(f"needs.{kind}_by_chapter"))
                figure(*charts.needs_figure(counts, "chapter", language, column_order=list(cycle.chapters)),
                       f"{kind}-by-chapter-{cycle.id}", f"needs_{kind}_chapter")
                st.subheader(tr(f"needs.{kind}_by_region"))
                figure(*charts.needs_figure(counts, "region", language), f"{kind}-by-region-{cycle.id}", f"needs_{kind}_region")
                st.subheader(tr("dash.trace"))
                pick = st.selectbox(type_, [None, *sorted(mentions["type_label"].unique().to_list())], key=f"needs_{kind}_trace",
                                    format_func=lambda v: tr("dash.all") if v is None else v)
                shown = mentions if pick is None else mentions.filter(pl.col("type_label") == pick)
                columns = {"party_name": "dash.party", "region_name": "dash.region", "ref": "dash.provision",
                           "type_label": "needs.type"}
                if kind == "ta":
                    columns |= {"priority_label": "needs.priority", "description": "profile.description"}
                table = labelled(shown, columns)
                st.caption(tr("dash.trace_count", count=table.height))
                show_table(table, hide_index=True)
                downloads(table, f"{kind}-mentions-{cycle.id}", f"needs_{kind}_mentions")
                if kind == "ta":
                    needed_received(source, who, cycle, language, chapters, regions)
