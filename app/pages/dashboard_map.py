"""World map of implementation: each Party's overall score on the vendored world map (offline),
Parties the map cannot draw listed beside it, and the answers behind a Party's score."""

import polars as pl
import streamlit as st

from review import charts
from app.context import actor, guarded, lang, store, tr
from app.dashboard import category_filter, cycle_picker, region_filter, scope_caption
from app.figures import figure, labelled, rounded, selected, trace_table
from app.tables import show_table
from review.analysis import scoring, trace
from review.analysis.selection import restrict
from review.world import iso_numeric_codes, split_by_map, too_small_to_see

st.title(tr("map.title"))
with guarded():
    who, source, language = actor(), store(), lang()
    cycle = cycle_picker("map_cycle")
    scope_caption()
    cols = st.columns(2)
    regions = region_filter("map_regions", cols[0])
    categories = category_filter("map_categories", cols[1])
    scores = restrict(scoring.party_scores(source, who, cycle.id, lang=language), regions=regions, categories=categories)
    if scores.is_empty():
        st.info(tr("dash.nothing"))
        st.stop()
    iso = iso_numeric_codes(source)
    scores = rounded(scores.with_columns(pl.col("party").replace_strict(iso, default=None, return_dtype=pl.String).alias("iso")))
    columns = {"party_name": "dash.party", "region_name": "dash.region", "score": "dash.score",
               "score_mandatory": "dash.score_mandatory", "implementation_rate": "dash.implementation_rate",
               "answered": "dash.answered", "unknown": "dash.unknown", "not_applicable": "dash.not_applicable",
               "by_choice": "dash.by_choice"}
    table = labelled(scores, columns)
    on_map, _ = split_by_map(scores["iso"].to_list())
    st.subheader(tr("map.chart"))
    main, side = st.columns([4, 1])
    with main:
        chart = charts.world_map(
            scores.select("iso", *columns).rename({c: tr(k) for c, k in columns.items()}), "iso", tr("dash.score"),
            fields=[tr(k) for k in columns.values()], tooltip=[f"{tr('dash.party')}:N", f"{tr('dash.score')}:Q", f"{tr('dash.answered')}:Q"],
            select=[tr("dash.party")],
        )
        event = figure(chart, table, f"world-map-{cycle.id}", "map", selectable=True)
    with side:
        away = scores.filter(~pl.col("iso").is_in(on_map) | pl.col("iso").is_null()
                             | pl.col("iso").is_in(sorted(too_small_to_see())))
        if away.is_empty():
            st.caption(tr("map.none_off_map"))
        else:
            st.caption(tr("map.off_map"))
            show_table(labelled(away, {"party_name": "dash.party", "score": "dash.score"}), hide_index=True)

    st.subheader(tr("dash.trace"))
    st.caption(tr("dash.trace_help"))
    names = dict(zip(scores["party_name"], scores["party"]))
    pick = st.selectbox(tr("dash.trace_party"), [None, *sorted(names)], key="map_trace_party",
                        format_func=lambda n: "—" if n is None else n)
    clicked = selected(event, "country")
    if clicked and clicked[0].get(tr("dash.party")) in names:
        pick = clicked[0][tr("dash.party")]
    if pick is None:
        st.info(tr("dash.trace_none"))
    else:
        trace_table(trace.trace(source, who, cycle.id, party=names[pick], lang=language), "map_trace")
