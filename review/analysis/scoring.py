"""Scores and implementation rates: per Party, per provision, article and chapter, and across Parties.

The scoring (docs/analysis.md): a status scores what its code list says (implemented 1, partly
0.5, not 0); a status without a score (not applicable; an option not used or a measure considered
and not adopted, counted apart as `by_choice`) is left out; an unanswered provision is
`unknown`, counted apart and never as 0. A Party's score over a set of provisions is the mean of
its scored answers weighted by the obligation's `weight`; the mandatory score is the plain mean
over mandatory provisions. Across Parties, a unit's score and implementation rate are the means
of the responding Parties' own (a Party responds on a unit when it scored at least one of its
provisions), so every responding Party counts once.
"""

from __future__ import annotations

import polars as pl

from review.access import Actor
from review.analysis.scope import Source, View, require_seen, viewing
from review.errors import ReviewError
from review.i18n import t

LEVELS = ("provision", "article", "chapter", "cycle")
GROUPINGS = (None, "region", "category")
UNIT_COLUMNS = {
    "provision": ("provision_id", "ref", "article", "article_title", "chapter", "chapter_title", "obligation",
                  "obligation_label", "ord"),
    "article": ("article", "article_title", "chapter", "chapter_title"),
    "chapter": ("chapter", "chapter_title"),
    "cycle": (),
}
PARTY_COLUMNS = ("party", "party_name", "region", "region_name", "ldc", "lldc", "sids")
MEASURES = ("score", "score_mandatory", "implementation_rate", "assessed", "answered", "scored", "unknown",
            "not_applicable", "by_choice", "implemented", "partly", "not_implemented")
CATEGORY_CODES = ("ldc", "lldc", "sids", "other")


def _check(level: str, by: str | None = None) -> None:
    if level not in LEVELS:
        raise ReviewError("analysis.bad_level", value=level, allowed=", ".join(LEVELS))
    if by not in GROUPINGS:
        raise ReviewError("analysis.bad_grouping", value=by, allowed="region, category")


UNIT_KEY = {"provision": ("provision_id",), "article": ("article",), "chapter": ("chapter",), "cycle": ()}


def party_unit_sql(level: str) -> str:
    """One row per seen Party x unit of `level`, with its score and counts (an SQL query).

    The grid is grouped on narrow keys first; labels are joined on the (few) groups after."""
    key = UNIT_KEY[level]
    key_select = "".join(f"p.{c}, " for c in key)
    status = "any_value(g.status) AS status, " if level == "provision" else ""
    grouped = (
        f"SELECT g.cycle_id, g.party, {key_select}{status}min(p.ord) AS unit_ord, "
        "  sum(p.weight * g.score) FILTER (WHERE g.applicable AND p.weight > 0) "
        "    / nullif(sum(p.weight) FILTER (WHERE g.applicable AND p.weight > 0), 0) AS score, "
        "  avg(g.score) FILTER (WHERE g.applicable AND p.mandatory) AS score_mandatory, "
        "  avg(CASE WHEN g.score >= 1 THEN 1.0 ELSE 0.0 END) FILTER (WHERE g.applicable) AS implementation_rate, "
        "  count(*)::INTEGER AS assessed, "
        "  count(*) FILTER (WHERE NOT g.unknown)::INTEGER AS answered, "
        "  count(*) FILTER (WHERE g.applicable)::INTEGER AS scored, "
        "  count(*) FILTER (WHERE g.unknown)::INTEGER AS unknown, "
        "  count(*) FILTER (WHERE g.not_applicable)::INTEGER AS not_applicable, "
        "  count(*) FILTER (WHERE g.by_choice)::INTEGER AS by_choice, "
        "  count(*) FILTER (WHERE g.score >= 1)::INTEGER AS implemented, "
        "  count(*) FILTER (WHERE g.score > 0 AND g.score < 1)::INTEGER AS partly, "
        "  count(*) FILTER (WHERE g.score = 0)::INTEGER AS not_implemented "
        "FROM grid g JOIN dim_provision p USING (cycle_id, provision_id) "
        f"GROUP BY g.cycle_id, g.party{''.join(f', p.{c}' for c in key)}"
    )
    labels = [c for c in UNIT_COLUMNS[level] if c not in key]
    units = (f"JOIN (SELECT DISTINCT cycle_id, {', '.join(key + tuple(labels))} FROM dim_provision) un "
             f"USING (cycle_id, {', '.join(key)}) " if labels else "")
    unit_select = "".join(f"u.{c}, " for c in key) + "".join(f"un.{c}, " for c in labels if c != "ord")
    if level == "provision":
        unit_select += "un.ord, u.status, "
    return (
        f"SELECT u.cycle_id, {unit_select}{', '.join('d.' + c for c in PARTY_COLUMNS)}, s.state, u.unit_ord, "
        f"{', '.join('u.' + m for m in MEASURES)} "
        f"FROM ({grouped}) u {units}JOIN dim_party d ON d.party = u.party "
        "JOIN seen_submission s ON s.cycle_id = u.cycle_id AND s.party = u.party"
    )


