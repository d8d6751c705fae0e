"""A Party's country profile: its scores by chapter beside its regional group's average, its gap
profile, its TA needs and the legislation it cited, labelled in the reader's language.

The page and the PDF show this one object, so the printout never says something the screen does
not.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    ta_types: tuple[str, ...]


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


def percent(score: float | None) -> str:
    """A 0-1 score as a whole percentage; a dash when nothing was answered (never 0)."""
    return "—" if score is None else f"{round(score * 100)}%"
