"""The Altair (Vega-Lite) charts of the dashboards and of the session reports, built from tables the
library computed (already labelled). No Streamlit here: the pages draw these specs with
`st.altair_chart`, the reports embed the same specs rendered offline as PNG (`png`, vl-convert).

Charts only draw: every figure they show is a column of the table passed in, which the page also
shows and offers for download. Scores are 0 to 1 and drawn on one fixed scale everywhere, so the
same colour means the same score on the heatmap, the map and the profile.

The `*_figure` builders take an analysis frame as the library returns it (`scoring.implementation`,
`gaps.needs_counts`) and a language, and return the chart with the table behind it: the dashboard
and the report calling one of them with the same frame draw the same figure.

Altair is imported here at module level: import this module inside functions from the CLI, so that
light commands stay light (tests/test_cli_startup.py).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Sequence

import altair as alt
import polars as pl

from review import formats
from review.analysis.selection import totals
from review.i18n import t
from review.world import FEATURE, topology

# The consolidated table has Parties x articles cells; Vega draws them fine, so the 5,000-row
# guard (meant for notebooks) is lifted for the PNG export as well.
alt.data_transformers.disable_max_rows()

SCORE_SCALE = alt.Scale(domain=[0, 1], scheme="yellowgreenblue")
NO_DATA = "#e6e6e6"
CELL = 16
LABEL_LIMIT = 260
WORLD = "world"
SCORES = "scores"


Chart = alt.TopLevelMixin | dict


KINDS = {"N": "nominal", "Q": "quantitative", "O": "ordinal", "T": "temporal"}


def field(name: str) -> str:
    """A column name as a Vega-Lite field: its dots, brackets, quotes and backslashes escaped, since
    a label such as "Taux d'application" is otherwise read as an access path and the chart fails."""
    return re.sub(r"([\\.\[\]'\"])", r"\\\1", name)


def _enc(name: str, kind: str) -> dict:
    """Field, type and title of an encoding on column `name` (the title unescaped)."""
    return {"field": field(name), "type": KINDS[kind], "title": name}


def _tips(table: pl.DataFrame, tooltip: Sequence[str]) -> list[alt.Tooltip]:
    """Tooltips on the table's columns (quantitative for numbers), each a column name or "name:T"."""
    tips = []
    for name in tooltip:
        kind = None
        if name not in table.columns and name[-2:-1] == ":" and name[-1] in KINDS:
            name, kind = name[:-2], name[-1]
        if kind is None:
            kind = "Q" if table.schema[name].is_numeric() else "N"
        tips.append(alt.Tooltip(**_enc(name, kind)))
    return tips


def png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart (an Altair chart or a finished Vega-Lite spec) as a PNG, rendered offline by
    vl-convert (no browser, no network)."""
    import vl_convert  # heavy: only when a chart is rendered

    spec = json.dumps(chart) if isinstance(chart, dict) else chart.to_json()
    return vl_convert.vegalite_to_png(spec, scale=scale)


def localized(chart: Chart, lang: str) -> Chart:
    """The chart writing its numbers (axes, tooltips) as `lang` does (Vega's number locale from
    `review.formats`): the page, its PNG download and the reports' images alike."""
    number = {"number": formats.chart_locale(lang)}
    if isinstance(chart, dict):
        return {**chart, "config": {**chart.get("config", {}), "locale": number}}
    return chart.configure(locale=number)


def heatmap(table: pl.DataFrame, row: str, column: str, value: str, *, row_order: Sequence[str],
            column_order: Sequence[str], tooltip: Sequence[str], select: Sequence[str] = ()) -> alt.Chart:
    """A score per cell (Parties x articles, say); cells without a score stay grey."""
    selection = alt.selection_point(name="cell", fields=list(select)) if select else None
    chart = (
        alt.Chart(table)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(**_enc(column, "N"), sort=list(column_order), axis=alt.Axis(orient="top", labelAngle=0, labelOverlap=False)),
            y=alt.Y(**_enc(row, "N"), sort=list(row_order), axis=alt.Axis(labelOverlap=False, labelLimit=LABEL_LIMIT)),
            color=alt.condition(f"isValid(datum[{json.dumps(value)}])", alt.Color(**_enc(value, "Q"), scale=SCORE_SCALE),
                                alt.value(NO_DATA)),
            tooltip=_tips(table, tooltip),
        )
        .properties(width=alt.Step(CELL * 2), height=alt.Step(CELL))
    )
    if selection is not None:
        chart = chart.add_params(selection).encode(opacity=alt.condition(selection, alt.value(1), alt.value(0.35)))
    return chart


