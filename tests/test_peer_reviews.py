"""Peer review's reviewers, stages, desk review and calendar (review/peer/reviews.py): a reviewer
reads the reviewed Party's unpublished answers of its review's cycle and nothing else; the stages
follow their order, each completed by whom the policy says, with its evidence, audited; the desk
review's threads; the public calendar, the progress against it (late first) and the workload."""

from __future__ import annotations

import datetime as dt

import pytest

from review import audit, cycles, submissions as subs, users
from review.access import PUBLIC, viewer
from review.analysis import gaps, profile, scope, scoring, trace
from review.errors import InvalidTransition, NotFound, PermissionDenied, ReviewError, ValidationFailed
from review.peer import STAGES
from review.peer import report as R
from review.peer import reviews as rv
from tests.actors import SETUP
from tests.answer_helpers import contents
from tests.peer_helpers import make_review, make_reviewer
from tests.test_workflow import COMPLETE
from tests.workbook_helpers import database_state as _submission_state

PEER_TABLES = ("peer_review", "peer_review_reviewer", "peer_review_stage", "peer_review_expert", "desk_thread",
               "desk_message", "peer_dialogue", "app_user")


def database_state(store) -> tuple:
    """Everything a refused call could change: submissions, answers and the audit log, and the reviews."""
    with store.read() as cur:
        return _submission_state(store) + tuple(cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                                                for t in PEER_TABLES)


@pytest.fixture
def peer(submitted, store, tiny):
    """KEN (submitted in tiny-1) reviewed by FRA and CHN; a second cycle tiny-2 where KEN has a
    draft and is reviewed too; a reviewer of FRA on KEN's tiny-1 review only."""
    cycles.create_cycle(store, SETUP, cycle_id="tiny-2", title="Second", questionnaire_id=tiny.id,
                        questionnaire_version=tiny.version, chapters=["I"], parties=["KEN", "FRA"],
                        deadline=dt.date(2031, 1, 31))
    subs.save_answers(store, submitted["focal"], "tiny-2", "KEN", 0, {("1.1", "notes"): "second cycle draft"})
    make_review(store, "tiny-1", "KEN", [("FRA", False), ("CHN", True)])
    make_review(store, "tiny-1", "FRA", [("KEN", False), ("CHN", True)])
    make_review(store, "tiny-2", "KEN", [("FRA", False), ("CHN", True)])
    people = dict(submitted)
    people["reviewer"] = make_reviewer(store, "expert@fra.example.org", "FRA", ("tiny-1", "KEN"))
    people["other_reviewer"] = make_reviewer(store, "expert@chn.example.org", "CHN", ("tiny-1", "FRA"))
    return people


def test_a_reviewer_reads_the_reviewed_partys_unpublished_answers_of_its_cycle(peer, store):
    reviewer = peer["reviewer"]
    assert reviewer.reviews == {("tiny-1", "KEN")}
    assert contents(subs.current_answers(store, reviewer, "tiny-1", "KEN")) == COMPLETE
    assert contents(subs.readable_answers(store, reviewer, "tiny-1", "KEN")) == COMPLETE
    sub, answers = subs.working_copy(store, reviewer, "tiny-1", "KEN")
    assert sub.party == "KEN" and contents(answers) == COMPLETE
    assert [r.number for r in subs.revisions(store, reviewer, "tiny-1", "KEN")] == [1]
    assert contents(subs.revision_answers(store, reviewer, "tiny-1", "KEN", 1)) == COMPLETE
    assert subs.submission_completeness(store, reviewer, "tiny-1", "KEN") is not None
    assert rv.get_review(store, reviewer, "tiny-1", "KEN").party == "KEN"


