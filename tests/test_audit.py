"""Every change lands in the append-only audit log, with who, what, and the values before and after."""

from __future__ import annotations

from review import audit, submissions as subs
from tests.actors import SETUP


def _count(store):
    with store.read() as cur:
        return cur.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_every_change_is_logged_with_before_and_after(tiny_cycle, store):
    _, a = tiny_cycle
    before = _count(store)
    first = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "partly_implemented"})
    subs.save_answers(store, a["contributor"], "tiny-1", "KEN", first.seq, {("1.1", "status"): "implemented"})
    entries = audit.entries(store, a["secretariat"], entity="submission", entity_id="tiny-1/KEN")
    assert _count(store) == before + 2
    latest = entries[0]
    assert (latest.actor, latest.action) == (a["contributor"].id, "answers.save")
    assert latest.before == {"1.1/status": "partly_implemented"}
    assert latest.after == {"1.1/status": "implemented"}


def test_workflow_steps_users_and_cycles_are_logged(tiny_cycle, store):
    _, a = tiny_cycle
    from tests.test_workflow import COMPLETE

    subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, COMPLETE)
    subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    subs.return_for_clarification(store, a["secretariat"], "tiny-1", "KEN", {"1.1": "Which law?"})
    actions = [e.action for e in audit.entries(store, SETUP)]
    for expected in ("cycle.create", "user.create", "answers.save", "submission.submit", "revision.freeze",
                     "submission.return", "comment.add"):
        assert expected in actions


def test_a_refused_change_logs_nothing(tiny_cycle, store):
    _, a = tiny_cycle
    before = _count(store)
    try:
        subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "perhaps"})
    except Exception:
        pass
    assert _count(store) == before


def test_history_is_appended_never_rewritten(tiny_cycle, store):
    _, a = tiny_cycle
    seq = 0
    for value in ("implemented", "partly_implemented", "not_implemented"):
        seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", seq, {("1.1", "status"): value}).seq
    saves = [e for e in audit.entries(store, SETUP, entity_id="tiny-1/KEN") if e.action == "answers.save"]
    assert [e.after["1.1/status"] for e in reversed(saves)] == ["implemented", "partly_implemented", "not_implemented"]
    assert [e.id for e in saves] == sorted((e.id for e in saves), reverse=True)
