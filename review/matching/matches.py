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

from review import audit, notices
from review.access import PARTY_ROLES, Actor, require
from review.errors import InvalidTransition, NotFound, PermissionDenied, ReviewError
from review.i18n import t
from review.matching.engine import REASONS, Need, find_candidates
from review.matching.registry import get_offer, vocabulary
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
    from review.matching.needs import questionnaire_needs, request_needs

    kind, _, rest = need_key.partition(":")
    if kind == "q":
        cycle_id, _, more = rest.partition("/")
        found, _ = questionnaire_needs(store, actor, cycle_id, party=more.partition("/")[0] or None)
    else:
        found, _ = request_needs(store, actor)
    for need in found:
        if need.key == need_key:
            return need
    raise NotFound("matching.need_not_found", need=need_key)


def act(store: Store, actor: Actor, need_key: str, offer_id: str, step: str, *, seen_state: str | None = None,
        today: dt.date | None = None) -> str:
    """Take one step on the match of `need_key` with `offer_id`; returns the new state.

    Accept and decline are the requesting Party's (its focal point); start and deliver are the
    secretariat's, or the focal point of the requesting or the providing Party."""
    party = need_party(store, need_key)
    offer = get_offer(store, offer_id)
    if step in DECISIONS:
        require(actor, "match.decide", party)
    else:
        require(actor, "match.progress")
        if actor.role in PARTY_ROLES and actor.party not in (party, offer.provider_party):
            raise PermissionDenied("errors.permission_denied", action="match.progress", role=actor.role.value)
    if step == "accept":
        cycle = need_key.partition(":")[2].split("/")[0] if need_key.startswith("q:") else None
        from review.matching.needs import READER

        pair = find_candidates([find_need(store, READER, need_key)], [offer], today or dt.date.today(),
                               article_chapters=vocabulary(store, cycle).articles)
        if pair.frame.height == 0:
            raise ReviewError("matching.not_a_candidate", offer=offer_id,
                              reason=t(f"matching.reasons.{REASONS[int(pair.stage[0])]}", "en"))
    with store.transaction() as cur:
        row = cur.execute("SELECT state FROM ta_match WHERE need_key = ? AND offer_id = ?", [need_key, offer_id]).fetchone()
        state = row[0] if row else SUGGESTED
        if seen_state is not None and seen_state != state:
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
