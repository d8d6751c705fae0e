"""Evidence quality, for the secretariat: "implemented" answers that cite no legislation and
provisions left unanswered, per Party, with every such answer listed behind the counts."""

import polars as pl
import streamlit as st

from review import charts
from app.context import guarded, lang, refuse_unless, store, tr
from app.dashboard import chapter_filter, cycle_picker, region_filter, scope_caption
from app.figures import downloads, figure, labelled, rounded
from app.tables import show_table
from review.analysis import gaps
from review.analysis.selection import restrict

who = refuse_unless("analysis.unpublished")
st.title(tr("evidence.title"))
with guarded():
    source, language = store(), lang()
    cycle = cycle_picker("evidence_cycle")
    scope_caption()
    cols = st.columns(2)
    chapters = chapter_filter(cycle, "evidence_chapters", cols[0])
    regions = region_filter("evidence_regions", cols[1])
    quality = restrict(gaps.evidence_quality(source, who, cycle.id, lang=language), regions=regions)
    issues = restrict(gaps.evidence_issues(source, who, cycle.id, lang=language), chapters=chapters, regions=regions)
    if quality.is_empty():
        st.info(tr("dash.nothing"))
        st.stop()

    st.subheader(tr("evidence.no_legislation"))
    party, share = tr("dash.party"), tr("evidence.share")
    table = rounded(labelled(quality.filter(pl.col("implemented") > 0), {
        "party_name": "dash.party", "region_name": "dash.region", "implemented": "evidence.implemented",
        "implemented_without_legislation": "evidence.without_legislation", "share_without_legislation": "evidence.share",
        "unknown": "dash.unknown"}))
    worst = table.sort(share, descending=True).head(30)
    figure(charts.bars(worst, party, share, tooltip=worst.columns), table, f"evidence-{cycle.id}", "evidence_parties")

    st.subheader(tr("dash.trace"))
    pick = st.radio(tr("evidence.issue"), ("no_legislation", "unknown"), key="evidence_issue", horizontal=True,
                    format_func=lambda v: tr(f"evidence.{v}"))
    rows = labelled(issues.filter(pl.col("issue") == pick),
                    {"party_name": "dash.party", "region_name": "dash.region", "ref": "dash.provision",
                     "obligation_label": "dash.obligation"})
    st.caption(tr("dash.trace_count", count=rows.height))
    show_table(rows, hide_index=True)
    downloads(rows, f"evidence-{pick}-{cycle.id}", "evidence_rows")
