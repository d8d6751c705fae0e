"""A Party's country profile: its scores by chapter beside its regional group's average, its gap
profile, its TA needs and the legislation it cited, labelled in the reader's language.

The page and the PDF show this one object, so the printout never says something the screen does
not.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from review.access import Actor
from review.analysis import gaps, legislation, scoring
from review.analysis.scope import Source, View, viewing
from review.i18n import normalize, t


@dataclass(frozen=True)
class ChapterLine:
    chapter: str
    label: str
    score: float | None
    group_average: float | None


@dataclass(frozen=True)
class GapLine:
    provision_id: str
    provision: str
    status: str
    challenges: tuple[str, ...]
    ta_requested: tuple[str, ...]


@dataclass(frozen=True)
class NeedLine:
    provision_id: str
    provision: str
    type: str
    priority: str
    description: str


@dataclass(frozen=True)
class CitationLine:
    provision_id: str
    provision: str
    title: str
    provision_cited: str
    year: int | None
    status: str
    link: str


@dataclass(frozen=True)
class CountryProfile:
    party: str
    party_name: str
    group_name: str | None
    cycle_id: str
    cycle_title: str
    state_label: str
    published_only: bool
    score: float | None
    score_mandatory: float | None
    chapters: tuple[ChapterLine, ...]
    gaps: tuple[GapLine, ...]
    ta_needs: tuple[NeedLine, ...]
    legislation: tuple[CitationLine, ...]


def percent(score: float | None, lang: str = "en") -> str:
    """A 0-1 score as a whole percentage in `lang` (`review.formats`); a dash when nothing was
    answered (never 0)."""
    from review.formats import percent as localized

    return localized(score, lang)


def _list(value) -> tuple[str, ...]:
    return tuple(value) if value is not None else ()


def country_profile(source: Source | View, actor: Actor, party: str, cycle_id: str | None = None, *,
                    published_only: bool = False, lang: str = "en") -> CountryProfile:
    """The profile of `party` in a cycle, from the answers this viewer may see: refused (as not
    published) for a Party whose answers the viewer may not read. The regional group's average is
    taken over the Parties of the group the viewer sees, like every other aggregate."""
    lang = normalize(lang)
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as view:
        gaps.require_seen(view, party)
        row = scoring.party_scores(view, actor).filter(pl.col("party") == party).row(0, named=True)
        chapters = scoring.chapter_comparison(view, actor, party)
        gap_rows = gaps.gap_profile(view, actor, party)
        needs = gaps.needs_rows(view, actor, kind="ta", party=party)
        laws = legislation.legislation_library(view, actor, party=party)
        cycle, scope = view.cycles[0], view.scope
    return CountryProfile(
        party=party,
        party_name=row["party_name"],
        group_name=row["region_name"] if row["region"] != "none" else None,
        cycle_id=cycle.id,
        cycle_title=cycle.title,
        state_label=t(f"states.{row['state']}", lang),
        published_only=scope == "public" or (scope == "party" and actor.party != party),
        score=row["score"],
        score_mandatory=row["score_mandatory"],
        chapters=tuple(
            ChapterLine(c["chapter"], f"{c['chapter']}. {c['chapter_title']}", c["score"], c["region_score"])
            for c in chapters.iter_rows(named=True)
        ),
        gaps=tuple(
            GapLine(g["provision_id"], g["ref"], g["status_label"], _list(g["challenges"]), _list(g["ta_needs"]))
            for g in gap_rows.iter_rows(named=True)
        ),
        ta_needs=tuple(
            NeedLine(n["provision_id"], n["ref"], n["type_label"] or "", n["priority_label"] or "", n["description"] or "")
            for n in needs.iter_rows(named=True)
        ),
        legislation=tuple(
            CitationLine(c["provision_id"], c["ref"], c["title"] or "", c["provision_cited"] or "", c["year"],
                         c["law_status"] or "", c["link"] or "")
            for c in laws.iter_rows(named=True)
        ),
    )
