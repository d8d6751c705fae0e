"""Where help is needed: a Party's gap profile, TA needs and challenges, and the quality of evidence.

A gap is a mandatory provision a Party answered as not (fully) implemented; beside it go the TA it
asked for and the challenges it named there. Evidence is weak where "implemented" cites no
legislation, and missing where a provision is left unanswered.
"""

from __future__ import annotations

import polars as pl

from review.access import Actor
from review.analysis.scope import Source, View, require_seen, viewing
from review.errors import ReviewError

STEPS_QUESTION = "steps_needed"
NEED_KINDS = ("ta", "challenge")
_PROVISION = "p.provision_id, p.ref, p.article, p.article_title, p.chapter, p.chapter_title, p.obligation_label"
_PARTY = "d.party, d.party_name, d.region, d.region_name"


def _labelled(df: pl.DataFrame, column: str, labels: dict[str, str]) -> pl.DataFrame:
    return df.with_columns(pl.col(column).replace_strict(labels, default=pl.col(column), return_dtype=pl.String)
                           .alias(f"{column}_label"))


def ta_need_rows(v: View, party: str | None = None) -> pl.DataFrame:
    """Each TA need row in the view: party columns, provision columns, type, priority, description,
    row_id (the row's stable identity in its table)."""
    df = v.sql(
        f"SELECT a.cycle_id, {_PARTY}, {_PROVISION}, p.ord, n->>'type' AS type, n->>'priority' AS priority, "
        "  n->>'description' AS description, n->>'_row' AS row_id "
        "FROM (SELECT *, unnest(from_json(value, '[\"JSON\"]')) AS n FROM seen_answer "
        f"      WHERE question_id IN {v.questions('ta_needs')}) a "
        "JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
        "WHERE $party IS NULL OR d.party = $party ORDER BY d.party_name, p.ord", {"party": party}
    )
    return _labelled(_labelled(df, "type", v.code_labels("ta_type")), "priority", v.code_labels("priority"))


def challenge_rows(v: View, party: str | None = None) -> pl.DataFrame:
    """Each challenge named in the view: party columns, provision columns, challenge code and label."""
    df = v.sql(
        f"SELECT a.cycle_id, {_PARTY}, {_PROVISION}, p.ord, a.challenge AS type "
        "FROM (SELECT *, unnest(from_json(value, '[\"VARCHAR\"]')) AS challenge FROM seen_answer "
        f"      WHERE question_id IN {v.questions('challenges')}) a "
        "JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
        "WHERE $party IS NULL OR d.party = $party ORDER BY d.party_name, p.ord", {"party": party}
    )
    return _labelled(df, "type", v.code_labels("challenge"))


