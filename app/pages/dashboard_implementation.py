"""Implementation dashboard: the consolidated table (Parties x articles or chapters) as a heatmap,
implementation by chapter, by regional group and by development category, and the answers behind
any cell. The library decides whose answers go in (published only, unless the viewer may see more)."""

import polars as pl
import streamlit as st

from review import charts
from app.context import actor, guarded, lang, store, tr
from app.dashboard import category_filter, chapter_filter, cycle_picker, region_filter, scope_caption
from app.figures import figure, labelled, rounded, selected, trace_table
from app.session_reports import conference_reports
from review.analysis.scope import open_view
from review.analysis import scoring, trace
from review.analysis.selection import party_order, restrict

st.title(tr("implementation.title"))
with guarded():
    who, language = actor(), lang()
    cycle = cycle_picker("impl_cycle")
    scope_caption()
    st.caption(tr("dash.scoring_note"))
    cols = st.columns([2, 2, 2, 1, 1])
    chapters = chapter_filter(cycle, "impl_chapters", cols[0])
    regions = region_filter("impl_regions", cols[1])
    categories = category_filter("impl_categories", cols[2])
    level = cols[3].radio(tr("dash.level"), ("article", "chapter"), format_func=lambda v: tr(f"dash.level_{v}"), key="impl_level")
    order = cols[4].radio(tr("dash.sort"), ("score", "name"), format_func=lambda v: tr(f"dash.sort_{v}"), key="impl_sort")

    with open_view(store(), who, [cycle.id], lang=language) as source:
        cells = restrict(scoring.consolidated(source, who, cycle.id, level, lang=language),
                         chapters=chapters, regions=regions, categories=categories)
        if cells.is_empty():
            st.info(tr("dash.nothing"))
            st.stop()

        st.subheader(tr("implementation.heatmap"))
        unit = level
        title = f"{unit}_title"
        heat = rounded(cells.with_columns(pl.col(unit).cast(pl.String)))
        party, unit_label, score = tr("dash.party"), tr(f"dash.{unit}"), tr("dash.score")
        shown = heat.select(
            pl.col("party"), pl.col("party_name").alias(party), pl.col(unit).alias(unit_label),
            pl.col(title).alias(tr("dash.title")), pl.col("region_name").alias(tr("dash.region")),
            pl.col("score").alias(score), pl.col("score_mandatory").alias(tr("dash.score_mandatory")),
            pl.col("answered").alias(tr("dash.answered")), pl.col("unknown").alias(tr("dash.unknown")),
            pl.col("not_applicable").alias(tr("dash.not_applicable")), pl.col("by_choice").alias(tr("dash.by_choice")),
        )
        chart = charts.heatmap(
            shown, party, unit_label, score, row_order=party_order(heat, order),
            column_order=heat[unit].unique(maintain_order=True).to_list(),
            tooltip=[c for c in shown.columns if c != "party"], select=["party", unit_label],
        )
        wide = scoring.consolidated_wide(heat, level)
        wide = wide.rename({"party_name": party, "region_name": tr("dash.region")}).drop("party")
        event = figure(chart, wide, f"consolidated-{cycle.id}", "impl_heatmap", selectable=True)

        st.subheader(tr("implementation.by_chapter"))
        by_chapter = restrict(scoring.implementation(source, who, cycle.id, "chapter", lang=language), chapters=chapters)
        # the library's figure, which the session reports draw too (per article)
        chapter_chart, chapter_table = charts.rates_figure(by_chapter, "chapter", language)
        rate = tr("dash.implementation_rate")
        figure(chapter_chart, chapter_table, f"implementation-by-chapter-{cycle.id}", "impl_chapter")

        st.subheader(tr("implementation.by_region"))
        by_region = restrict(scoring.implementation(source, who, cycle.id, "chapter", by="region", lang=language),
                             chapters=chapters)
        by_region = by_region.filter(pl.col("group").is_in(regions) if regions else pl.lit(True))
        region_table = rounded(labelled(by_region, {
            "chapter": "dash.chapter", "group_name": "dash.region", "implementation_rate": "dash.implementation_rate",
            "score": "dash.score", "responding": "dash.responding", "unknown": "dash.unknown"}))
        figure(charts.heatmap(region_table, tr("dash.region"), tr("dash.chapter"), rate,
                              row_order=sorted(region_table[tr("dash.region")].unique().to_list()),
                              column_order=list(cycle.chapters), tooltip=region_table.columns),
               region_table, f"implementation-by-region-{cycle.id}", "impl_region")

        st.subheader(tr("implementation.by_category"))
        by_category = restrict(scoring.implementation(source, who, cycle.id, "chapter", by="category", lang=language),
                               chapters=chapters)
        category_table = rounded(labelled(by_category, {
            "chapter": "dash.chapter", "group_name": "dash.category", "implementation_rate": "dash.implementation_rate",
            "score": "dash.score", "responding": "dash.responding", "unknown": "dash.unknown"}))
        figure(charts.heatmap(category_table, tr("dash.category"), tr("dash.chapter"), rate,
                              row_order=category_table[tr("dash.category")].unique(maintain_order=True).to_list(),
                              column_order=list(cycle.chapters), tooltip=category_table.columns),
               category_table, f"implementation-by-category-{cycle.id}", "impl_category")

        st.subheader(tr("dash.trace"))
        st.caption(tr("dash.trace_help"))
        clicked = selected(event, "cell")
        names = dict(zip(heat["party_name"], heat["party"]))
        units = heat[unit].unique(maintain_order=True).to_list()
        cols = st.columns(2)
        pick_party = cols[0].selectbox(tr("dash.trace_party"), [None, *sorted(names)], key="impl_trace_party",
                                       format_func=lambda n: tr("dash.all") if n is None else n)
        pick_unit = cols[1].selectbox(unit_label, [None, *units], key="impl_trace_unit",
                                      format_func=lambda u: tr("dash.all") if u is None else u)
        if clicked:
            pick_party = next((n for n, code in names.items() if code == clicked[0].get("party")), pick_party)
            pick_unit = clicked[0].get(unit_label, pick_unit)
        if pick_party is None and pick_unit is None:
            st.info(tr("dash.trace_none"))
        else:
            where = {}
            if pick_unit is not None:
                where = {"article": int(pick_unit)} if unit == "article" else {"chapter": pick_unit}
            rows = trace.trace(source, who, cycle.id, party=names.get(pick_party), lang=language, **where)
            shown = list(names.values())
            trace_table(restrict(rows, chapters=chapters).filter(pl.col("party").is_in(shown)), "impl_trace")

    # the documents for a session of the Conference, from the same figures (built when clicked)
    st.divider()
    conference_reports(who, cycle, language, "impl_reports")
