"""Technical assistance needs and challenges, counted by type x chapter and type x regional group,
with the individual mentions (Party, provision, description) behind every count."""

import polars as pl
import streamlit as st

from app import charts
from app.context import actor, guarded, lang, store, tr
from app.dashboard import chapter_filter, cycle_picker, region_filter, scope_caption
from app.figures import downloads, figure, labelled
from app.tables import show_table
from review.analysis.scope import open_view
from review.analysis import gaps
from review.analysis.selection import restrict, totals

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
                type_, count = tr("needs.type"), tr("dash.count")
                by_chapter = labelled(totals(counts, ["type_label", "chapter"], ["mentions"]),
                                      {"type_label": "needs.type", "chapter": "dash.chapter", "mentions": "dash.count"})
                st.subheader(tr(f"needs.{kind}_by_chapter"))
                figure(charts.counts_heatmap(by_chapter, type_, tr("dash.chapter"), count, tooltip=by_chapter.columns,
                                             column_order=list(cycle.chapters)),
                       by_chapter, f"{kind}-by-chapter-{cycle.id}", f"needs_{kind}_chapter")
                by_region = labelled(totals(counts, ["type_label", "region_name"], ["mentions"]),
                                     {"type_label": "needs.type", "region_name": "dash.region", "mentions": "dash.count"})
                st.subheader(tr(f"needs.{kind}_by_region"))
                figure(charts.counts_heatmap(by_region, type_, tr("dash.region"), count, tooltip=by_region.columns),
                       by_region, f"{kind}-by-region-{cycle.id}", f"needs_{kind}_region")

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