OTHER_READS = {
    "answers of another Party": lambda s, who: subs.current_answers(s, who, "tiny-1", "FRA"),
    "answers of the reviewed Party in another cycle": lambda s, who: subs.current_answers(s, who, "tiny-2", "KEN"),
    "answers of a Party of no review": lambda s, who: subs.current_answers(s, who, "tiny-1", "CHN"),
    "its own Party's answers": lambda s, who: subs.current_answers(s, who, "tiny-1", "FRA"),
    "revisions in another cycle": lambda s, who: subs.revisions(s, who, "tiny-2", "KEN"),
    "a working copy in another cycle": lambda s, who: subs.working_copy(s, who, "tiny-2", "KEN"),
    "comments of another Party": lambda s, who: subs.comments(s, who, "tiny-1", "FRA"),
    "gap profile": lambda s, who: gaps.gap_profile(s, who, "KEN", "tiny-1"),
    "country profile": lambda s, who: profile.country_profile(s, who, "KEN", "tiny-1"),
    "chapter comparison": lambda s, who: scoring.chapter_comparison(s, who, "KEN", "tiny-1"),
    "another review": lambda s, who: rv.get_review(s, who, "tiny-1", "FRA"),
    "its reviewed Party's review in another cycle": lambda s, who: rv.get_review(s, who, "tiny-2", "KEN"),
    "threads of another review": lambda s, who: rv.threads(s, who, "tiny-2", "KEN"),
    "the progress of every review": lambda s, who: rv.progress(s, who),
    "editing the reviewed Party's answers": lambda s, who: subs.save_answers(
        s, who, "tiny-1", "KEN", 2, {("1.1", "notes"): "planted"}),
    "completing the Party's agreement": lambda s, who: rv.advance(s, who, "tiny-1", "KEN", "agreed"),
    "answering for the reviewed Party": lambda s, who: rv.answer(s, who, "tiny-1", "KEN", "1.1", "x"),
    "attaching an expert": lambda s, who: rv.assign_expert(s, who, "tiny-1", "KEN", who.id),
}


@pytest.mark.parametrize("read", sorted(OTHER_READS))
def test_a_reviewer_is_refused_everything_else(peer, store, read):
    before = database_state(store)
    with pytest.raises(PermissionDenied):
        OTHER_READS[read](store, peer["reviewer"])
    assert database_state(store) == before


def test_a_reviewer_sees_only_public_data_in_the_analyses(peer, store):
    reviewer = peer["reviewer"]
    assert viewer(reviewer).sight == "public"
    assert scope.answers_frame(store, reviewer, "tiny-1").is_empty()
    assert trace.trace(store, reviewer, "tiny-1", party="KEN").is_empty()
    _, rows = subs.cycle_status(store, reviewer, "tiny-1")
    assert all(r.completeness is None for r in rows)


def test_a_removed_expert_reads_nothing_from_the_next_load_of_the_account(peer, store):
    reviewer = peer["reviewer"]
    rv.remove_expert(store, SETUP, "tiny-1", "KEN", reviewer.id)
    again = users.get_user(store, reviewer.id).actor
    assert again.reviews == frozenset()
    with pytest.raises(PermissionDenied):
        subs.current_answers(store, again, "tiny-1", "KEN")
    rv.assign_expert(store, SETUP, "tiny-1", "KEN", reviewer.id)
    assert users.get_user(store, reviewer.id).actor.reviews == {("tiny-1", "KEN")}
    actions = [e.action for e in audit.entries(store, SETUP, "peer_review", "tiny-1/KEN")]
    assert actions.count("peer.expert_assign") == 2 and actions.count("peer.expert_remove") == 1


def test_only_a_reviewer_of_a_reviewing_party_is_attached(peer, store):
    with pytest.raises(ValidationFailed) as refused:
        rv.assign_expert(store, SETUP, "tiny-1", "KEN", peer["other_focal"].id)
    assert refused.value.problems[0].key == "peer.errors.not_a_reviewer"
    stranger = users.create_user(store, SETUP, email="expert@ken.example.org", name="KEN expert", role="reviewer",
                                 party="KEN")
    with pytest.raises(ValidationFailed) as refused:
        rv.assign_expert(store, SETUP, "tiny-1", "KEN", stranger.id)
    assert refused.value.problems[0].key == "peer.errors.not_a_reviewing_party"
    assert "expert@ken.example.org" not in [e.email for e in rv.candidate_experts(store, SETUP, "tiny-1", "KEN")]
    with pytest.raises(PermissionDenied):
        rv.assign_expert(store, peer["focal"], "tiny-1", "FRA", stranger.id)
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(store, SETUP, email="nobody@example.org", name="No Party", role="reviewer")
    assert refused.value.problems[0].location == "party"


