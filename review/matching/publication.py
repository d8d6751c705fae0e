"""Publishing TA needs and offers, item by item (the proposal of the drafting committee's third
session, paragraph 27: States publish the assistance they need and the assistance they can offer).

A Party's focal point publishes each of its TA needs (a row of its answers' TA-needs tables) or
standalone requests, apart from publishing its answers; a provider (a Party's focal point for its
Party's offers, a provider user for its organization's, the secretariat for offers it registered)
publishes each offer. Each choice is written with its audit entry in one transaction; what the
public then sees is `review.matching.open_data`, under the rule `rules.is_public_ta`.
"""

from __future__ import annotations

from typing import Mapping

from review import audit
from review.access import Actor, require
from review.errors import NotFound
from review.matching.matches import need_party
from review.matching.needs import READER, questionnaire_needs, request_needs
from review.matching.registry import get_offer, offer_owner, offers_found
from review.store import Store

KINDS = ("need", "offer")


def _write(store: Store, actor: Actor, kind: str, choices: Mapping[str, tuple[str | None, bool]]) -> None:
    """Record each item's choice (item -> (its Party, published)) and its audit entry, one transaction
    and a few statements whatever the number of items; an unchanged choice writes nothing."""
    with store.transaction() as cur:
        items = list(choices)
        current = dict(cur.execute("SELECT item, published FROM ta_publication WHERE kind = ? AND list_contains(?::VARCHAR[], item)",
                                   [kind, items]).fetchall())
        changed = [(item, party, bool(published)) for item, (party, published) in choices.items()
                   if item not in current or bool(current[item]) != published]
        if not changed:
            return
        names = [item for item, _, _ in changed]
        cur.execute("DELETE FROM ta_publication WHERE kind = ? AND list_contains(?::VARCHAR[], item)", [kind, names])
        cur.execute("INSERT INTO ta_publication SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BOOLEAN[]), "
                    "current_timestamp, ?", [kind, names, [party for _, party, _ in changed],
                                             [published for _, _, published in changed], actor.id])
        audit.record_all(cur, actor, [
            (f"{kind}.{'publish' if published else 'unpublish'}", f"ta_{kind}", item,
             {"published": bool(current.get(item, False))}, {"published": published}) for item, _, published in changed])


def publish_needs(store: Store, actor: Actor, choices: Mapping[str, bool]) -> None:
    """Publish (True) or withdraw from publication (False) TA needs by key (`q:...` a row of the
    answers, `r:...` a standalone request): the focal point of each need's Party only, a need that
    exists now only; all or nothing."""
    checked: dict[str, tuple[str | None, bool]] = {}
    current: dict[tuple, set[str]] = {}
    for key, published in choices.items():
        party = need_party(store, key)
        require(actor, "need.publish", party)
        kind, _, rest = key.partition(":")
        # the needs of the key's cycle and Party (a questionnaire need), or the open requests
        scope = tuple(rest.split("/")[:2]) if kind == "q" else ()
        if scope not in current:
            found = questionnaire_needs(store, READER, scope[0], party=party)[0] if kind == "q" else request_needs(store, READER)[0]
            current[scope] = {need.key for need in found}
        if key not in current[scope]:  # a row removed from the answers, a need not filed yet, a closed request
            raise NotFound("matching.need_not_found", need=key)
        checked[key] = (party, bool(published))
    _write(store, actor, "need", checked)


def publish_need(store: Store, actor: Actor, need_key: str, published: bool = True) -> None:
    publish_needs(store, actor, {need_key: published})


def publish_offers(store: Store, actor: Actor, choices: Mapping[str, bool]) -> None:
    """Publish (True) or withdraw from publication (False) offers by id: whoever may register an
    offer in its provider's name (`offer.publish`); all or nothing."""
    checked: dict[str, tuple[str | None, bool]] = {}
    offers = offers_found(store, choices)  # one read for all; an unknown one refused in its turn
    for offer_id, published in choices.items():
        offer = offers[offer_id] if offer_id in offers else get_offer(store, offer_id)
        require(actor, "offer.publish", *offer_owner(offer.provider, offer.provider_kind, offer.provider_party))
        checked[offer_id] = (offer.provider_party, bool(published))
    _write(store, actor, "offer", checked)


def publish_offer(store: Store, actor: Actor, offer_id: str, published: bool = True) -> None:
    publish_offers(store, actor, {offer_id: published})


def published(store, kind: str) -> set[str]:
    """The items of `kind` ('need' or 'offer') their owners have published now."""
    if kind not in KINDS:
        raise NotFound("tapub.unknown_kind", kind=kind)
    with store.read() as cur:
        return {r[0] for r in cur.execute("SELECT item FROM ta_publication WHERE kind = ? AND published", [kind]).fetchall()}
