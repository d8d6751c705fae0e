"""Published technical assistance, for everyone (a public replica too): the TA needs and offers their
owners chose to publish, the summary "needed, matched, received, offered, delivered" by type,
chapter and regional group, and each table as open data (CSV, Parquet; docs/open-data.md)."""

import polars as pl
import streamlit as st

from review import charts
from app.context import guarded, lang, store, tr
from app.figures import figure, rounded
from app.tables import show_table
from review import export
from review.matching.open_data import MEASURES, by_type, frames, labelled

NEED_SHOWN = ("party_name", "region_name", "type_label", "priority_label", "chapter_title", "description",
              "match_state_label")
OFFER_SHOWN = ("provider", "types_label", "regions", "languages", "capacity", "engaged", "delivered", "ends", "description")
SUMMARY_SHOWN = ("type_label", "chapter_title", "region_name", *("needed", "matched", "received", "offered", "delivered"))
MIME = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def open_data(table: pl.DataFrame, name: str) -> None:
    """The table with its stable columns (codes, then labels in the reader's language) as CSV, through
    the safe writer, and as Parquet."""
    cols = st.columns([1, 1, 4])
    for col, fmt in zip(cols, ("csv", "parquet")):
        col.download_button(tr(f"tapub.download_{fmt}"), data=lambda fmt=fmt: export.to_bytes(table, fmt, name),
                            file_name=f"{name}.{fmt}", mime=MIME[fmt], key=f"tapub_{name}_{fmt}", on_click="ignore",
                            icon=":material/download:")


def readable(table: pl.DataFrame, shown: tuple[str, ...]) -> pl.DataFrame:
    return table.select([pl.col(c).alias(tr(f"tapub.columns.{c}")) for c in shown])


st.title(tr("tapub.title"))
with guarded():
    language = lang()
    st.caption(tr("tapub.intro"))
    source = store()
    frames_now = frames(source)
    data = {name: labelled(source, name, frame, language) for name, frame in frames_now.items()}
    needs, offers, summary = data["needs"], data["offers"], data["summary"]
    cols = st.columns(4)
    cols[0].metric(tr("tapub.metric_needs"), needs.height)
    cols[1].metric(tr("tapub.metric_offers"), offers.height)
    cols[2].metric(tr("tapub.metric_matched"), needs.filter(pl.col("match_state") != "open").height)
    cols[3].metric(tr("tapub.metric_received"), needs.filter(pl.col("match_state") == "delivered").height)

    st.subheader(tr("tapub.summary"))
    st.caption(tr("tapub.summary_help"))
    if summary.is_empty():
        st.info(tr("tapub.nothing_published"))
    else:
        per_type = labelled(source, "summary", by_type(frames_now["summary"], frames_now["offers"])
                            .with_columns(chapter=pl.lit(None, pl.String), region=pl.lit(None, pl.String)), language)
        long = per_type.select("type_label", *MEASURES).unpivot(index="type_label", variable_name="measure",
                                                               value_name="count").with_columns(
            pl.col("measure").replace_strict({m: tr(f"tapub.columns.{m}") for m in MEASURES}))
        chart = charts.support_bars(long, "type_label", "measure", "count", tooltip=["type_label", "measure", "count"],
                                    measures=[tr(f"tapub.columns.{m}") for m in MEASURES])
        # the chart with its table behind it and CSV / Excel / PNG, as every dashboard figure
        figure(chart, readable(per_type, ("type_label", *MEASURES)), "ta-by-type", "tapub_by_type")
        show_table(rounded(readable(summary, SUMMARY_SHOWN)), hide_index=True)
    open_data(summary, "ta-summary")

    st.subheader(tr("tapub.needs"))
    if needs.is_empty():
        st.info(tr("tapub.no_needs"))
    else:
        show_table(readable(needs, NEED_SHOWN), hide_index=True)
    open_data(needs, "ta-needs")

    st.subheader(tr("tapub.offers"))
    if offers.is_empty():
        st.info(tr("tapub.no_offers"))
    else:
        show_table(readable(offers, OFFER_SHOWN), hide_index=True)
    open_data(offers, "ta-offers")