def party_scores(source: Source | View, actor: Actor, cycle_id: str | None = None, *, published_only: bool = False,
                 lang: str = "en") -> pl.DataFrame:
    """One row per Party the viewer sees: party, party_name, region, region_name, ldc, lldc, sids,
    state, score, score_mandatory, implementation_rate, assessed, answered, scored, unknown,
    not_applicable, by_choice (options not used, measures considered and not adopted), implemented,
    partly, not_implemented."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        return v.sql(f"SELECT * EXCLUDE (unit_ord) FROM ({party_unit_sql('cycle')}) ORDER BY party_name")


def consolidated(source: Source | View, actor: Actor, cycle_id: str | None = None, level: str = "article", *,
                 published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """The consolidated table in long form, one row per Party x unit (provision, article or chapter):
    the unit's columns, the Party's columns, state, the measures (score, score_mandatory,
    implementation_rate, counts) and, at provision level, status and status_label."""
    _check(level)
    if level == "cycle":
        raise ReviewError("analysis.bad_level", value=level, allowed="provision, article, chapter")
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        query = party_unit_sql(level)
        if level == "provision":
            query = (f"SELECT u.* EXCLUDE (status), u.status, ds.status_label FROM ({query}) u "
                     "LEFT JOIN dim_status ds ON ds.cycle_id = u.cycle_id AND ds.status = u.status")
        return v.sql(f"SELECT * FROM ({query}) ORDER BY unit_ord, party_name").drop("unit_ord")


def consolidated_wide(table: pl.DataFrame, level: str = "article", value: str = "score") -> pl.DataFrame:
    """Parties x units, like a ratings table: one row per Party, one column per unit."""
    key = {"provision": "ref", "article": "article", "chapter": "chapter"}[level]
    if table.is_empty():
        return pl.DataFrame({"party_name": []}, schema={"party_name": pl.String})
    order = table.unique(key, maintain_order=True)[key].cast(pl.String).to_list()
    wide = table.with_columns(pl.col(key).cast(pl.String)).pivot(
        on=key, index=["party", "party_name", "region_name"], values=value, aggregate_function="first"
    )
    return wide.select(["party", "party_name", "region_name", *order]).sort("party_name")


def _group_sql(by: str | None) -> tuple[str, str, str]:
    """(extra FROM clause, group column expression, group name) for a breakdown."""
    if by == "region":
        return "", "pu.region", "pu.region_name"
    if by == "category":
        return (" JOIN (SELECT unnest(['ldc', 'lldc', 'sids', 'other']) AS category) c ON "
                "(c.category = 'ldc' AND pu.ldc) OR (c.category = 'lldc' AND pu.lldc) OR (c.category = 'sids' AND pu.sids) "
                "OR (c.category = 'other' AND NOT (pu.ldc OR pu.lldc OR pu.sids))", "c.category", "c.category")
    return "", "", ""


def implementation(source: Source | View, actor: Actor, cycle_id: str | None = None, level: str = "article",
                   by: str | None = None, *, published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """Across the Parties the viewer sees, one row per unit of `level` (and per regional group or
    development category with `by`): the unit's columns, [group, group_name], parties, responding,
    implementation_rate, score, score_mandatory, answered, unknown, not_applicable, by_choice."""
    _check(level, by)
    extra, group, group_name = _group_sql(by)
    units = [f"pu.{c}" for c in UNIT_COLUMNS[level] if c != "ord"]
    keys = ["pu.cycle_id", *units] + ([f'{group} AS "group"', f"{group_name} AS group_name"] if by else [])
    order = 'unit_ord, "group"' if by else "unit_ord"
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        df = v.sql(
            f"SELECT {', '.join(keys)}, count(*)::INTEGER AS parties, "
            "  count(*) FILTER (WHERE pu.scored > 0)::INTEGER AS responding, "
            "  avg(pu.implementation_rate) AS implementation_rate, avg(pu.score) AS score, "
            "  avg(pu.score_mandatory) AS score_mandatory, sum(pu.answered)::INTEGER AS answered, "
            "  sum(pu.unknown)::INTEGER AS unknown, sum(pu.not_applicable)::INTEGER AS not_applicable, "
            "  sum(pu.by_choice)::INTEGER AS by_choice, "
            "  min(pu.unit_ord) AS unit_ord "
            f"FROM ({party_unit_sql(level)}) pu{extra} GROUP BY ALL ORDER BY {order}"
        ).drop("unit_ord")
    if by == "category":
        df = df.with_columns(pl.col("group").replace_strict(
            {c: t(f"categories.{c}" if c != "other" else "analysis.category_other", lang) for c in CATEGORY_CODES},
            return_dtype=pl.String).alias("group_name"))
    return df


def chapter_comparison(source: Source | View, actor: Actor, party: str, cycle_id: str | None = None, *,
                       published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """A Party's score per chapter beside its regional group's and all responding Parties' means
    (for the country profile): chapter, chapter_title, score, score_mandatory, implementation_rate,
    region_score, all_score, unknown. Refused for a Party the viewer may not see."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        require_seen(v, party)
        return v.sql(
            f"WITH pu AS ({party_unit_sql('chapter')}), "
            "mine AS (SELECT * FROM pu WHERE party = $party) "
            "SELECT m.chapter, m.chapter_title, m.score, m.score_mandatory, m.implementation_rate, "
            "  (SELECT avg(score) FROM pu WHERE pu.chapter = m.chapter AND pu.region = m.region) AS region_score, "
            "  (SELECT avg(score) FROM pu WHERE pu.chapter = m.chapter) AS all_score, m.unknown "
            "FROM mine m ORDER BY m.unit_ord",
            {"party": party},
        )
