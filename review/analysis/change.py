"""Change between two cycles: per Party and provision, improved, unchanged or regressed.

Two cycles compare on the provisions and Parties they share, both answered with a scored status;
anything else is 'not_comparable' (not applicable or unanswered in either), never a change.
"""

from __future__ import annotations

import polars as pl

from review.access import Actor
from review.analysis.scope import Source, View, viewing
from review.i18n import t

CHANGES = ("improved", "unchanged", "regressed", "not_comparable")


def cycle_change(source: Source | View, actor: Actor, before: str, after: str, *, published_only: bool = False,
                 lang: str = "en") -> pl.DataFrame:
    """One row per Party x provision seen in both cycles: party, party_name, region, region_name,
    provision_id, ref, article, article_title, chapter, chapter_title, status_before, status_after,
    status_before_label, status_after_label, score_before, score_after, change, change_label."""
    with viewing(source, actor, [before, after], published_only=published_only, lang=lang) as v:
        df = v.sql(
            "SELECT d.party, d.party_name, d.region, d.region_name, p.provision_id, p.ref, p.article, p.article_title, "
            "  p.chapter, p.chapter_title, b.status AS status_before, a.status AS status_after, "
            "  sb.status_label AS status_before_label, sa.status_label AS status_after_label, "
            "  b.score AS score_before, a.score AS score_after, "
            "  CASE WHEN NOT (a.applicable AND b.applicable) THEN 'not_comparable' "
            "       WHEN a.score > b.score THEN 'improved' WHEN a.score < b.score THEN 'regressed' "
            "       ELSE 'unchanged' END AS change "
            "FROM grid b JOIN grid a ON a.cycle_id = $after AND b.cycle_id = $before "
            "  AND a.party = b.party AND a.provision_id = b.provision_id "
            "JOIN dim_provision p ON p.cycle_id = a.cycle_id AND p.provision_id = a.provision_id "
            "JOIN dim_party d ON d.party = a.party "
            "LEFT JOIN dim_status sb ON sb.cycle_id = b.cycle_id AND sb.status = b.status "
            "LEFT JOIN dim_status sa ON sa.cycle_id = a.cycle_id AND sa.status = a.status "
            "ORDER BY d.party_name, p.ord",
            {"before": before, "after": after},
        )
    labels = {c: t(f"analysis.change.{c}", lang) for c in CHANGES}
    return df.with_columns(pl.col("change").replace_strict(labels, return_dtype=pl.String).alias("change_label"))


def change_summary(changes: pl.DataFrame, by: str = "party") -> pl.DataFrame:
    """Counts of each kind of change per Party (by='party') or per chapter (by='chapter')."""
    keys = {"party": ["party", "party_name", "region_name"], "chapter": ["chapter", "chapter_title"],
            "article": ["article", "article_title"]}[by]
    return (changes.group_by(keys).agg([(pl.col("change") == c).sum().cast(pl.Int32).alias(c) for c in CHANGES])
            .sort(keys[0]))