def gap_profile(source: Source | View, actor: Actor, party: str, cycle_id: str | None = None, *, include_unknown: bool = False,
                published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """The mandatory provisions `party` answered as partly or not implemented (and, with
    `include_unknown`, left unanswered): provision_id, ref, article, article_title, chapter,
    chapter_title, obligation_label, status, status_label, score, steps_needed, challenges (list of
    labels), ta_needs (list of "type (priority): description"). Refused for a Party the viewer may not see."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        require_seen(v, party)
        unknown = " OR g.unknown" if include_unknown else ""
        gaps = v.sql(
            f"SELECT {_PROVISION}, p.ord, g.status, coalesce(ds.status_label, '') AS status_label, g.score, "
            "  st.value->>'$' AS steps_needed "
            "FROM grid g JOIN dim_provision p USING (cycle_id, provision_id) "
            "LEFT JOIN dim_status ds ON ds.cycle_id = g.cycle_id AND ds.status = g.status "
            "LEFT JOIN seen_answer st ON st.cycle_id = g.cycle_id AND st.party = g.party AND st.provision_id = g.provision_id "
            f"  AND st.question_id = '{STEPS_QUESTION}' "
            f"WHERE g.party = ? AND p.mandatory AND ((g.applicable AND g.score < 1){unknown}) ORDER BY p.ord",
            [party],
        )
        needs = ta_need_rows(v, party)
        challenges = challenge_rows(v, party)
    needs = needs.with_columns(pl.concat_str(
        [pl.col("type_label"), pl.format(" ({})", "priority_label"), pl.format(": {}", "description")], ignore_nulls=True
    ).alias("need")).group_by("provision_id").agg(pl.col("need").alias("ta_needs"))
    named = challenges.group_by("provision_id").agg(pl.col("type_label").alias("challenges"))
    return (gaps.join(named, on="provision_id", how="left").join(needs, on="provision_id", how="left")
            .with_columns(pl.col("challenges").fill_null([]), pl.col("ta_needs").fill_null([]))
            .sort("ord").drop("ord"))


def needs_rows(source: Source | View, actor: Actor, cycle_id: str | None = None, kind: str = "ta", *,
               party: str | None = None, published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """Each TA need (kind 'ta': type, type_label, priority, priority_label, description, row_id) or challenge
    ('challenge': type, type_label) the viewer may see, with the party and provision columns; one
    Party's only with `party` (refused if the viewer may not see it)."""
    if kind not in NEED_KINDS:
        raise ReviewError("analysis.bad_kind", value=kind, allowed=", ".join(NEED_KINDS))
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        if party is not None:
            require_seen(v, party)
        rows = ta_need_rows(v, party) if kind == "ta" else challenge_rows(v, party)
    return rows.drop("ord")


def needs_counts(source: Source | View, actor: Actor, cycle_id: str | None = None, kind: str = "ta", *,
                 published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """TA needs (kind 'ta') or challenges ('challenge') counted by type x chapter x regional group:
    type, type_label, chapter, chapter_title, region, region_name, mentions, parties."""
    if kind not in NEED_KINDS:
        raise ReviewError("analysis.bad_kind", value=kind, allowed=", ".join(NEED_KINDS))
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        rows = ta_need_rows(v) if kind == "ta" else challenge_rows(v)
    return (rows.group_by("type", "type_label", "chapter", "chapter_title", "region", "region_name")
            .agg(pl.len().cast(pl.Int32).alias("mentions"), pl.col("party").n_unique().cast(pl.Int32).alias("parties"),
                 pl.col("ord").min().alias("ord"))
            .sort("type_label", "ord", "region").drop("ord"))


def evidence_issues(source: Source | View, actor: Actor, cycle_id: str | None = None, *, published_only: bool = False,
                    lang: str = "en") -> pl.DataFrame:
    """Each weak or missing piece of evidence: party columns, provision columns and issue
    ('no_legislation': implemented without any legislation cited; 'unknown': left unanswered)."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        return v.sql(
            f"SELECT g.cycle_id, {_PARTY}, {_PROVISION}, "
            "  CASE WHEN g.unknown THEN 'unknown' ELSE 'no_legislation' END AS issue "
            "FROM grid g JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
            "WHERE g.unknown OR (g.score >= 1 AND g.legislation_count = 0) ORDER BY d.party_name, p.ord"
        )


def evidence_quality(source: Source | View, actor: Actor, cycle_id: str | None = None, *, published_only: bool = False,
                     lang: str = "en") -> pl.DataFrame:
    """Per Party: party, party_name, region, region_name, assessed, implemented,
    implemented_without_legislation, share_without_legislation (of implemented; null if none), unknown."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        return v.sql(
            f"SELECT {_PARTY}, count(*)::INTEGER AS assessed, "
            "  count(*) FILTER (WHERE g.score >= 1)::INTEGER AS implemented, "
            "  count(*) FILTER (WHERE g.score >= 1 AND g.legislation_count = 0)::INTEGER AS implemented_without_legislation, "
            "  (count(*) FILTER (WHERE g.score >= 1 AND g.legislation_count = 0)) "
            "    / nullif(count(*) FILTER (WHERE g.score >= 1), 0) AS share_without_legislation, "
            "  count(*) FILTER (WHERE g.unknown)::INTEGER AS unknown "
            "FROM grid g JOIN dim_party d USING (party) GROUP BY ALL ORDER BY d.party_name"
        )
