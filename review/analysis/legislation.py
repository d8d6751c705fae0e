"""The legislation library: every law or measure cited in the answers the viewer may see.

Like UNODC's TRACK legal library, searchable by article, Party, regional group, year and words in
the title. Rows come from the legislation tables of answers (see `scope.question_roles`).
"""

from __future__ import annotations

from typing import Sequence

import polars as pl

from review.access import Actor
from review.analysis.scope import Source, View, all_cycle_ids, viewing

COLUMNS = ("cycle_id", "party", "party_name", "region", "region_name", "provision_id", "ref", "article",
           "article_title", "chapter", "chapter_title", "status", "title", "provision_cited", "year", "law_status",
           "link")


def legislation_library(source: Source | View, actor: Actor, cycle_id: str | None = None, *, article: int | None = None,
                        party: str | None = None, region: str | None = None, year: int | tuple[int, int] | None = None,
                        words: str | None = None, all_cycles: bool = False, published_only: bool = False,
                        lang: str = "en") -> pl.DataFrame:
    """Cited legislation, one row per law per provision: cycle_id, party, party_name, region,
    region_name, provision_id, ref, article, article_title, chapter, chapter_title, status (label of
    the provision's status), title, provision_cited, year, law_status, link. `year` is one year or an
    inclusive (first, last) range; `words` must all appear in the title (any case). With
    `all_cycles`, every cycle's answers (newest cycle first), else the one cycle's."""
    first, last = (year, year) if isinstance(year, int) else (year or (None, None))
    terms: Sequence[str] = [w.lower() for w in (words or "").split() if w]
    cycle_ids = all_cycle_ids(source) if all_cycles else [cycle_id]
    with viewing(source, actor, cycle_ids, published_only=published_only, lang=lang) as v:
        df = v.sql(
            "SELECT a.cycle_id, d.party, d.party_name, d.region, d.region_name, p.provision_id, p.ref, p.article, "
            "  p.article_title, p.chapter, p.chapter_title, ds.status_label AS status, law->>'title' AS title, "
            "  law->>'provision_cited' AS provision_cited, TRY_CAST(law->>'year' AS INTEGER) AS year, "
            "  law->>'status' AS law_status, law->>'link' AS link, p.ord "
            "FROM (SELECT *, unnest(from_json(value, '[\"JSON\"]')) AS law FROM seen_answer "
            f"      WHERE question_id IN {v.questions('legislation')}) a "
            "JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
            "JOIN grid g USING (cycle_id, party, provision_id) "
            "LEFT JOIN dim_status ds ON ds.cycle_id = g.cycle_id AND ds.status = g.status "
            "WHERE ($article IS NULL OR p.article = $article) AND ($party IS NULL OR d.party = $party) "
            "  AND ($region IS NULL OR d.region = $region) "
            "  AND ($first IS NULL OR TRY_CAST(law->>'year' AS INTEGER) BETWEEN $first AND $last) "
            "  AND coalesce(list_bool_and(list_transform($terms::VARCHAR[], lambda w: contains(lower(law->>'title'), w))), TRUE) "
            "ORDER BY a.cycle_id DESC, d.party_name, p.ord, title",
            {"article": article, "party": party, "region": region, "first": first, "last": last, "terms": list(terms)},
        )
        labels = v.code_labels("legislation_status")
    return df.with_columns(pl.col("law_status").replace_strict(labels, default=pl.col("law_status"),
                                                               return_dtype=pl.String)).drop("ord")
