"""The domain's rules that several layers apply, each defined once, in Python and in SQL side by side.

"Late" and "public" decide what the tracker, the inbox, the analysis, the snapshot and the pages
show; written again in each, they drifted (one "public" forgot the published revision). Every
caller uses these, and `tests/test_rules.py` checks that each Python form and its SQL form agree.
"""

from __future__ import annotations

import datetime as dt

# states of a submission whose Party has not yet sent it to the secretariat
NOT_YET_SUBMITTED = ("not_started", "draft")


def past_deadline(deadline: dt.date, today: dt.date | None = None) -> bool:
    """The cycle's deadline has passed (the deadline day itself is still on time)."""
    return (today or dt.date.today()) > deadline


def is_late(state: str, deadline: dt.date, today: dt.date | None = None) -> bool:
    """A submission is late when the deadline has passed and its Party has not yet submitted it."""
    return past_deadline(deadline, today) and state in NOT_YET_SUBMITTED


def late_sql(state: str = "s.state", deadline: str = "$deadline", today: str = "$today") -> str:
    """`is_late` as an SQL condition over a state column and deadline/today expressions."""
    states = ", ".join(f"'{s}'" for s in NOT_YET_SUBMITTED)
    return f"({today} > {deadline} AND {state} IN ({states}))"


def is_public(state: str, consent: bool | None, published_revision: int | None) -> bool:
    """A submission's answers are public when it is published, its Party consented to publication,
    and a published revision exists to show (never the working answers)."""
    return state == "published" and bool(consent) and published_revision is not None


def public_sql(alias: str = "s") -> str:
    """`is_public` as an SQL condition over a `submission` table alias."""
    return (f"({alias}.state = 'published' AND coalesce({alias}.consent_publication, FALSE) "
            f"AND {alias}.published_revision IS NOT NULL)")


# how many days before a deadline (or a peer review stage's planned date) a reminder goes out
REMINDER_DAYS = (14, 7, 1)


def reminder_step(due: dt.date, today: dt.date | None = None, days: tuple[int, ...] = REMINDER_DAYS) -> int | None:
    """The reminder a date calls for today: the smallest of `days` not fewer than the days left, or
    None when none is reached yet or the date has passed (`past_deadline`: then it is late)."""
    today = today or dt.date.today()
    if past_deadline(due, today):
        return None
    left = (due - today).days
    reached = [d for d in days if left <= d]
    return min(reached) if reached else None


def deadline_reminder(state: str, deadline: dt.date, today: dt.date | None = None,
                      days: tuple[int, ...] = REMINDER_DAYS) -> int | None:
    """The deadline reminder a submission calls for today: only one its Party has not yet submitted
    (the states `is_late` counts), before the deadline passes; after it, `is_late` says it is late."""
    return reminder_step(deadline, today, days) if state in NOT_YET_SUBMITTED else None

def is_public_ta(published: bool | None, available: bool | None) -> bool:
    """A TA need, standalone request or offer is public when its owner (the Party, or the provider)
    published it and it is still available (an offer not withdrawn, a request still open); a
    Party's published answers do not publish its needs, nor does publishing a need publish them."""
    return bool(published) and bool(available)


def public_ta_sql(published: str = "p.published", available: str = "TRUE") -> str:
    """`is_public_ta` as an SQL condition over a publication flag and an availability expression."""
    return f"(coalesce({published}, FALSE) AND coalesce({available}, FALSE))"


def stage_late(planned: dt.date | None, done_at: dt.datetime | dt.date | None, today: dt.date | None = None) -> bool:
    """A peer review's stage is late when its planned date has passed (the day itself is still on
    time) and it is not completed. A stage with no planned date is never late."""
    return planned is not None and done_at is None and (today or dt.date.today()) > planned


def stage_late_sql(planned: str = "st.planned", done_at: str = "st.done_at", today: str = "$today") -> str:
    """`stage_late` as an SQL condition over a planned date and a completion column."""
    return f"({planned} IS NOT NULL AND {done_at} IS NULL AND {today} > {planned})"
