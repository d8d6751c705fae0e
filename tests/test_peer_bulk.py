"""Peer review's bulk steps (`reviews.assign_experts`, `plan_many`, `post_many`, `record_dialogues`,
`report.complete_steps`, `draft_reports`: what the demo loads its reviews with) write what the one-review calls write, and
refuse what they refuse, writing nothing then."""

from __future__ import annotations

import datetime as dt

import pytest

from review import submissions as subs, users
from review.errors import InvalidTransition, PermissionDenied, ReviewError, ValidationFailed
from review.peer import STAGES
from review.peer import report as R
from review.peer import reviews as rv
from tests.actors import SETUP
from tests.test_peer_reviews import database_state, peer  # noqa: F401 (the fixture)
from tests.test_workflow import COMPLETE

DAY = dt.date(2030, 3, 1)
# what the steps write, without timestamps and the desk threads' random ids
WRITTEN = {
    "peer_review": "SELECT id, stage, full_report_public, redraws, draw_id FROM peer_review ORDER BY id",
    "peer_review_stage": "SELECT review_id, stage, planned, done_by, done_at IS NULL FROM peer_review_stage ORDER BY ALL",
    "peer_review_expert": "SELECT review_id, user_id, reviewing_party, assigned_by, removed_at IS NULL FROM peer_review_expert ORDER BY ALL",
    "desk": "SELECT t.review_id, t.provision_id, t.opened_by, m.number, m.kind, m.side, m.author, m.body "
            "FROM desk_thread t JOIN desk_message m ON m.thread_id = t.id ORDER BY ALL",
    "review_report": "SELECT review_id, lang, seq, drafted_by, updated_by FROM review_report ORDER BY ALL",
    "review_report_text": "SELECT review_id, part, section, body, seq, updated_by FROM review_report_text ORDER BY ALL",
    "review_report_item": "SELECT id, review_id, provision_id, kind, priority, body, position, removed, seq, created_by, "
                          "updated_by FROM review_report_item ORDER BY ALL",
    "review_summary": "SELECT review_id, lang, drafted, edited, seq, updated_by FROM review_summary ORDER BY ALL",
    # each entity's entries in their order (bulk steps interleave reviews differently)
    "audit_log": "SELECT entity, entity_id, actor, action, before, after FROM audit_log ORDER BY entity, entity_id, id",
}


class _Undo(Exception):
    pass


def _written(store) -> dict:
    with store.read() as cur:
        return {name: cur.execute(sql).fetchall() for name, sql in WRITTEN.items()}


@pytest.fixture
def two(peer, store):
    """KEN's and FRA's reviews of tiny-1 both at DRAWN with FRA's self-assessment submitted too, and
    a CHN expert (CHN reviews both) not yet attached."""
    subs.save_answers(store, peer["other_focal"], "tiny-1", "FRA", 1, COMPLETE)
    subs.submit(store, peer["other_focal"], "tiny-1", "FRA", consent=True)
    expert = users.create_user(store, SETUP, email="x@chn.example.org", name="X", role="reviewer", party="CHN")
    return {**peer, "expert": expert.id}


def _one_by_one(store, p):
    sec, x = p["secretariat"], p["expert"]
    for party in ("KEN", "FRA"):
        rv.assign_expert(store, SETUP, "tiny-1", party, x)
        rv.plan(store, sec, "tiny-1", party, {"submitted": DAY, "desk_review": DAY + dt.timedelta(days=30)})
    for party in ("KEN", "FRA"):
        rv.advance(store, sec, "tiny-1", party, "submitted")
    rv.ask(store, p["reviewer"], "tiny-1", "KEN", "1.1", "Which article?")
    rv.answer(store, p["contributor"], "tiny-1", "KEN", "1.1", "Article 4.")
    rv.ask(store, p["other_reviewer"], "tiny-1", "FRA", "2", "Why not?", kind="comment")
    rv.advance(store, p["reviewer"], "tiny-1", "KEN", "desk_review")
    rv.advance(store, p["other_reviewer"], "tiny-1", "FRA", "desk_review")
    for party in ("KEN", "FRA"):
        rv.record_dialogue(store, sec, "tiny-1", party, kind="visit", starts=DAY, ends=DAY, place="Vienna",
                           participants="experts")
        R.complete_step(store, sec, "tiny-1", party, "dialogue")
    R.draft_report(store, p["reviewer"], "tiny-1", "KEN", "en")
    R.draft_report(store, p["other_reviewer"], "tiny-1", "FRA", "fr")
    R.agree(store, p["focal"], "tiny-1", "KEN", full_report_public=True)
    R.agree(store, p["other_focal"], "tiny-1", "FRA", full_report_public=False)
    for stage in ("summary", "published"):
        for party in ("KEN", "FRA"):
            R.complete_step(store, sec, "tiny-1", party, stage)