def test_a_reviewer_is_invited_like_any_user_and_attached_once_active(peer, store):
    from review import invitations

    invitation = invitations.invite(store, SETUP, email="second@fra.example.org", name="Second FRA expert",
                                    role="reviewer", party="FRA")
    user = invitations.activate(store, invitation.token, "a long and unusual passphrase 42")
    assert user.role.value == "reviewer" and user.party == "FRA"
    assert "second@fra.example.org" in [e.email for e in rv.candidate_experts(store, SETUP, "tiny-1", "KEN")]
    rv.assign_expert(store, SETUP, "tiny-1", "KEN", user.id)
    again = users.get_user(store, user.id).actor
    assert contents(subs.current_answers(store, again, "tiny-1", "KEN")) == COMPLETE
    users.set_active(store, SETUP, user.id, False)
    with pytest.raises(ValidationFailed) as refused:
        rv.assign_expert(store, SETUP, "tiny-1", "FRA", user.id)
    assert {p.key for p in refused.value.problems} == {"peer.errors.not_a_reviewing_party", "peer.errors.inactive"}


def test_who_reads_a_review(peer, store):
    assert [r.id for r in rv.reviews_for(store, peer["reviewer"])] == ["tiny-1/KEN"]
    assert [r.id for r in rv.reviews_for(store, peer["focal"])] == ["tiny-1/KEN", "tiny-2/KEN"]
    assert [r.id for r in rv.reviews_for(store, peer["secretariat"])] == ["tiny-1/FRA", "tiny-1/KEN", "tiny-2/KEN"]
    assert rv.reviews_for(store, PUBLIC) == []
    review = rv.get_review(store, peer["focal"], "tiny-1", "KEN")
    assert review.reviewing == (("CHN", True), ("FRA", False))
    assert [e.email for e in review.experts] == ["expert@fra.example.org"]
    with pytest.raises(PermissionDenied):
        rv.get_review(store, peer["other_focal"], "tiny-1", "KEN")
    with pytest.raises(NotFound):
        rv.get_review(store, SETUP, "tiny-1", "CHN")


def _walk_to(store, peer, stage):
    """Drive KEN's tiny-1 review to `stage` through the services, each step by whom acts."""
    order = STAGES[1:STAGES.index(stage) + 1]
    for step in order:
        if step == "dialogue":
            rv.record_dialogue(store, peer["secretariat"], "tiny-1", "KEN", kind="visit", starts=dt.date(2030, 5, 4),
                               ends=dt.date(2030, 5, 6), place="Nairobi", participants="FRA, CHN experts; KEN agencies")
        who = {"peer.stage": "secretariat", "peer.conclude": "reviewer", "peer.agree": "focal"}[rv.STAGE_ACTION[step]]
        rv.advance(store, peer[who], "tiny-1", "KEN", step)


def test_what_plan_assign_and_advance_return_is_the_review_a_reload_reads(peer, store):
    """They build the review they return from the one they loaded (no second load): it must be the
    same as reading it again, late flags, experts' order and completion time included."""
    sec = peer["secretariat"]
    past = dt.date.today() - dt.timedelta(days=3)
    planned = rv.plan(store, sec, "tiny-1", "KEN", {"submitted": past, "desk_review": past, "dialogue": None})
    assert planned == rv.get_review(store, sec, "tiny-1", "KEN") and planned.late
    second = users.create_user(store, SETUP, email="a.expert@chn.example.org", name="A CHN expert", role="reviewer",
                               party="CHN")
    assigned = rv.assign_expert(store, SETUP, "tiny-1", "KEN", second.id)
    assert assigned == rv.get_review(store, sec, "tiny-1", "KEN") and len(assigned.experts) == 2
    assert rv.assign_expert(store, SETUP, "tiny-1", "KEN", second.id) == assigned  # attached already: unchanged
    done = rv.advance(store, sec, "tiny-1", "KEN", "submitted")
    assert done == rv.get_review(store, sec, "tiny-1", "KEN") and done.stage == "submitted"
    assert done.stages[1].done_at is not None and not done.stages[1].late and done.stages[2].late


