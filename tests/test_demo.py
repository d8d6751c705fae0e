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


# What the demo (seed 7) writes, pinned: a faster load (bulk steps, `submissions.save_many` and the
# like) must write exactly this, through the same rules as one step at a time.
PINNED_AUDIT = {
    "answers.save": 214, "comment.add": 66, "cycle.create": 2, "match.accept": 4, "match.start": 1, "need.publish": 6,
    "offer.publish": 9, "offer.register": 22, "peer.desk_answer": 10, "peer.desk_comment": 2, "peer.desk_question": 12,
    "peer.dialogue": 5, "peer.draw": 1, "peer.expert_assign": 18, "peer.plan": 9, "peer.stage": 29,
    "preference.languages": 165, "report.consent": 3, "report.draft": 4, "request.file": 3, "revision.freeze": 170,
    "submission.publish": 83, "submission.return": 33, "submission.submit": 170, "submission.validate": 114,
    "user.create": 195,
}
PINNED_STATES = {
    ("pilot-2025", "draft"): 6, ("pilot-2025", "published"): 45, ("pilot-2025", "validated"): 9,
    ("review-2026", "draft"): 39, ("review-2026", "not_started"): 18, ("review-2026", "published"): 38,
    ("review-2026", "returned"): 13, ("review-2026", "submitted"): 23, ("review-2026", "validated"): 22,
}
PINNED_ROWS = {"answer": 78376, "revision": 170, "revision_answer": 72153, "comment": 66, "notice_outbox": 244,
               "app_user": 195, "ta_match": 4, "ta_publication": 15, "review_report_text": 1092, "desk_message": 24}


def test_the_demo_writes_its_pinned_counts_each_change_by_its_own_user(demo_store):
    with demo_store.read() as cur:
        assert dict(cur.execute("SELECT action, count(*) FROM audit_log GROUP BY action").fetchall()) == PINNED_AUDIT
        assert {(c, s): n for c, s, n in cur.execute(
            "SELECT cycle_id, state, count(*) FROM submission GROUP BY ALL").fetchall()} == PINNED_STATES
        assert {table: cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in PINNED_ROWS} == PINNED_ROWS
        # every answer, save, submit and revision is its own Party's focal point's, as if typed one by one
        assert cur.execute(
            "SELECT count(*) FROM answer a JOIN submission s ON s.id = a.submission_id JOIN app_user u ON u.id = a.saved_by "
            "WHERE u.role = 'focal_point' AND u.party = s.party").fetchone()[0] == PINNED_ROWS["answer"]
        assert cur.execute(
            "SELECT count(*) FROM audit_log l JOIN submission s ON s.id = l.entity_id JOIN app_user u ON u.id = l.actor "
            "WHERE l.action IN ('answers.save', 'submission.submit', 'revision.freeze') AND u.party = s.party"
        ).fetchone()[0] == 214 + 170 + 170
        assert cur.execute("SELECT count(*) FROM revision r JOIN submission s ON s.id = r.submission_id "
                           "JOIN app_user u ON u.id = r.created_by WHERE u.party = s.party").fetchone()[0] == 170
        # each submit froze the working answers of its moment: a revision per submit, numbered in order
        assert cur.execute("SELECT count(*) FROM revision GROUP BY submission_id HAVING max(number) <> count(*)").fetchall() == []


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
