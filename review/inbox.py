"""The secretariat's inbox: every Party's submission in every cycle, late ones first.

Built on `submissions.cycle_status` (state, completeness, lateness), so the inbox and the public
tracker never disagree about where a Party stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from review.access import Actor, require
from review.cycles import list_cycles
from review.parties import all_parties
from review.store import Store
from review.submissions import TRANSITIONS, cycle_status


@dataclass(frozen=True)
class InboxRow:
    cycle_id: str
    cycle_title: str
    deadline: dt.date
    party: str
    party_name: str
    region: str | None
    state: str
    completeness: float
    late: bool
    updated_at: dt.datetime | None
    submitted_at: dt.datetime | None


def inbox(
    store: Store, actor: Actor, *, cycles: Iterable[str] = (), regions: Iterable[str] = (), states: Iterable[str] = (),
    lang: str = "en", today: dt.date | None = None, parties: Iterable[str] = (),
) -> list[InboxRow]:
    """Submissions across Parties (secretariat only), filtered by cycle, regional group, submission
    state and Party.

    Late ones come first, then the most recently changed.
    """
    require(actor, "submission.review")
    wanted_cycles, wanted_regions, wanted_states, wanted_parties = set(cycles), set(regions), set(states), set(parties)
    everyone = all_parties(store)
    rows = []
    for cycle in list_cycles(store):
        if wanted_cycles and cycle.id not in wanted_cycles:
            continue
        _, statuses = cycle_status(store, actor, cycle.id, today)
        for status in statuses:
            party = everyone.get(status.party)
            region = party.regional_group if party else None
            if wanted_regions and region not in wanted_regions:
                continue
            if wanted_states and status.state not in wanted_states:
                continue
            if wanted_parties and status.party not in wanted_parties:
                continue
            rows.append(InboxRow(
                cycle.id, cycle.title, cycle.deadline, status.party, party.name(lang) if party else status.party,
                region, status.state, status.completeness.ratio, status.late, status.updated_at, status.submitted_at,
            ))
    rows.sort(key=lambda r: (r.party_name, r.cycle_id))
    rows.sort(key=lambda r: (not r.late, r.updated_at is None, -r.updated_at.timestamp() if r.updated_at else 0))
    return rows


def secretariat_steps(state: str) -> set[str]:
    """The secretariat's workflow steps a submission in this state allows (the buttons to offer)."""
    return {step for step in ("return", "validate", "publish") if state in TRANSITIONS[step]}