def _bulk(store, p):
    sec, x = p["secretariat"], p["expert"]
    rv.assign_experts(store, SETUP, "tiny-1", [("KEN", x), ("FRA", x)])
    rv.plan_many(store, sec, "tiny-1", dict.fromkeys(("KEN", "FRA"), {"submitted": DAY,
                                                                      "desk_review": DAY + dt.timedelta(days=30)}))
    R.complete_steps(store, "tiny-1", {"KEN": (sec, "submitted"), "FRA": (sec, "submitted")})
    rv.post_many(store, "tiny-1", [(p["reviewer"], "KEN", "1.1", "question", "Which article?"),
                                   (p["contributor"], "KEN", "1.1", "answer", "Article 4."),
                                   (p["other_reviewer"], "FRA", "2", "comment", "Why not?")])
    R.complete_steps(store, "tiny-1", {"KEN": (p["reviewer"], "desk_review"), "FRA": (p["other_reviewer"], "desk_review")})
    rv.record_dialogues(store, sec, "tiny-1", dict.fromkeys(("KEN", "FRA"), dict(
        kind="visit", starts=DAY, ends=DAY, place="Vienna", participants="experts")))
    R.complete_steps(store, "tiny-1", {"KEN": (sec, "dialogue"), "FRA": (sec, "dialogue")})
    assert R.draft_reports(store, "tiny-1", {"KEN": (p["reviewer"], "en"), "FRA": (p["other_reviewer"], "fr")}) == {
        "KEN": "draft_report", "FRA": "draft_report"}
    R.complete_steps(store, "tiny-1", {"KEN": (p["focal"], "agreed"), "FRA": (p["other_focal"], "agreed")},
                     full_report_public={"KEN": True, "FRA": False})
    for stage in ("summary", "published"):
        assert R.complete_steps(store, "tiny-1", {"KEN": (sec, stage), "FRA": (sec, stage)}) == dict.fromkeys(
            ("KEN", "FRA"), stage)


def test_the_bulk_steps_write_what_one_review_at_a_time_writes(two, store):
    with pytest.raises(_Undo), store.batch():  # one review at a time, then all of it undone
        _one_by_one(store, two)
        alone = _written(store)
        raise _Undo
    _bulk(store, two)
    together = _written(store)
    assert together == alone
    assert [r[:3] for r in together["peer_review"]] == [("tiny-1/FRA", STAGES[-1], False), ("tiny-1/KEN", STAGES[-1], True),
                                                        ("tiny-2/KEN", STAGES[0], None)]
    assert len(together["desk"]) == 3 and len(together["review_summary"]) == 12


def _refusal(store, call) -> tuple:
    """The refusal `call` raises (kind, key, parameters, problems), checking it wrote nothing."""
    before = database_state(store)
    with pytest.raises(ReviewError) as raised:
        call()
    assert database_state(store) == before
    error = raised.value
    return type(error), error.key, error.params, [(p.location, p.key) for p in getattr(error, "problems", [])]


