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
from review.i18n import t

STEPS_QUESTION = "steps_needed"
NEED_KINDS = ("ta", "challenge", "received")
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


def ta_received_rows(v: View, party: str | None = None) -> pl.DataFrame:
    """Each row of technical assistance already received in the view: party columns, provision
    columns, type (null when the Party did not say), type_label, provider, year, row_id."""
    df = v.sql(
        f"SELECT a.cycle_id, {_PARTY}, {_PROVISION}, p.ord, n->>'type' AS type, n->>'provider' AS provider, "
        "  TRY_CAST(n->>'year' AS INTEGER) AS year, n->>'_row' AS row_id "
        "FROM (SELECT *, unnest(from_json(value, '[\"JSON\"]')) AS n FROM seen_answer "
        f"      WHERE question_id IN {v.questions('ta_received')}) a "
        "JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
        "WHERE $party IS NULL OR d.party = $party ORDER BY d.party_name, p.ord", {"party": party}
    )
    labels = v.code_labels("ta_type")
    unsaid = t("scoring.received.type_not_given", v.lang)
    return df.with_columns(pl.col("type").replace_strict(labels, default=pl.col("type"), return_dtype=pl.String)
                           .fill_null(unsaid).alias("type_label"))


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
    """Each TA need (kind 'ta': type, type_label, priority, priority_label, description, row_id),
    challenge ('challenge': type, type_label) or assistance received ('received': type, type_label,
    provider, year, row_id) the viewer may see, with the party and provision columns; one Party's
    only with `party` (refused if the viewer may not see it)."""
    if kind not in NEED_KINDS:
        raise ReviewError("analysis.bad_kind", value=kind, allowed=", ".join(NEED_KINDS))
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        if party is not None:
            require_seen(v, party)
        rows = _kind_rows(v, kind, party)
    return rows.drop("ord")


def _kind_rows(v: View, kind: str, party: str | None = None) -> pl.DataFrame:
    return {"ta": ta_need_rows, "challenge": challenge_rows, "received": ta_received_rows}[kind](v, party)


def needs_counts(source: Source | View, actor: Actor, cycle_id: str | None = None, kind: str = "ta", *,
                 published_only: bool = False, lang: str = "en") -> pl.DataFrame:
    """TA needs (kind 'ta'), challenges ('challenge') or assistance received ('received') counted by
    type x chapter x regional group: type, type_label, chapter, chapter_title, region, region_name,
    mentions, parties."""
    if kind not in NEED_KINDS:
        raise ReviewError("analysis.bad_kind", value=kind, allowed=", ".join(NEED_KINDS))
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        rows = _kind_rows(v, kind)
    return (rows.group_by("type", "type_label", "chapter", "chapter_title", "region", "region_name")
            .agg(pl.len().cast(pl.Int32).alias("mentions"), pl.col("party").n_unique().cast(pl.Int32).alias("parties"),
                 pl.col("ord").min().alias("ord"))
            .sort("type_label", "ord", "region").drop("ord"))


def mark_met(needs: pl.DataFrame, received: pl.DataFrame) -> pl.DataFrame:
    """`needs` (rows of `ta_need_rows`) with `met`: whether the same Party recorded assistance of the
    same type received on the same provision (a need already being met), and `received_from`: those
    providers, "provider (year)", in the order the Party entered them."""
    given = (received.filter(pl.col("type").is_not_null())
             .with_columns(pl.concat_str([pl.col("provider"), pl.format(" ({})", "year")], ignore_nulls=True).alias("from"))
             .group_by("cycle_id", "party", "provision_id", "type", maintain_order=True)
             .agg(pl.col("from").alias("received_from")))
    return (needs.join(given, on=["cycle_id", "party", "provision_id", "type"], how="left")
            .with_columns(pl.col("received_from").is_not_null().alias("met"),
                          pl.col("received_from").fill_null([])))


COUNT_KEYS = ("type", "type_label", "chapter", "chapter_title", "region", "region_name")


def needed_received(source: Source | View, actor: Actor, cycle_id: str | None = None, *, published_only: bool = False,
                    lang: str = "en") -> pl.DataFrame:
    """TA needed beside TA already received, by type x chapter x regional group: type, type_label,
    chapter, chapter_title, region, region_name, needed (need rows), received (assistance rows),
    met (needs the same Party already receives assistance of that type for, on the same
    provision), parties_needing, parties_receiving. Assistance received with no type given counts
    under its own label; it meets no need (a need is met by assistance of its own type)."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        needs, received = ta_need_rows(v), ta_received_rows(v)
    needs = mark_met(needs, received)
    need_counts = needs.group_by(COUNT_KEYS).agg(
        pl.len().cast(pl.Int32).alias("needed"), pl.col("met").sum().cast(pl.Int32).alias("met"),
        pl.col("party").n_unique().cast(pl.Int32).alias("parties_needing"), pl.col("ord").min().alias("ord_n"))
    got_counts = received.group_by(COUNT_KEYS).agg(
        pl.len().cast(pl.Int32).alias("received"), pl.col("party").n_unique().cast(pl.Int32).alias("parties_receiving"),
        pl.col("ord").min().alias("ord_r"))
    both = need_counts.join(got_counts, on=list(COUNT_KEYS), how="full", coalesce=True, nulls_equal=True)
    zeros = [pl.col(c).fill_null(0) for c in ("needed", "met", "parties_needing", "received", "parties_receiving")]
    return (both.with_columns(*zeros, pl.min_horizontal("ord_n", "ord_r").alias("ord"))
            .sort("type_label", "ord", "region").select(*COUNT_KEYS, "needed", "received", "met", "parties_needing",
                                                         "parties_receiving"))


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
