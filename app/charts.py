"""The dashboards' Altair charts, built from tables the library computed (already labelled).

Charts only draw: every figure they show is a column of the table passed in, which the page also
shows and offers for download. Scores are 0 to 1 and drawn on one fixed scale everywhere, so the
same colour means the same score on the heatmap, the map and the profile.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Sequence

import altair as alt
import polars as pl
import vl_convert

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


def png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart (an Altair chart or a finished Vega-Lite spec) as a PNG, rendered offline by
    vl-convert (no browser, no network)."""
    spec = json.dumps(chart) if isinstance(chart, dict) else chart.to_json()
    return vl_convert.vegalite_to_png(spec, scale=scale)


def heatmap(table: pl.DataFrame, row: str, column: str, value: str, *, row_order: Sequence[str],
            column_order: Sequence[str], tooltip: Sequence[str], select: Sequence[str] = ()) -> alt.Chart:
    """A score per cell (Parties x articles, say); cells without a score stay grey."""
    selection = alt.selection_point(name="cell", fields=list(select)) if select else None
    chart = (
        alt.Chart(table)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(f"{column}:N", sort=list(column_order), axis=alt.Axis(orient="top", labelAngle=0, labelOverlap=False)),
            y=alt.Y(f"{row}:N", sort=list(row_order), axis=alt.Axis(labelOverlap=False, labelLimit=LABEL_LIMIT)),
            color=alt.condition(f"isValid(datum['{value}'])", alt.Color(f"{value}:Q", scale=SCORE_SCALE), alt.value(NO_DATA)),
            tooltip=list(tooltip),
        )
        .properties(width=alt.Step(CELL * 2), height=alt.Step(CELL))
    )
    if selection is not None:
        chart = chart.add_params(selection).encode(opacity=alt.condition(selection, alt.value(1), alt.value(0.35)))
    return chart


def bars(table: pl.DataFrame, category: str, value: str, *, tooltip: Sequence[str], color: str | None = None,
         domain: Sequence[float] | None = (0, 1), sort: Sequence[str] | None = None, select: Sequence[str] = ()) -> alt.Chart:
    """Horizontal bars, one per category (stacked by `color` when given)."""
    x = alt.X(f"{value}:Q", scale=alt.Scale(domain=list(domain)) if domain else alt.Undefined)
    y = alt.Y(f"{category}:N", sort=list(sort) if sort is not None else "-x", axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None))
    encoding = dict(x=x, y=y, tooltip=list(tooltip))
    if color:
        encoding["color"] = alt.Color(f"{color}:N")
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
            y=alt.Y(f"{category}:N", sort=list(sort) if sort is not None else alt.Undefined,
                    axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None)),
            yOffset=alt.YOffset(f"{group}:N"),
            x=alt.X(f"{value}:Q", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(f"{group}:N"),
            tooltip=list(tooltip),
        )
    )


def counts_heatmap(table: pl.DataFrame, row: str, column: str, value: str, *, tooltip: Sequence[str],
                   row_order: Sequence[str] | None = None, column_order: Sequence[str] | None = None) -> alt.Chart:
    """Counts per cell (TA needs by type and chapter, say), with the count written in the cell."""
    base = alt.Chart(table).encode(
        x=alt.X(f"{column}:N", sort=list(column_order) if column_order else alt.Undefined, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y(f"{row}:N", sort=list(row_order) if row_order else alt.Undefined, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
    )
    cells = base.mark_rect().encode(color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="oranges")), tooltip=list(tooltip))
    labels = base.mark_text(fontSize=10).encode(text=alt.Text(f"{value}:Q"))
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
        .transform_lookup(lookup="id", from_=alt.LookupData(data=alt.Data(name=SCORES), key=iso, fields=list(fields)))
        .transform_filter(f"isValid(datum['{value}'])")
        .encode(color=alt.Color(f"{value}:Q", scale=SCORE_SCALE), tooltip=list(tooltip))
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
            y=alt.Y(f"{category}:N", axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None)),
            yOffset=alt.YOffset(f"{measure}:N", sort=list(measures)),
            x=alt.X(f"{value}:Q", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{measure}:N", sort=list(measures), legend=alt.Legend(title=None)),
            tooltip=list(tooltip),
        )
    )
