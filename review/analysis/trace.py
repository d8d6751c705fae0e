"""Traceability: for any figure, the answers it was computed from.

Every aggregate is computed from the `grid` (one row per Party x provision); `trace` returns the
rows of the grid behind one cell, selected by the same keys the aggregate grouped on.
"""

from __future__ import annotations

import polars as pl

from review.access import Actor
from review.analysis.scope import Source, View, viewing


def trace(source: Source | View, actor: Actor, cycle_id: str | None = None, *, party: str | None = None,
          provision_id: str | None = None, article: int | None = None, chapter: str | None = None,
          region: str | None = None, category: str | None = None, mandatory_only: bool = False,
          published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """The Party x provision rows behind a cell: party, party_name, region_name, provision_id, ref,
    article, chapter, obligation_label, weight, status, status_label (empty when unknown), score,
    counted ('scored', 'not_applicable', 'by_choice' or 'unknown'), legislation_count, origin. `category` is
    ldc, lldc, sids or other."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        return v.sql(
            "SELECT d.party, d.party_name, d.region_name, p.provision_id, p.ref, p.article, p.chapter, "
            "  p.obligation_label, p.weight, g.status, coalesce(ds.status_label, '') AS status_label, g.score, "
            "  CASE WHEN g.unknown THEN 'unknown' WHEN g.not_applicable THEN 'not_applicable' WHEN g.by_choice THEN 'by_choice' "
            "  ELSE 'scored' END AS counted, "
            "  g.legislation_count, s.origin "
            "FROM grid g JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
            "JOIN seen_submission s USING (cycle_id, party) "
            "LEFT JOIN dim_status ds ON ds.cycle_id = g.cycle_id AND ds.status = g.status "
            "WHERE ($party IS NULL OR d.party = $party) AND ($provision IS NULL OR p.provision_id = $provision) "
            "  AND ($article IS NULL OR p.article = $article) AND ($chapter IS NULL OR p.chapter = $chapter) "
            "  AND ($region IS NULL OR d.region = $region) AND (NOT $mandatory OR p.mandatory) "
            "  AND ($category IS NULL OR ($category = 'ldc' AND d.ldc) OR ($category = 'lldc' AND d.lldc) "
            "       OR ($category = 'sids' AND d.sids) OR ($category = 'other' AND NOT (d.ldc OR d.lldc OR d.sids))) "
            "ORDER BY d.party_name, p.ord",
            {"party": party, "provision": provision_id, "article": article, "chapter": chapter, "region": region,
             "category": category, "mandatory": mandatory_only},
        )
