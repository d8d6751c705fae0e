"""What every page of a Party's workspace starts with: whose submission, which cycle, what the
user may do with it. The Party is the user's own; an address naming another (`?party=`) is
refused unless the permission table lets the user read that Party's answers."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.context import actor, date_text, lang, refuse, store, text, tr
from app.cycle_choice import pick
from review import workspace
from review.access import Actor
from review.cycles import Cycle, cycle_questionnaire, default_cycle
from review.parties import all_parties
from review.questionnaire import Questionnaire
from review.submissions import Submission


@dataclass(frozen=True)
class Workspace:
    actor: Actor
    party: str
    party_name: str
    can: workspace.Capabilities
    cycle: Cycle
    submission: Submission
    questionnaire: Questionnaire

    @property
    def editable(self) -> bool:
        """The user may change answers now: allowed to edit, and the state still takes answers."""
        return self.can.edit and workspace.editable(self.submission)


def open_workspace(page: str, need: str = "read") -> Workspace:
    """Refuse another Party's data, the public, and a user lacking `need` (a capability name);
    otherwise pick the cycle: the user's (chosen on any page, or in the address) when the Party
    takes part in it, else the one the Party is working on (`cycles.default_cycle`)."""
    who = actor()
    party = st.query_params.get("party") or who.party
    can = workspace.capabilities(who, party)
    if not (can.read and getattr(can, need)):
        refuse(who)
    taking_part = workspace.party_cycles(store(), who, party)
    if not taking_part:
        st.info(tr("party.no_cycle"))
        st.stop()
    by_id = {pc.cycle.id: pc for pc in taking_part}
    # the library's default, asked only when the user has chosen no cycle (a query on every run otherwise)
    cycle = pick(tr("party.cycle"), [pc.cycle for pc in taking_part], f"{page}_cycle",
                 lambda: default_cycle(store(), who, party))
    chosen = cycle.id
    pc = by_id[chosen]
    name = all_parties(store())[party].name(lang())
    return Workspace(who, party, name, can, pc.cycle, pc.submission, cycle_questionnaire(store(), pc.cycle))


def state_line(ws: Workspace) -> str:
    return tr("party.state_line", party=ws.party_name, state=tr(f"states.{ws.submission.state}"),
              deadline=date_text(ws.cycle.deadline))


def chapter_title(ws: Workspace, number: str) -> str:
    chapter = ws.questionnaire.chapter(number)
    return tr("party.chapter_title", number=number, title=text(chapter.title) if chapter else "")