def bars(table: pl.DataFrame, category: str, value: str, *, tooltip: Sequence[str], color: str | None = None,
         domain: Sequence[float] | None = (0, 1), sort: Sequence[str] | None = None, select: Sequence[str] = ()) -> alt.Chart:
    """Horizontal bars, one per category (stacked by `color` when given)."""
    x = alt.X(**_enc(value, "Q"), scale=alt.Scale(domain=list(domain)) if domain else alt.Undefined)
    y = alt.Y(**_enc(category, "N"), sort=list(sort) if sort is not None else "-x", axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None))
    encoding = dict(x=x, y=y, tooltip=_tips(table, tooltip))
    if color:
        encoding["color"] = alt.Color(**_enc(color, "N"))
    chart = alt.Chart(table).mark_bar().encode(**encoding)
    if select:
        selection = alt.selection_point(name="bar", fields=list(select))
        chart = chart.add_params(selection).encode(opacity=alt.condition(selection, alt.value(1), alt.value(0.4)))
    return chart


def grouped_bars(table: pl.DataFrame, category: str, group: str, value: str, *, tooltip: Sequence[str],
                 sort: Sequence[str] | None = None) -> alt.Chart:
    """Bars side by side: a Party beside its regional group's average, per chapter, say."""
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            y=alt.Y(**_enc(category, "N"), sort=list(sort) if sort is not None else alt.Undefined,
                    axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None)),
            yOffset=alt.YOffset(**_enc(group, "N")),
            x=alt.X(**_enc(value, "Q"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(**_enc(group, "N")),
            tooltip=_tips(table, tooltip),
        )
    )


