"""Change between two cycles: per Party and provision, improved, unchanged or regressed.

Two cycles compare on the provisions and Parties they share, both answered with a scored status;
anything else is 'not_comparable' (not applicable, an option not used, or unanswered in either),
never a change. Cycles on two versions of one questionnaire compare through the later version's
map of the earlier one's provisions (`Questionnaire.provision_map`): an article answered whole in
1.0 and split into paragraphs in 1.1 compares its one earlier answer with each later paragraph.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from review.access import Actor
from review.analysis.scope import CycleInfo, Source, View, viewing
from review.errors import ReviewError
from review.i18n import t

CHANGES = ("improved", "unchanged", "regressed", "not_comparable")


class SameCycle(ReviewError):
    """A cycle compared with itself: `review change --from X --to X`, or the page's two pickers on one cycle."""


def cycle_change(source: Source | View, actor: Actor, before: str, after: str, *, published_only: bool = False,
                 lang: str = "en") -> pl.DataFrame:
    """One row per Party x provision seen in both cycles: party, party_name, region, region_name,
    provision_id, ref, article, article_title, chapter, chapter_title, status_before, status_after,
    status_before_label, status_after_label, score_before, score_after, change, change_label,
    provision_id_before (the earlier cycle's provision compared; another id only across versions).
    A cycle compared with itself is refused (every row would be 'unchanged'), naming the option."""
    if before == after:
        raise SameCycle("pol3.change.same_cycle", cycle=after)
    with viewing(source, actor, [before, after], published_only=published_only, lang=lang) as v:
        infos = {c.id: c for c in v.cycles}
        v.cur.register("incoming", provision_pairs(infos[before], infos[after]))
        v.cur.execute("CREATE OR REPLACE TEMP TABLE provision_pair AS FROM incoming")
        v.cur.unregister("incoming")
        df = v.sql(
            "SELECT d.party, d.party_name, d.region, d.region_name, p.provision_id, p.ref, p.article, p.article_title, "
            "  p.chapter, p.chapter_title, b.status AS status_before, a.status AS status_after, "
            "  sb.status_label AS status_before_label, sa.status_label AS status_after_label, "
            "  b.score AS score_before, a.score AS score_after, "
            "  CASE WHEN NOT (a.applicable AND b.applicable) THEN 'not_comparable' "
            "       WHEN a.score > b.score THEN 'improved' WHEN a.score < b.score THEN 'regressed' "
            "       ELSE 'unchanged' END AS change "
            "  , b.provision_id AS provision_id_before "
            "FROM grid b JOIN provision_pair m ON m.before_id = b.provision_id "
            "JOIN grid a ON a.cycle_id = $after AND b.cycle_id = $before "
            "  AND a.party = b.party AND a.provision_id = m.after_id "
            "JOIN dim_provision p ON p.cycle_id = a.cycle_id AND p.provision_id = a.provision_id "
            "JOIN dim_party d ON d.party = a.party "
            "LEFT JOIN dim_status sb ON sb.cycle_id = b.cycle_id AND sb.status = b.status "
            "LEFT JOIN dim_status sa ON sa.cycle_id = a.cycle_id AND sa.status = a.status "
            "ORDER BY d.party_name, p.ord, b.provision_id",
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


def provision_pairs(before: CycleInfo, after: CycleInfo) -> pa.Table:
    """Which provision of the earlier cycle each provision of the later one is compared with: the
    same id on one questionnaire version; across versions of one questionnaire, the later
    version's map of the earlier one (one to many where a provision was split), read backwards
    when the first cycle is on the later version; across different questionnaires, shared ids."""
    early, late = before.questionnaire, after.questionnaire
    if early.id == late.id and early.version != late.version and early.version in late.maps_from:
        pairs = {(old, new) for old, targets in late.provision_map(early.version, early).items() for new in targets}
    elif early.id == late.id and early.version != late.version and late.version in early.maps_from:
        pairs = {(new, old) for old, targets in early.provision_map(late.version, late).items() for new in targets}
    else:
        pairs = {(p.id, p.id) for p in early.provisions()}
    pairs = sorted(pairs)
    return pa.table({"before_id": [a for a, _ in pairs], "after_id": [b for _, b in pairs]},
                    schema=pa.schema([("before_id", pa.string()), ("after_id", pa.string())]))