def test_the_stages_follow_their_order_each_completed_by_whom_the_policy_names(peer, store):
    sec, reviewer, focal = peer["secretariat"], peer["reviewer"], peer["focal"]
    with pytest.raises(InvalidTransition):
        rv.advance(store, sec, "tiny-1", "KEN", "dialogue")
    with pytest.raises(PermissionDenied):
        rv.advance(store, reviewer, "tiny-1", "KEN", "submitted")
    _walk_to(store, peer, "submitted")
    with pytest.raises(PermissionDenied):  # the reviewers close their desk review, not the Party
        rv.advance(store, focal, "tiny-1", "KEN", "desk_review")
    rv.advance(store, reviewer, "tiny-1", "KEN", "desk_review")
    with pytest.raises(InvalidTransition) as refused:
        rv.advance(store, sec, "tiny-1", "KEN", "dialogue")
    assert refused.value.key == "peer.errors.no_dialogue"
    rv.record_dialogue(store, sec, "tiny-1", "KEN", kind="joint_meeting", starts=dt.date(2030, 5, 4),
                       ends=dt.date(2030, 5, 4), place="Vienna", participants="FRA, CHN, KEN")
    rv.advance(store, sec, "tiny-1", "KEN", "dialogue")
    # the report's steps are the stages: no draft report stage without a report; drafting it completes it
    with pytest.raises(InvalidTransition) as refused:
        rv.advance(store, reviewer, "tiny-1", "KEN", "draft_report")
    assert refused.value.key == "peer2.errors.no_report"
    assert R.draft_report(store, reviewer, "tiny-1", "KEN").stage == "draft_report"
    for who in ("secretariat", "contributor", "reviewer", "other_focal"):
        with pytest.raises(PermissionDenied):
            R.agree(store, peer[who], "tiny-1", "KEN", full_report_public=True)
    with store.transaction() as cur:  # a summary without text in one language is not ready
        cur.execute("UPDATE review_summary SET drafted = '' WHERE review_id = 'tiny-1/KEN' AND lang = 'ru'")
    assert R.agree(store, focal, "tiny-1", "KEN", full_report_public=True) == "agreed"
    with pytest.raises(ReviewError) as locked:  # the Party agreed to the report as it is
        R.edit_text(store, sec, "tiny-1", "KEN", R.GENERAL, "introduction", "changed after", 99)
    assert locked.value.key == "peer2.errors.locked_agreed"
    with pytest.raises(InvalidTransition) as refused:
        R.summary_ready(store, sec, "tiny-1", "KEN")
    assert refused.value.key == "peer2.errors.summary_missing" and refused.value.params["languages"] == "ru"
    R.edit_summary(store, sec, "tiny-1", "KEN", "ru", "Исполнительное резюме.", R.get_summary(store, sec, "tiny-1", "KEN", "ru").seq)
    assert R.summary_ready(store, sec, "tiny-1", "KEN") == "summary"
    assert [r.stage for r in rv.calendar(store, "tiny-1") if r.party == "KEN"] == ["summary"]
    assert not R.published_summaries(store, PUBLIC, "KEN")
    assert R.publish(store, sec, "tiny-1", "KEN") == "published"
    assert [m.text for m in R.published_summaries(store, PUBLIC, "KEN", "ru")] == ["Исполнительное резюме."]
    review = rv.get_review(store, sec, "tiny-1", "KEN")
    assert R.get_report(store, PUBLIC, "tiny-1", "KEN").seq == 1  # the Party agreed to publishing it in full
    assert next(r for r in rv.calendar(store, "tiny-1") if r.party == "KEN").stages[-1][2] == dt.date.today()
    assert review.stage == "published" and review.next_stage is None
    assert all(s.done_at is not None for s in review.stages)
    assert {s.stage: s.done_by for s in review.stages}["agreed"] == focal.id
    entries = sorted((e for e in audit.entries(store, SETUP, "peer_review", "tiny-1/KEN") if e.action == "peer.stage"),
                     key=lambda e: e.id)
    assert [e.after["stage"] for e in entries] == list(STAGES[1:])
    assert [e.before["stage"] for e in entries] == list(STAGES[:-1])
    with pytest.raises(InvalidTransition):
        rv.advance(store, sec, "tiny-1", "KEN", "published")


