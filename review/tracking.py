"""Where a cycle stands: how many Parties take part, have submitted, are published or late, and
how complete the answers are per chapter. Public information, as on a status tracker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from review.cycles import Cycle, cycle_questionnaire
from review.analysis.scope import Source
from review.submissions import PartyStatus, all_statuses

SUBMITTED_OR_LATER = frozenset({"submitted", "validated", "published"})


@dataclass(frozen=True)
class ChapterProgress:
    chapter: str
    title: dict
    completeness: float


@dataclass(frozen=True)
class Overview:
    cycle: Cycle
    parties: list[PartyStatus]
    by_state: dict[str, int]
    chapters: list[ChapterProgress]
    # chapters in scope with nothing to answer (institutional provisions only): no completeness
    without_questions: tuple[ChapterProgress, ...] = ()

    @property
    def participating(self) -> int:
        return len(self.parties)

    @property
    def submitted(self) -> int:
        """Parties that have sent their answers so far: submitted, validated or published (so more
        than the "submitted" state alone)."""
        return sum(1 for p in self.parties if p.state in SUBMITTED_OR_LATER)

    @property
    def published(self) -> int:
        return self.by_state.get("published", 0)

    @property
    def late(self) -> int:
        return sum(1 for p in self.parties if p.late)


def party_statuses(source: Source, cycle_id: str | None = None,
                   today: dt.date | None = None) -> tuple[Cycle, list[PartyStatus]]:
    """Every participating Party's state and completeness, from the working database or from a
    published snapshot (which carries no Party's completeness, only the chapter means counted when
    it was written)."""
    if source.published_only:
        return source.cycle_status(cycle_id, today)
    return all_statuses(source, cycle_id, today)


def cycle_overview(store: Source, cycle_id: str | None = None, today: dt.date | None = None) -> Overview:
    """Counts by state and the mean completeness of participating Parties per chapter."""
    cycle, rows = party_statuses(store, cycle_id, today)
    q = cycle_questionnaire(store, cycle)
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    published = store.chapter_progress(cycle.id) if store.published_only else None
    chapters = []
    for number in cycle.chapters:
        if published is not None:
            mean = published.get(number)
        else:
            ratios = [a / r for a, r in (p.completeness.chapters.get(number, (0, 0)) for p in rows) if r]
            mean = sum(ratios) / len(ratios) if ratios else None
        if mean is not None:
            chapters.append(ChapterProgress(number, dict(q.chapter(number).title), mean))
    unasked = tuple(ChapterProgress(number, dict(q.chapter(number).title), 0.0) for number in cycle.chapters
                    if not q.assessed_provisions([number]))
    return Overview(cycle, rows, by_state, chapters, unasked)
