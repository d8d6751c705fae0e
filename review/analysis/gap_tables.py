"""The rows `review gap` exports: one table per grouping, labels not codes, scores 0..1 or null.

Fields (JSON keys and column headers), as docs/analysis.md lists them:
- party: party, party_code, region, state, score, score_mandatory, implementation_rate, answered,
  scored, unknown, not_applicable, by_choice;
- article: article, article_title, chapter, implementation_rate, score, score_mandatory,
  responding, parties, unknown, not_applicable, by_choice;
- chapter: chapter, chapter_title, then as for article;
- region: region, region_code, then as for article.
"""

from __future__ import annotations

import polars as pl

from review.access import Actor
from review.analysis.scope import Source
from review.analysis.scoring import implementation, party_scores
from review import formats
from review.errors import ReviewError
from review.i18n import t

GROUPINGS = ("party", "article", "chapter", "region")
SCORES = ("score", "score_mandatory", "implementation_rate")
_ACROSS = ["implementation_rate", "score", "score_mandatory", "responding", "parties", "unknown", "not_applicable", "by_choice"]


def gap_table(source: Source, actor: Actor, by: str = "party", cycle_id: str | None = None, *,
              published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """The export rows for one grouping (see the module docstring for the columns)."""
    if by not in GROUPINGS:
        raise ReviewError("analysis.bad_by", value=by, allowed=", ".join(GROUPINGS))
    options = {"published_only": published_only, "lang": lang}
    if by == "party":
        df = party_scores(source, actor, cycle_id, **options)
        df = df.with_columns(formats.column(df["state"], lambda s: t(f"states.{s}", lang)))
        df = df.select(pl.col("party_name").alias("party"), pl.col("party").alias("party_code"),
                       pl.col("region_name").alias("region"), "state", *SCORES, "answered", "scored", "unknown",
                       "not_applicable", "by_choice")
    elif by == "article":
        df = implementation(source, actor, cycle_id, "article", **options)
        df = df.select("article", "article_title", pl.col("chapter"), *_ACROSS)
    elif by == "chapter":
        df = implementation(source, actor, cycle_id, "chapter", **options)
        df = df.select("chapter", "chapter_title", *_ACROSS)
    else:
        df = implementation(source, actor, cycle_id, "cycle", by="region", **options)
        df = df.select(pl.col("group_name").alias("region"), pl.col("group").alias("region_code"), *_ACROSS)
    return df.with_columns(pl.col(c).round(4) for c in SCORES)
