"""Shared by the drawing-of-lots tests: a cycle of the tiny instrument for given Parties, treaty status
recorded for the States that may review, and a checker of every rule written apart from the library."""

from __future__ import annotations

import csv
import datetime as dt

from review import cycles, participation
from review.resources import data_file
from tests.actors import SETUP

DAY = dt.date(2031, 1, 15)


def groups() -> dict[str, str | None]:
    """Every possible Party's regional group, read from data/parties.csv itself."""
    with data_file("parties.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["regional_group"] or None for row in csv.DictReader(f)}


def lots_cycle(store, tiny, parties, *, reviewers=None, cycle_id="lots-1"):
    """A cycle of the tiny instrument for `parties`; `reviewers` (default: the same) are recorded as
    Parties to the instrument before DAY."""
    from review.cycles import register_questionnaire

    register_questionnaire(store, SETUP, tiny)
    cycle = cycles.create_cycle(store, SETUP, cycle_id=cycle_id, title="Lots", questionnaire_id=tiny.id,
                                questionnaire_version=tiny.version, chapters=["I"], parties=list(parties),
                                deadline=dt.date(2031, 12, 31))
    rows = ["Participant,Signature,\"Ratification, Acceptance(A), Approval(AA), Accession(a)\",Entry into force"]
    rows += [f"{code},1 Jan 2030,2 Jan 2030,3 Jan 2030" for code in sorted(reviewers if reviewers is not None else parties)]
    if len(rows) > 1:
        participation.import_status(store, SETUP, tiny.instrument["id"], "status.csv", "\n".join(rows).encode())
    return cycle


def violations(result: dict[str, tuple[str, str]], pool, group_of, *, other_reviewer="other_group", cap=3,
               reciprocal=True, without_group="any", excluded=None) -> list[str]:
    """Every rule a list breaks: result maps a reviewed Party to (reviewer from the region, other reviewer)."""
    wrong = []
    load: dict[str, int] = {}
    pairs = set()
    for party, (regional, other) in result.items():
        for reviewer in (regional, other):
            load[reviewer] = load.get(reviewer, 0) + 1
            pairs.add((reviewer, party))
            if reviewer not in pool:
                wrong.append(f"{reviewer} reviews {party} but may not review")
            if reviewer == party:
                wrong.append(f"{party} reviews itself")
            if reviewer in (excluded or {}).get(party, ()):
                wrong.append(f"{reviewer} was replaced for {party} and drawn again")
        if regional == other:
            wrong.append(f"{party} has the same reviewer twice")
        group = group_of.get(party)
        if group is None:
            if without_group == "refuse":
                wrong.append(f"{party} has no group and was drawn")
        else:
            if group_of.get(regional) != group:
                wrong.append(f"{party}'s regional reviewer {regional} is from {group_of.get(regional)}")
            if other_reviewer == "other_group" and group_of.get(other) == group:
                wrong.append(f"{party}'s other reviewer {other} is from its own group")
    wrong += [f"{r} performs {n} reviews" for r, n in load.items() if n > cap]
    if reciprocal:
        wrong += [f"{a} and {b} review each other" for a, b in pairs if (b, a) in pairs and a < b]
    return wrong