def test_the_bulk_steps_refuse_what_one_review_at_a_time_refuses_and_write_nothing(two, store):
    """Each bulk call with one refused step among good ones: the refusal of that step alone, and nothing written."""
    sec, focal, reviewer, x = two["secretariat"], two["focal"], two["reviewer"], two["expert"]
    late = {"submitted": DAY, "desk_review": DAY - dt.timedelta(days=1)}
    cases = [
        (lambda: rv.assign_experts(store, SETUP, "tiny-1", [("KEN", x), ("FRA", focal.id)]),
         lambda: rv.assign_expert(store, SETUP, "tiny-1", "FRA", focal.id), ValidationFailed),
        (lambda: rv.plan_many(store, sec, "tiny-1", {"KEN": {"submitted": DAY}, "FRA": late}),
         lambda: rv.plan(store, sec, "tiny-1", "FRA", late), ValidationFailed),
        (lambda: rv.record_dialogues(store, sec, "tiny-1", {"KEN": dict(kind="visit", starts=DAY, ends=DAY, place="Here",
                                                                        participants="experts"),
                                                            "FRA": dict(kind="visit", starts=DAY, ends=DAY, place=" ",
                                                                        participants="experts")}),
         lambda: rv.record_dialogue(store, sec, "tiny-1", "FRA", kind="visit", starts=DAY, ends=DAY, place=" ",
                                    participants="experts"), ValidationFailed),
        (lambda: R.complete_steps(store, "tiny-1", {"KEN": (sec, "submitted"), "FRA": (reviewer, "submitted")}),
         lambda: rv.advance(store, reviewer, "tiny-1", "FRA", "submitted"), PermissionDenied),
        (lambda: R.complete_steps(store, "tiny-1", {"KEN": (sec, "submitted"), "FRA": (sec, "desk_review")}),
         lambda: R.complete_step(store, sec, "tiny-1", "FRA", "desk_review"), InvalidTransition),
        (lambda: R.complete_steps(store, "tiny-1", {"KEN": (sec, "submitted"), "FRA": (focal, "agreed")},
                                  full_report_public={"FRA": True}),
         lambda: R.agree(store, focal, "tiny-1", "FRA", full_report_public=True), PermissionDenied),
    ]
    for bulk, alone, kind in cases:
        assert _refusal(store, bulk) == _refusal(store, alone) and _refusal(store, alone)[0] is kind
    rv.advance(store, sec, "tiny-1", "KEN", "submitted")
    cases = [
        (lambda: rv.post_many(store, "tiny-1", [(reviewer, "KEN", "1.1", "question", "Which article?"),
                                                (focal, "KEN", "2", "answer", "Nothing was asked")]),
         lambda: rv.answer(store, focal, "tiny-1", "KEN", "2", "Nothing was asked"), InvalidTransition),
        (lambda: rv.post_many(store, "tiny-1", [(reviewer, "KEN", "1.1", "question", "Which article?"),
                                                (reviewer, "KEN", "99.9", "question", " ")]),
         lambda: rv.ask(store, reviewer, "tiny-1", "KEN", "99.9", " "), ValidationFailed),
        (lambda: rv.post_many(store, "tiny-1", [(reviewer, "KEN", "1.1", "question", "Which article?"),
                                                (focal, "KEN", "1.1", "question", "Ours?")]),
         lambda: rv.ask(store, focal, "tiny-1", "KEN", "1.1", "Ours?"), PermissionDenied),
        (lambda: rv.post_many(store, "tiny-1", [(reviewer, "KEN", "1.1", "question", "Which article?"),
                                                (sec, "FRA", "1.1", "question", "Before its desk review?")]),
         lambda: rv.ask(store, sec, "tiny-1", "FRA", "1.1", "Before its desk review?"), InvalidTransition),
        (lambda: R.draft_reports(store, "tiny-1", {"KEN": (reviewer, "en"), "FRA": (reviewer, "en")}),
         lambda: R.draft_report(store, reviewer, "tiny-1", "FRA", "en"), PermissionDenied),
    ]
    for bulk, alone, kind in cases:
        assert _refusal(store, bulk) == _refusal(store, alone) and _refusal(store, alone)[0] is kind
    R.draft_report(store, reviewer, "tiny-1", "KEN", "en")
    assert _refusal(store, lambda: R.draft_reports(store, "tiny-1", {"FRA": (sec, "en"), "KEN": (sec, "en")})) == \
        _refusal(store, lambda: R.draft_report(store, sec, "tiny-1", "KEN", "en"))
