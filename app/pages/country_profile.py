"""Country profile: one Party's scores by chapter beside its regional group's average, its gap
profile, its TA needs beside the TA it already receives, the legislation it cited, and the same content as a printable PDF."""

import polars as pl
import streamlit as st

from review import charts
from app.context import actor, guarded, lang, percent_text, store, tr, tr_plain
from app.dashboard import cycle_picker, scope_caption
from app.figures import downloads, figure, trace_table
from app.tables import show_table
from review.analysis.scope import open_view
from review.analysis import scoring, trace
from review.analysis.profile import country_profile
from review.reports.country_profile import country_profile_pdf
from review.peer import followup, report


def section(title: str, empty: str, stem: str, key: str, columns: dict) -> None:
    """One table of the profile under its heading, with its downloads, or a caption when it is
    empty; `columns` maps each column's label key to its values and type."""
    st.subheader(tr(title))
    table = pl.DataFrame({tr(k): values for k, (values, _) in columns.items()},
                         schema={tr(k): dtype for k, (_, dtype) in columns.items()})
    if table.is_empty():
        st.caption(tr(empty))
    else:
        show_table(table, hide_index=True)
        downloads(table, stem, key)


st.title(tr("profile.title"))
with guarded():
    who, language = actor(), lang()
    cycle = cycle_picker("profile_cycle")
    scope_caption()
    with open_view(store(), who, [cycle.id], lang=language) as source:
        seen = scoring.party_scores(source, who, cycle.id, lang=language)
        if seen.is_empty():
            st.info(tr("profile.nobody"))
            st.stop()
        names = dict(zip(seen["party"], seen["party_name"]))
        codes = sorted(names, key=names.get)
        default = codes.index(who.party) if who.party in names else 0
        party = st.selectbox(tr("profile.party"), codes, index=default, format_func=names.get, key="profile_party")
        profile = country_profile(source, who, party, cycle.id, lang=language)

        st.header(profile.party_name)
        st.caption(tr("profile.group_line", group=profile.group_name or "—"))
        cols = st.columns(3)
        cols[0].metric(tr("dash.score"), percent_text(profile.score))
        cols[1].metric(tr("dash.score_mandatory"), percent_text(profile.score_mandatory))
        cols[2].metric(tr("tracker.state"), profile.state_label)
        st.caption(tr("profile.scope_published") if profile.published_only else tr("profile.scope_working"))
        recommendations = [r for r in followup.recommendation_rows(store(), who, language) if r["party"] == party]
        summaries = report.published_summaries(store(), who, party, language)
        st.download_button(
            tr("profile.pdf"), data=lambda: country_profile_pdf(profile, language, recommendations, summaries), file_name=f"profile-{party}-{cycle.id}.pdf",
            mime="application/pdf", key="profile_pdf", on_click="ignore", icon=":material/picture_as_pdf:", type="primary",
        )

        st.subheader(tr("profile.chapters"))
        chapter, who_col, value = tr("profile.chapter"), tr("dash.series"), tr("dash.score")
        party_label, group_label = profile.party_name, tr("profile.group_average")
        rows = [(c.label, party_label, c.score) for c in profile.chapters] + \
               [(c.label, group_label, c.group_average) for c in profile.chapters]
        long = pl.DataFrame(rows, schema={chapter: pl.String, who_col: pl.String, value: pl.Float64}, orient="row")
        wide = pl.DataFrame({
            chapter: [c.label for c in profile.chapters],
            tr("profile.party_score"): [c.score for c in profile.chapters],
            group_label: [c.group_average for c in profile.chapters],
        }, schema_overrides={tr("profile.party_score"): pl.Float64, group_label: pl.Float64}).with_columns(pl.col(pl.Float64).round(2))
        figure(charts.grouped_bars(long, chapter, who_col, value, tooltip=long.columns, sort=[c.label for c in profile.chapters]),
               wide, f"profile-chapters-{party}-{cycle.id}", "profile_chapters")

        section("profile.gaps", "profile.no_gaps", f"profile-gaps-{party}-{cycle.id}", "profile_gaps", {
            "profile.provision": ([g.provision for g in profile.gaps], pl.String),
            "profile.status": ([g.status for g in profile.gaps], pl.String),
            "profile.challenges": (["; ".join(g.challenges) for g in profile.gaps], pl.String),
            "profile.ta_requested": (["; ".join(g.ta_requested) for g in profile.gaps], pl.String),
        })
        section("profile.ta_needs", "profile.none", f"profile-ta-{party}-{cycle.id}", "profile_ta", {
            "profile.provision": ([n.provision for n in profile.ta_needs], pl.String),
            "profile.ta_type": ([n.type for n in profile.ta_needs], pl.String),
            "profile.priority": ([n.priority for n in profile.ta_needs], pl.String),
            "profile.description": ([n.description for n in profile.ta_needs], pl.String),
            "scoring.received.already": (["; ".join(n.received_from) for n in profile.ta_needs], pl.String),
        })
        section("scoring.received.balance", "profile.none", f"profile-ta-balance-{party}-{cycle.id}",
                "profile_ta_balance", {
            "profile.ta_type": ([b.type for b in profile.ta_balance], pl.String),
            "scoring.received.needed": ([b.needed for b in profile.ta_balance], pl.Int64),
            "scoring.received.received": ([b.received for b in profile.ta_balance], pl.Int64),
            "scoring.received.met": ([b.met for b in profile.ta_balance], pl.Int64),
        })
        section("scoring.received.title", "profile.none", f"profile-ta-received-{party}-{cycle.id}",
                "profile_ta_received", {
            "profile.provision": ([r.provision for r in profile.ta_received], pl.String),
            "profile.ta_type": ([r.type for r in profile.ta_received], pl.String),
            "scoring.received.provider": ([r.provider for r in profile.ta_received], pl.String),
            "profile.year": ([r.year for r in profile.ta_received], pl.Int32),
        })

        st.subheader(tr("profile.legislation"))
        laws = pl.DataFrame({
            tr("profile.provision"): [c.provision for c in profile.legislation],
            tr("profile.law"): [c.title for c in profile.legislation],
            tr("profile.cited"): [c.provision_cited for c in profile.legislation],
            tr("profile.year"): [c.year for c in profile.legislation],
            tr("profile.law_status"): [c.status for c in profile.legislation],
            tr("legislation.link"): [c.link for c in profile.legislation],
        }, schema_overrides={tr("profile.year"): pl.Int32})
        if laws.is_empty():
            st.caption(tr("profile.none"))
        else:
            show_table(laws, hide_index=True, column_config={tr("legislation.link"): st.column_config.LinkColumn()})
            downloads(laws, f"profile-legislation-{party}-{cycle.id}", "profile_laws")

        st.subheader(tr("report.profile.title"))
        recs = pl.DataFrame(
            [[r[c] for c in ("cycle", "provision", "priority", "recommendation", "status", "evidence")] for r in recommendations],
            schema={tr_plain(f"report.dashboard.{c}"): pl.String
                    for c in ("cycle", "provision", "priority", "recommendation", "status", "evidence")}, orient="row")
        if recs.is_empty():
            st.caption(tr("report.profile.none"))
        else:
            show_table(recs, hide_index=True)
            downloads(recs, f"profile-recommendations-{party}", "profile_recs")
        for summary in summaries:
            with st.expander(f'{tr("report.profile.summary")} ({tr_plain(summary.cycle_id)})'):
                st.text(summary.text)

        st.subheader(tr("dash.trace"))
        pick = st.selectbox(tr("profile.chapter"), [None, *[c.chapter for c in profile.chapters]], key="profile_trace_chapter",
                            format_func=lambda v: tr("dash.all") if v is None else next(c.label for c in profile.chapters if c.chapter == v))
        trace_table(trace.trace(source, who, cycle.id, party=party, chapter=pick, lang=language), "profile_trace")
