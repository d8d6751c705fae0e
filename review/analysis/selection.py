"""Narrowing analysis tables the way the dashboards' filters do, after the library computed them.

The figures themselves come from `scoring`, `gaps` and the rest; these helpers only keep the rows
of some chapters, regional groups or development categories, order Parties, and add up counts,
so no page needs to know the tables' columns to filter them.
"""

from __future__ import annotations

from typing import Sequence

import polars as pl


def restrict(table: pl.DataFrame, *, chapters: Sequence[str] = (), regions: Sequence[str] = (),
             categories: Sequence[str] = ()) -> pl.DataFrame:
    """Rows in any of `chapters`, any of `regions` and any of `categories` (ldc, lldc, sids); an
    empty choice keeps everything. Columns a table lacks are not filtered on."""
    if chapters and "chapter" in table.columns:
        table = table.filter(pl.col("chapter").is_in(list(chapters)))
    if regions and "region" in table.columns:
        table = table.filter(pl.col("region").is_in(list(regions)))
    wanted = [c for c in categories if c in table.columns]
    if wanted:
        table = table.filter(pl.any_horizontal([pl.col(c) for c in wanted]))
    return table


def party_order(table: pl.DataFrame, by: str = "score") -> list[str]:
    """Party names in the order a ratings table lists them: by mean score of the rows shown
    (highest first, unscored last) or by name."""
    if table.is_empty():
        return []
    if by == "name":
        return sorted(table["party_name"].unique().to_list())
    means = table.group_by("party_name").agg(pl.col("score").mean().alias("mean"))
    return means.sort(["mean", "party_name"], descending=[True, False], nulls_last=True)["party_name"].to_list()


def totals(table: pl.DataFrame, keys: Sequence[str], measures: Sequence[str]) -> pl.DataFrame:
    """Counts added up over everything but `keys` (TA needs by type and chapter, say)."""
    return table.group_by(list(keys)).agg([pl.col(m).sum() for m in measures]).sort(list(keys))