def test_a_report_step_and_its_stage_are_one_transaction(peer, store, monkeypatch):
    _walk_to(store, peer, "dialogue")
    real = rv.audit.record_each  # every audit entry is written through it

    def fail_at_the_stage(cur, changes):
        if any(change[1] == "peer.stage" for change in changes):
            raise RuntimeError("the database failed as the stage was recorded")
        return real(cur, changes)

    before = database_state(store)
    monkeypatch.setattr(rv.audit, "record_each", fail_at_the_stage)
    with pytest.raises(RuntimeError):
        R.draft_report(store, peer["reviewer"], "tiny-1", "KEN")
    monkeypatch.undo()
    assert database_state(store) == before  # no stage, and no report either
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM review_report WHERE review_id = 'tiny-1/KEN'").fetchone() == (0,)
    R.draft_report(store, peer["reviewer"], "tiny-1", "KEN")
    with pytest.raises(InvalidTransition):  # the focal point agrees only to the stage under way: consent unchanged too
        R.publish(store, peer["secretariat"], "tiny-1", "KEN")
    stage = R.agree(store, peer["focal"], "tiny-1", "KEN", full_report_public=False)
    assert stage == "agreed" and rv.get_review(store, peer["secretariat"], "tiny-1", "KEN").stage == "agreed"
    with store.read() as cur:
        assert cur.execute("SELECT full_report_public FROM peer_review WHERE id = 'tiny-1/KEN'").fetchone() == (False,)


def test_submitted_needs_the_partys_submitted_self_assessment(peer, store):
    before = database_state(store)
    with pytest.raises(InvalidTransition) as refused:
        rv.advance(store, peer["secretariat"], "tiny-1", "FRA", "submitted")
    assert refused.value.key == "peer.errors.not_submitted"
    assert database_state(store) == before


def test_the_desk_review_thread_questions_and_answers(peer, store):
    reviewer, contributor = peer["reviewer"], peer["contributor"]
    with pytest.raises(InvalidTransition):  # the desk review opens once the submission is recorded
        rv.ask(store, reviewer, "tiny-1", "KEN", "1.1", "Which article?")
    _walk_to(store, peer, "submitted")
    rv.ask(store, reviewer, "tiny-1", "KEN", "1.1", "Looks complete.", kind="comment")
    thread = rv.ask(store, reviewer, "tiny-1", "KEN", "1.1", "Which article of the Lighthouse Act?")
    assert thread.awaiting_answer and [m.side for m in thread.messages] == ["reviewers", "reviewers"]
    with pytest.raises(InvalidTransition) as refused:
        rv.advance(store, reviewer, "tiny-1", "KEN", "desk_review")
    assert refused.value.params["provisions"] == "1.1"
    with pytest.raises(PermissionDenied):
        rv.answer(store, peer["other_focal"], "tiny-1", "KEN", "1.1", "Not mine")
    with pytest.raises(PermissionDenied):
        rv.ask(store, peer["other_reviewer"], "tiny-1", "KEN", "1.1", "Not my review")
    with pytest.raises(PermissionDenied):
        rv.answer(store, peer["observer"], "tiny-1", "KEN", "1.1", "Observers read only")
    with pytest.raises(InvalidTransition):
        rv.answer(store, contributor, "tiny-1", "KEN", "2", "Nobody asked")
    thread = rv.answer(store, contributor, "tiny-1", "KEN", "1.1", "Article 4.\n<b>not bold</b>")
    assert not thread.awaiting_answer
    assert thread.messages[-1].body == "Article 4.\n<b>not bold</b>" and thread.messages[-1].side == "party"
    assert [t.provision_id for t in rv.threads(store, peer["observer"], "tiny-1", "KEN")] == ["1.1"]
    rv.advance(store, reviewer, "tiny-1", "KEN", "desk_review")
    with pytest.raises(InvalidTransition):
        rv.ask(store, reviewer, "tiny-1", "KEN", "2", "Too late")


