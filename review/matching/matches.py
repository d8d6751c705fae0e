"""The life of a match: suggested -> accepted by the Party -> in progress -> delivered, or declined.

Suggestions are computed on every run and never stored; a row is written when the requesting Party
acts on one (it chooses its partners, as in the GFCE Clearing House). An accepted, started or
delivered match holds its need and one place of its offer's capacity; a declined pair is never
suggested again. Each step is checked against `TRANSITIONS`, against what the user saw (a step on
a match someone else moved meanwhile is refused), and written with its audit entry in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from review import audit, notices
from review.access import PARTY_ROLES, Actor, require
from review.errors import InvalidTransition, NotFound, PermissionDenied, ReviewError
from review.i18n import t
from review.matching.engine import REASONS, Need, Offer, find_candidates
from review.matching.registry import get_offer, offers_found, vocabulary
from review.store import Store

SUGGESTED = "suggested"
ENGAGED = frozenset({"accepted", "in_progress", "delivered"})
TRANSITIONS = {
    ("suggested", "accept"): "accepted",
    ("suggested", "decline"): "declined",
    ("accepted", "start"): "in_progress",
    ("accepted", "decline"): "declined",
    ("in_progress", "deliver"): "delivered",
}
DECISIONS = frozenset({"accept", "decline"})


def stored_matches(store: Store, actor: Actor) -> dict[tuple[str, str], str]:
    """(need key, offer id) -> state, for every match a Party acted on (the secretariat's view)."""
    require(actor, "analysis.unpublished")
    with store.read() as cur:
        return {(r[0], r[1]): r[2] for r in cur.execute("SELECT need_key, offer_id, state FROM ta_match").fetchall()}


def need_party(store: Store, need_key: str) -> str:
    """The Party a need belongs to, from its key (a questionnaire row) or its request."""
    kind, _, rest = need_key.partition(":")
    if kind == "q" and rest.count("/") >= 4:
        return rest.split("/")[1]
    if kind == "r":
        with store.read() as cur:
            row = cur.execute("SELECT party FROM ta_request WHERE id = ?", [rest]).fetchone()
        if row:
            return row[0]
    raise NotFound("matching.need_not_found", need=need_key)


def find_need(store: Store, actor: Actor, need_key: str) -> Need:
    """The need behind a key, as the matching sees it now (the secretariat's view)."""
    return find_needs(store, actor, [need_key])[need_key]


def find_needs(store: Store, actor: Actor, need_keys: Iterable[str]) -> dict[str, Need]:
    """`find_need` for several keys, each cycle's needs read once for all the Parties named (and the
    open requests once): key -> need; a key found nowhere is refused."""
    from review.matching.needs import questionnaire_needs, request_needs

    keys = list(dict.fromkeys(need_keys))
    by_cycle: dict[str, set[str]] = {}
    requests = False
    for key in keys:
        kind, _, rest = key.partition(":")
        if kind == "q":
            cycle_id, _, more = rest.partition("/")
            by_cycle.setdefault(cycle_id, set()).add(more.partition("/")[0])
        else:
            requests = True
    found: dict[str, Need] = {}
    for cycle_id, parties in by_cycle.items():
        # a key naming no Party ("q:<cycle>/") looks among every Party's needs, as it always did
        named = None if "" in parties else parties
        found.update((n.key, n) for n in questionnaire_needs(store, actor, cycle_id, parties=named)[0])
    if requests:
        found.update((n.key, n) for n in request_needs(store, actor)[0])
    for key in keys:
        if key not in found:
            raise NotFound("matching.need_not_found", need=key)
    return {key: found[key] for key in keys}


@dataclass(frozen=True)
class Step:
    """One step on one match, as `act` takes it: who takes it, on which need and offer, and the
    state the user saw (None: not checked)."""

    actor: Actor
    need_key: str
    offer_id: str
    step: str
    seen_state: str | None = None


def act(store: Store, actor: Actor, need_key: str, offer_id: str, step: str, *, seen_state: str | None = None,
        today: dt.date | None = None) -> str:
    """Take one step on the match of `need_key` with `offer_id`; returns the new state.

    Accept and decline are the requesting Party's (its focal point); start and deliver are the
    secretariat's, or the focal point of the requesting or the providing Party."""
    return act_many(store, [Step(actor, need_key, offer_id, step, seen_state)], today=today)[0]


def act_many(store: Store, steps: Sequence[Step], *, today: dt.date | None = None) -> list[str]:
    """Take several steps, in order, each by its own user, in one transaction; returns each new state.

    Each step is checked as `act` checks it alone (the policy, the offer being a candidate for the
    need, the state seen, the transition, the need not engaged elsewhere, the offer's capacity, with
    the steps before it applied) and written with its audit entry and notices; any refusal refuses
    all. The needs accepted are read once per cycle for all their Parties (a bulk load: the demo)."""
    today = today or dt.date.today()
    offers: dict[str, Offer] = offers_found(store, {s.offer_id for s in steps})  # one read for all steps
    checked = []
    for s in steps:
        party = need_party(store, s.need_key)
        offer = offers[s.offer_id] if s.offer_id in offers else get_offer(store, s.offer_id)  # refused here, in order
        if s.step in DECISIONS:
            require(s.actor, "match.decide", party)
        else:
            require(s.actor, "match.progress")
            if s.actor.role in PARTY_ROLES and s.actor.party not in (party, offer.provider_party):
                raise PermissionDenied("errors.permission_denied", action="match.progress", role=s.actor.role.value)
        checked.append((s, party, offer))
    accepted = [s for s, _, _ in checked if s.step == "accept"]
    if accepted:
        from review.matching.needs import READER

        needs = find_needs(store, READER, [s.need_key for s in accepted])
        places: dict[str | None, dict[int, str]] = {}
        for s in accepted:
            cycle = s.need_key.partition(":")[2].split("/")[0] if s.need_key.startswith("q:") else None
            if cycle not in places:
                places[cycle] = vocabulary(store, cycle).articles
            pair = find_candidates([needs[s.need_key]], [offers[s.offer_id]], today, article_chapters=places[cycle])
            if pair.frame.height == 0:
                raise ReviewError("matching.not_a_candidate", offer=s.offer_id,
                                  reason=t(f"matching.reasons.{REASONS[int(pair.stage[0])]}", "en"))
    states = []
    with store.transaction() as cur:
        for s, party, offer in checked:
            states.append(_take(cur, s, party, offer))
    return states


def _take(cur, s: Step, party: str, offer: Offer) -> str:
    """One checked step, written with its audit entry (and its notice) in the caller's transaction."""
    need_key, offer_id, step, actor = s.need_key, s.offer_id, s.step, s.actor
    row = cur.execute("SELECT state FROM ta_match WHERE need_key = ? AND offer_id = ?", [need_key, offer_id]).fetchone()
    state = row[0] if row else SUGGESTED
    if s.seen_state is not None and s.seen_state != state:
        raise ReviewError("matching.changed", state=state)
    new = TRANSITIONS.get((state, step))
    if new is None:
        raise InvalidTransition("matching.invalid_step", state=state, step=step)
    if step == "accept":
        other = cur.execute(
            "SELECT offer_id FROM ta_match WHERE need_key = ? AND offer_id <> ? AND list_contains(?, state)",
            [need_key, offer_id, sorted(ENGAGED)]).fetchone()
        if other:
            raise ReviewError("matching.already_matched", offer=other[0])
        used = cur.execute("SELECT count(*) FROM ta_match WHERE offer_id = ? AND list_contains(?, state)",
                           [offer_id, sorted(ENGAGED)]).fetchone()[0]
        if used >= offer.capacity:
            raise ReviewError("matching.offer_full", offer=offer_id, capacity=offer.capacity)
    cur.execute("INSERT OR REPLACE INTO ta_match VALUES (?, ?, ?, ?, current_timestamp, ?)",
                [need_key, offer_id, party, new, actor.id])
    audit.record(cur, actor, f"match.{step}", "ta_match", f"{need_key}|{offer_id}", before={"state": state},
                 after={"state": new})
    if step == "accept":  # told in the same transaction as the acceptance
        notices.match_accepted(cur, actor, party, offer_id, offer.description, offer.provider, offer.provider_party)
    return new