def counts_heatmap(table: pl.DataFrame, row: str, column: str, value: str, *, tooltip: Sequence[str],
                   row_order: Sequence[str] | None = None, column_order: Sequence[str] | None = None) -> alt.Chart:
    """Counts per cell (TA needs by type and chapter, say), with the count written in the cell."""
    base = alt.Chart(table).encode(
        x=alt.X(**_enc(column, "N"), sort=list(column_order) if column_order else alt.Undefined, axis=alt.Axis(orient="top", labelAngle=-35, labelAlign="left", labelLimit=LABEL_LIMIT)),
        y=alt.Y(**_enc(row, "N"), sort=list(row_order) if row_order else alt.Undefined, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
    )
    cells = base.mark_rect().encode(color=alt.Color(**_enc(value, "Q"), scale=alt.Scale(scheme="oranges")),
                                    tooltip=_tips(table, tooltip))
    labels = base.mark_text(fontSize=10).encode(text=alt.Text(**_enc(value, "Q")))
    return (cells + labels).properties(width=alt.Step(44), height=alt.Step(20))


def world_map(table: pl.DataFrame, iso: str, value: str, *, fields: Sequence[str], tooltip: Sequence[str],
              select: Sequence[str] = (), width: int = 820, height: int = 430) -> dict:
    """Scores on the vendored world map, joined on ISO numeric code; countries without one stay grey.

    Returns a finished Vega-Lite spec with the topology and the scores as named datasets, so
    nothing is fetched from the network. The spec around them depends only on the column names
    (the user's language), so Altair builds it once per process (`_world_layers`); Altair never
    walks the topology's 100,000 nested lists (seconds) nor validates the spec again per rerun.
    """
    spec = dict(_world_layers(iso, value, tuple(fields), tuple(tooltip), tuple(select), width, height))
    spec["datasets"] = {WORLD: topology(), SCORES: table.select(iso, *fields).to_dicts()}
    return spec


@cache
def _world_layers(iso: str, value: str, fields: tuple[str, ...], tooltip: tuple[str, ...], select: tuple[str, ...],
                  width: int, height: int) -> dict:
    countries = alt.Data(name=WORLD, format=alt.DataFormat(type="topojson", feature=FEATURE))
    land = alt.Chart(countries).mark_geoshape(fill=NO_DATA, stroke="white", strokeWidth=0.3)
    scored = (
        alt.Chart(countries)
        .mark_geoshape(stroke="white", strokeWidth=0.3)
        .transform_lookup(lookup="id", from_=alt.LookupData(data=alt.Data(name=SCORES), key=iso,
                                                             fields=[field(f) for f in fields]))
        .transform_filter(f"isValid(datum[{json.dumps(value)}])")
        .encode(color=alt.Color(**_enc(value, "Q"), scale=SCORE_SCALE),
                tooltip=[alt.Tooltip(**_enc(*tip.rsplit(":", 1))) if tip[-2:-1] == ":" and tip[-1] in KINDS
                         else alt.Tooltip(**_enc(tip, "N")) for tip in tooltip])
    )
    if select:
        scored = scored.add_params(alt.selection_point(name="country", fields=list(select)))
    return alt.layer(land, scored).project("equalEarth").properties(width=width, height=height).to_dict()


def support_bars(table: pl.DataFrame, category: str, measure: str, value: str, *, tooltip: Sequence[str],
                 measures: Sequence[str]) -> alt.Chart:
    """Counts side by side per category: TA needed, matched, received, offered and delivered per type
    (the UNFCCC "support needed and received" table as bars)."""
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            y=alt.Y(**_enc(category, "N"), axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None)),
            yOffset=alt.YOffset(**_enc(measure, "N"), sort=list(measures)),
            x=alt.X(**_enc(value, "Q"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(**_enc(measure, "N"), sort=list(measures), legend=alt.Legend(title=None)),
            tooltip=_tips(table, tooltip),
        )
    )


RATE_COLUMNS = {
    "implementation_rate": "dash.implementation_rate", "score": "dash.score", "score_mandatory": "dash.score_mandatory",
    "responding": "dash.responding", "answered": "dash.answered", "unknown": "dash.unknown",
    "not_applicable": "dash.not_applicable", "by_choice": "dash.by_choice",
}


def rates_figure(rates: pl.DataFrame, unit: str, lang: str) -> tuple[alt.Chart, pl.DataFrame]:
    """The implementation rate per chapter or article (`unit`) as bars, from `scoring.implementation`'s
    frame at that level, with the table behind it (headed in `lang`, rates rounded to 2 decimals for
    reading): the implementation dashboard's "by chapter" figure, the thematic report's per article."""
    name = t(f"dash.{unit}", lang)
    table = rates.select(
        pl.format("{}. {}", unit, f"{unit}_title").alias(name),
        *[pl.col(c).alias(t(key, lang)) for c, key in RATE_COLUMNS.items() if c in rates.columns],
    ).with_columns(pl.col(pl.Float64).round(2))
    chart = bars(table, name, t("dash.implementation_rate", lang), tooltip=table.columns, sort=table[name].to_list())
    return chart, table


def needs_figure(counts: pl.DataFrame, by: str, lang: str, *, column_order: Sequence[str] | None = None
                 ) -> tuple[alt.Chart, pl.DataFrame]:
    """TA needs or challenges (`gaps.needs_counts`' frame) counted per type x chapter (`by`
    "chapter") or x regional group ("region"), as a heatmap with the count in each cell, with the
    table behind it: the needs dashboard's figures, and the session reports' for their chapter."""
    key = {"chapter": "chapter", "region": "region_name"}[by]
    kind, where, count = t("needs.type", lang), t(f"dash.{by}", lang), t("dash.count", lang)
    table = totals(counts, ["type_label", key], ["mentions"]).select(
        pl.col("type_label").alias(kind), pl.col(key).alias(where), pl.col("mentions").alias(count))
    chart = counts_heatmap(table, kind, where, count, tooltip=table.columns, column_order=column_order)
    return chart, table