def test_a_desk_review_message_out_of_bounds_is_refused_naming_the_field(peer, store):
    from review import limits

    _walk_to(store, peer, "submitted")
    before = database_state(store)
    for body, key in (("x" * (limits.DESK_MESSAGE_CHARS + 1), "values.too_long"), ("   ", "values.required")):
        with pytest.raises(ValidationFailed) as refused:
            rv.ask(store, peer["reviewer"], "tiny-1", "KEN", "1.1", body)
        assert [(p.location, p.key) for p in refused.value.problems] == [("desk_message", key)]
    with pytest.raises(ValidationFailed) as refused:
        rv.ask(store, peer["reviewer"], "tiny-1", "KEN", "99.9", "Which provision?")
    assert refused.value.problems[0].location == "provision"
    with pytest.raises(ValidationFailed) as refused:
        rv.record_dialogue(store, peer["secretariat"], "tiny-1", "KEN", kind="visit", starts=dt.date(2030, 5, 6),
                           ends=dt.date(2030, 5, 4), place="", participants="p" * (limits.DIALOGUE_TEXT_CHARS + 1))
    assert {p.location for p in refused.value.problems} == {"ends", "place", "participants"}
    assert database_state(store) == before


def test_planned_dates_follow_the_stages_and_late_stages_come_first(peer, store):
    sec = peer["secretariat"]
    today = dt.date(2030, 6, 1)
    with pytest.raises(ValidationFailed) as refused:
        rv.plan(store, sec, "tiny-1", "KEN", {"submitted": dt.date(2030, 3, 1), "desk_review": dt.date(2030, 2, 1)})
    assert refused.value.problems[0].location == "stage desk_review"
    with pytest.raises(PermissionDenied):
        rv.plan(store, peer["reviewer"], "tiny-1", "KEN", {"submitted": dt.date(2030, 3, 1)})
    rv.plan(store, sec, "tiny-1", "KEN", {"submitted": dt.date(2030, 3, 1), "desk_review": dt.date(2030, 5, 1)})
    rv.plan(store, sec, "tiny-1", "FRA", {"submitted": dt.date(2030, 5, 20)})
    rv.plan(store, sec, "tiny-2", "KEN", {"submitted": dt.date(2031, 3, 1)})
    _walk_to(store, peer, "submitted")  # KEN's submitted stage done: only its desk review is late
    items = rv.progress(store, sec, today=today)
    assert [(p.review.id, p.late_stages, p.days_late) for p in items] == [
        ("tiny-1/KEN", ("desk_review",), 31), ("tiny-1/FRA", ("submitted",), 12), ("tiny-2/KEN", (), 0)]
    assert [p.review.id for p in rv.progress(store, sec, "tiny-2", today=today)] == ["tiny-2/KEN"]
    loads = {w.reviewing_party: w for w in rv.workload(store, sec, today=today)}
    assert (loads["CHN"].reviews, loads["CHN"].late, loads["CHN"].experts) == (3, 2, 1)
    assert (loads["FRA"].reviews, loads["FRA"].experts) == (2, 1)
    assert loads["KEN"].reviews == 1
    rows = rv.status_rows(store, sec, "tiny-1", today=today)
    assert rows[0]["party"] == "KEN" and rows[0]["late"] and rows[0]["experts"][0]["party"] == "FRA"
    assert rows[0]["stages"][2] == {"stage": "desk_review", "planned": "2030-05-01", "done": None, "late": True}


def test_the_public_calendar_says_who_reviews_whom_and_the_dates_nothing_more(peer, store):
    rv.plan(store, peer["secretariat"], "tiny-1", "KEN", {"desk_review": dt.date(2030, 5, 1)})
    _walk_to(store, peer, "submitted")
    rows = {(r.cycle_id, r.party): r for r in rv.calendar(store, today=dt.date(2030, 6, 1))}
    ken = rows[("tiny-1", "KEN")]
    assert ken.reviewing == ("CHN", "FRA") and ken.stage == "submitted" and ken.late
    dates = {s: (planned, done) for s, planned, done in ken.stages}
    assert dates["desk_review"] == (dt.date(2030, 5, 1), None) and dates["submitted"][1] == dt.date.today()
    assert not any(isinstance(v, str) and len(v) == 12 for r in rows.values() for v in vars(r).values())
    assert [r.party for r in rv.calendar(store, "tiny-2")] == ["KEN"]
