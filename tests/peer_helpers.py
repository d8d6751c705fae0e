"""Reviews for tests, made as the drawing of lots makes them (migration m0072): a peer_review row
at stage DRAWN, its two reviewing Parties and the DRAWN stage completed."""

from __future__ import annotations

from review import users
from review.access import Role
from review.peer import DRAWN, review_id
from review.peer.reviews import assign_expert
from tests.actors import SETUP


def make_review(store, cycle_id: str, party: str, reviewing: list[tuple[str, bool]]) -> str:
    rid = review_id(cycle_id, party)
    with store.transaction() as cur:
        cur.execute("INSERT INTO review_draw VALUES (?, ?, 'draw', 7, '{}', NULL, current_timestamp, 'tests') "
                    "ON CONFLICT DO NOTHING", [f"draw-{cycle_id}", cycle_id])
        cur.execute("INSERT INTO peer_review (id, cycle_id, party, draw_id, stage, created_at) "
                    "VALUES (?, ?, ?, ?, ?, current_timestamp)", [rid, cycle_id, party, f"draw-{cycle_id}", DRAWN])
        for reviewing_party, same in reviewing:
            cur.execute("INSERT INTO peer_review_reviewer VALUES (?, ?, ?)", [rid, reviewing_party, same])
        cur.execute("INSERT INTO peer_review_stage (review_id, stage, done_at, done_by) "
                    "VALUES (?, ?, current_timestamp, 'tests')", [rid, DRAWN])
    return rid


def make_reviewer(store, email: str, party: str, *reviews: tuple[str, str]):
    """A reviewer account of `party`, attached to each (cycle, reviewed Party); its actor as loaded now."""
    user = users.create_user(store, SETUP, email=email, name=email.split("@")[0], role=Role.REVIEWER, party=party)
    for cycle_id, reviewed in reviews:
        assign_expert(store, SETUP, cycle_id, reviewed, user.id)
    return users.get_user(store, user.id).actor
