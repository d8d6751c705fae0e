"""The thematic report of a session of the Conference: one chapter of a cycle across Parties.

Every figure comes from the analysis layer, computed as the dashboards compute it (nothing is
recomputed here): implementation rates per article (`scoring.implementation`, the implementation
dashboard's), their change from the previous comparable cycle (`change.cycle_change` and
`change.change_summary`, the change dashboard's), the challenges named (`gaps.needs_counts`, the
needs dashboard's), and the published TA needs and what was matched and delivered
(`matching.open_data.summary`, the public TA page's). Whose answers count is the viewer's scope
(`scope.viewer_scope`): the secretariat's working answers, a Party's own plus the public ones, or the
published answers for everyone else. Good practices are the Parties' examples of implementation
taken from PUBLISHED answers only, whoever reads, and printed as the Parties wrote them.

`regional` (the regional report) is the same content restricted to one regional group.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from review.access import Actor
from review.analysis import change, gaps, scoring, trace
from review.analysis.scope import REGIONS, all_cycle_ids, cycle_info, open_view, viewer_scope
from review.errors import NotFound, ReviewError
from review.i18n import label
from review.matching import open_data

EXAMPLES_QUESTION = "examples"
CHANGE_KINDS = ("improved", "unchanged", "regressed")


@dataclass(frozen=True)
class Practice:
    party_name: str
    ref: str
    article: int
    text: str


@dataclass(frozen=True)
class Thematic:
    """What the thematic (or regional, with `region`) report shows; frames carry labels in `lang`.

    articles: article, article_title, parties, responding, implementation_rate, score, previous_rate,
    improved, unchanged, regressed; challenges: type, type_label, mentions, parties; ta_needs: type,
    type_label, mentions, parties (the answers' TA needs in the viewer's scope); ta_published: type,
    type_label, region, region_name, needed, matched, received, offered, delivered.
    challenge_cells, ta_need_cells: the chapter's (and group's) rows of `gaps.needs_counts` as the needs
    dashboard counts them (type x chapter x regional group), which the report's charts draw;
    chapter_rates: the chapter's row of `scoring.implementation` at chapter level (the group's with
    `region`), which the regional report's chart draws chapter by chapter.
    answers: the Party x provision rows behind the rates (`trace.trace` for the chapter and group:
    party, party_name, region_name, ref, article, status_label, score, counted...); mentions: each
    challenge and TA need counted (`gaps.needs_rows`, with `figure` "challenges" or "ta_needs"). Every
    figure of the report can be recomputed from them (`session_documents.answers_behind`)."""

    cycle_id: str
    cycle_title: str
    chapter: str
    chapter_title: str
    previous_id: str | None
    previous_title: str | None
    scope: str
    region: str | None
    lang: str
    articles: pl.DataFrame
    challenges: pl.DataFrame
    ta_needs: pl.DataFrame
    ta_published: pl.DataFrame
    practices: tuple[Practice, ...]
    challenge_cells: pl.DataFrame
    ta_need_cells: pl.DataFrame
    chapter_rates: pl.DataFrame
    answers: pl.DataFrame
    mentions: pl.DataFrame


def previous_cycle(source, cycle_id: str) -> str | None:
    """The latest cycle before `cycle_id` on the same questionnaire (any version: the change between
    versions goes through the questionnaire's map), or None."""
    ids = all_cycle_ids(source)
    with source.read() as cur:
        current = cycle_info(cur, cycle_id)
        for other in ids[ids.index(cycle_id) + 1:]:
            info = cycle_info(cur, other)
            if info.questionnaire.id == current.questionnaire.id and str(info.deadline) < str(current.deadline):
                return other
    return None


def _chapter(df: pl.DataFrame, chapter: str) -> pl.DataFrame:
    return df.filter(pl.col("chapter").cast(pl.String) == chapter)


def _region(df: pl.DataFrame, region: str | None, column: str = "region") -> pl.DataFrame:
    return df if region is None else df.filter(pl.col(column) == region)


def thematic(source, actor: Actor, cycle_id: str, chapter: str, *, lang: str = "en",
             region: str | None = None) -> Thematic:
    """The thematic report of `chapter` in `cycle_id` as `actor` may see it (one regional group's
    with `region`). Refuses an unknown cycle, a chapter outside the cycle, an unknown group."""
    if region is not None and region not in REGIONS:
        raise ReviewError("sessionrep.bad_region", value=region, allowed=", ".join(REGIONS))
    if cycle_id not in all_cycle_ids(source):
        raise NotFound("errors.cycle_not_found", cycle=cycle_id)
    with source.read() as cur:
        info = cycle_info(cur, cycle_id)
    if chapter not in info.chapters:
        raise ReviewError("sessionrep.bad_chapter", value=chapter, cycle=cycle_id, allowed=", ".join(info.chapters))
    q = info.questionnaire
    chapter_title = next(label(c.title, lang) for c in q.chapters if c.number == chapter)
    previous = previous_cycle(source, cycle_id)

    by = "region" if region else None
    with open_view(source, actor, [cycle_id], lang=lang) as view:
        rates = _chapter(scoring.implementation(view, actor, cycle_id, "article", by=by, lang=lang), chapter)
        whole = _chapter(scoring.implementation(view, actor, cycle_id, "chapter", by=by, lang=lang), chapter)
        if region:
            rates = rates.filter(pl.col("group") == region).drop("group", "group_name")
            whole = whole.filter(pl.col("group") == region).drop("group", "group_name")
        challenges = _region(_chapter(gaps.needs_counts(view, actor, cycle_id, "challenge", lang=lang), chapter), region)
        needs = _region(_chapter(gaps.needs_counts(view, actor, cycle_id, "ta", lang=lang), chapter), region)
        answers = trace.trace(view, actor, cycle_id, chapter=chapter, region=region, lang=lang)
        mentions = pl.concat([
            _region(_chapter(gaps.needs_rows(view, actor, cycle_id, kind, lang=lang), chapter), region)
            .with_columns(pl.lit(figure).alias("figure"))
            for figure, kind in (("challenges", "challenge"), ("ta_needs", "ta"))], how="diagonal_relaxed")
    with open_view(source, actor, [cycle_id], published_only=True, lang=lang) as public:
        examples = public.sql(
            "SELECT d.party_name, d.region, p.ref, p.article, p.ord, a.value->>'$' AS text "
            "FROM seen_answer a JOIN dim_provision p USING (cycle_id, provision_id) JOIN dim_party d USING (party) "
            "WHERE a.question_id = $q AND p.chapter = $chapter AND nullif(trim(a.value->>'$'), '') IS NOT NULL "
            "ORDER BY p.ord, d.party_name", {"q": EXAMPLES_QUESTION, "chapter": chapter})
    examples = _region(examples, region)

    columns = ["article", "article_title", "parties", "responding", "implementation_rate", "score"]
    # the other columns of the implementation frame too, which the dashboards' figure shows in tooltips
    articles = rates.select(*columns, *[c for c in ("score_mandatory", "answered", "unknown", "not_applicable", "by_choice")
                                        if c in rates.columns]).with_columns(pl.col("article").cast(pl.Int64))
    if previous:
        before = _chapter(scoring.implementation(source, actor, previous, "article", by=by, lang=lang), chapter)
        if region:
            before = before.filter(pl.col("group") == region)
        before = before.select(pl.col("article").cast(pl.Int64), pl.col("implementation_rate").alias("previous_rate"))
        moved = _region(_chapter(change.cycle_change(source, actor, previous, cycle_id, lang=lang), chapter), region)
        counts = change.change_summary(moved, by="article").select(
            pl.col("article").cast(pl.Int64), *CHANGE_KINDS)
        articles = articles.join(before, on="article", how="left").join(counts, on="article", how="left")
    else:
        articles = articles.with_columns(pl.lit(None, pl.Float64).alias("previous_rate"),
                                         *[pl.lit(None, pl.Int32).alias(k) for k in CHANGE_KINDS])
    articles = articles.with_columns([pl.col(k).fill_null(0).cast(pl.Int32) for k in CHANGE_KINDS] if previous else [])

    published = open_data.public_needs(source)
    published = published.filter(pl.col("cycle_id") == cycle_id)
    ta = open_data.summary(source, needs=published)
    ta = _region(ta.filter(pl.col("chapter") == chapter), region)
    ta = open_data.labelled(source, "summary", ta, lang).select(
        "type", "type_label", "region", "region_name", *open_data.MEASURES)

    def per_type(df: pl.DataFrame) -> pl.DataFrame:
        return (df.group_by("type", "type_label").agg(pl.col("mentions").sum().cast(pl.Int32),
                                                      pl.col("parties").sum().cast(pl.Int32)).sort("type_label"))

    with source.read() as cur:
        prev_title = cycle_info(cur, previous).title if previous else None
    return Thematic(
        cycle_id=cycle_id, cycle_title=info.title, chapter=chapter, chapter_title=chapter_title,
        previous_id=previous, previous_title=prev_title, scope=viewer_scope(source, actor), region=region, lang=lang,
        articles=articles, challenges=per_type(challenges), ta_needs=per_type(needs), ta_published=ta,
        practices=tuple(Practice(r["party_name"], r["ref"], r["article"], r["text"]) for r in examples.iter_rows(named=True)),
        challenge_cells=challenges, ta_need_cells=needs, chapter_rates=whole, answers=answers, mentions=mentions,
    )


def regional(source, actor: Actor, cycle_id: str, region: str, *, lang: str = "en") -> list[Thematic]:
    """The regional report of one regional group: the thematic content of every chapter of the cycle,
    restricted to the group's States Parties (`thematic` with `region`)."""
    if region not in REGIONS:
        raise ReviewError("sessionrep.bad_region", value=region, allowed=", ".join(REGIONS))
    if cycle_id not in all_cycle_ids(source):
        raise NotFound("errors.cycle_not_found", cycle=cycle_id)
    with source.read() as cur:
        chapters = cycle_info(cur, cycle_id).chapters
    return [thematic(source, actor, cycle_id, chapter, lang=lang, region=region) for chapter in chapters]
