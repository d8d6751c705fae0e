"""The synthetic demo: labelled, repeatable for a seed, and spread over every state."""

from __future__ import annotations

from review import demo, settings
from tests.actors import SETUP
from review.store import Store
from review.migrations import migrate
from review.submissions import current_answers, list_submissions


def _fingerprint(store):
    rows = list_submissions(store, "review-2026")
    answers = {s.party: current_answers(store, SETUP, "review-2026", s.party) for s in rows[:25]}
    return [(s.party, s.state, s.consent_publication) for s in rows], answers


def test_the_demo_is_deterministic_for_a_seed(demo_store, tmp_path):
    again = Store(tmp_path / "again.duckdb")
    migrate(again)
    demo.load_demo(again, seed=7)
    assert _fingerprint(again) == _fingerprint(demo_store)


def test_the_demo_is_labelled_and_spread_over_every_state(demo_store):
    assert settings.is_demo(demo_store)
    states = {s.state for s in list_submissions(demo_store, "review-2026")}
    assert states == {"not_started", "draft", "submitted", "returned", "validated", "published"}
    pilot = [s.state for s in list_submissions(demo_store, "pilot-2025")]
    assert pilot.count("published") > len(pilot) / 2


def test_replace_starts_over(demo_store):
    summary = demo.load_demo(demo_store, seed=8, replace=True)
    assert summary.cycles == ["pilot-2025", "review-2026"]
    assert sum(summary.states.values()) == len(list_submissions(demo_store, "review-2026"))


def test_the_demo_holds_a_review_at_every_stage_with_its_experts_on_the_login_page(demo_store):
    from review.access import Role
    from review.peer import STAGES
    from review.peer import reviews as rv

    found = rv.reviews_for(demo_store, SETUP, "review-2026")
    assert {r.stage for r in found} == set(STAGES)
    offered = {u.email for u in demo.demo_accounts(demo_store) if u.role is Role.REVIEWER}
    experts = {e.email for r in found for e in r.experts}
    assert experts and experts <= offered
    # each review past the drawing has an expert of one of its own reviewing Parties
    assert all(r.experts and {e.reviewing_party for e in r.experts} <= {p for p, _ in r.reviewing}
               for r in found if r.stage != STAGES[0])
