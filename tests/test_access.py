"""Authorization lives in the library: every cross-Party or out-of-role call is refused."""

from __future__ import annotations

from tests.answer_helpers import contents

import pytest

from review import audit, cycles, submissions as subs, users
from review.access import PUBLIC, Actor, Role
from review.analysis import gaps, legislation, profile, scope, scoring, trace
from review.errors import PermissionDenied
from tests.test_workflow import COMPLETE


READS = {
    "current answers": lambda s, who: subs.current_answers(s, who, "tiny-1", "FRA"),
    "revisions": lambda s, who: subs.revisions(s, who, "tiny-1", "FRA"),
    "revision": lambda s, who: subs.revision_answers(s, who, "tiny-1", "FRA", 1),
    "comments": lambda s, who: subs.comments(s, who, "tiny-1", "FRA"),
    "completeness": lambda s, who: subs.submission_completeness(s, who, "tiny-1", "FRA"),
    "readable answers": lambda s, who: subs.readable_answers(s, who, "tiny-1", "FRA"),
    "gap profile": lambda s, who: gaps.gap_profile(s, who, "FRA", "tiny-1"),
    "country profile": lambda s, who: profile.country_profile(s, who, "FRA", "tiny-1"),
    "chapter comparison": lambda s, who: scoring.chapter_comparison(s, who, "FRA", "tiny-1"),
}


@pytest.mark.parametrize("read", sorted(READS))
@pytest.mark.parametrize("who", ["focal", "contributor", "observer"])
def test_a_party_user_cannot_read_another_partys_unpublished_data(submitted, store, read, who):
    with pytest.raises(PermissionDenied):
        READS[read](store, submitted[who])


@pytest.mark.parametrize("read", sorted(READS))
def test_the_public_cannot_read_unpublished_data(submitted, store, read):
    with pytest.raises(PermissionDenied):
        READS[read](store, PUBLIC)
    with pytest.raises(PermissionDenied):
        subs.published_answers(store, "tiny-1", "FRA")


@pytest.mark.parametrize("who", ["focal", "contributor"])
def test_a_party_user_cannot_change_another_partys_answers(submitted, store, who):
    with pytest.raises(PermissionDenied):
        subs.save_answers(store, submitted[who], "tiny-1", "FRA", 1, {("1.1", "status"): "not_implemented"})
    assert subs.current_answers(store, submitted["other_focal"], "tiny-1", "FRA")[("1.1", "status")] == "implemented"


@pytest.mark.parametrize("who", ["focal", "contributor", "observer"])
def test_another_partys_consent_and_comments_are_out_of_reach(submitted, store, who):
    with pytest.raises(PermissionDenied):
        subs.set_consent(store, submitted[who], "tiny-1", "FRA", False)
    with pytest.raises(PermissionDenied):
        subs.add_comment(store, submitted[who], "tiny-1", "FRA", None, "Please clarify.")


@pytest.mark.parametrize("who", ["focal", "contributor", "observer"])
def test_the_analysis_gives_a_party_user_its_own_answers_and_none_of_another_draft(submitted, store, who):
    actor = submitted[who]
    assert scope.answers_frame(store, actor, "tiny-1")["party"].unique().to_list() == ["KEN"]
    assert trace.trace(store, actor, "tiny-1", party="FRA").is_empty()
    assert "FRA" not in legislation.legislation_library(store, actor)["party"].to_list()
    assert sorted(scope.answers_frame(store, submitted["secretariat"], "tiny-1")["party"].unique()) == ["FRA", "KEN"]


def test_a_party_cannot_submit_for_another_party(submitted, store):
    with pytest.raises(PermissionDenied):
        subs.submit(store, submitted["focal"], "tiny-1", "FRA", consent=True)


def test_only_the_focal_point_submits(submitted, store):
    for who in ("contributor", "observer", "secretariat"):
        with pytest.raises(PermissionDenied):
            subs.submit(store, submitted[who], "tiny-1", "KEN", consent=True)


def test_an_observer_reads_but_never_edits(submitted, store):
    assert contents(subs.current_answers(store, submitted["observer"], "tiny-1", "KEN")) == COMPLETE
    with pytest.raises(PermissionDenied):
        subs.save_answers(store, submitted["observer"], "tiny-1", "KEN", 1, {("1.1", "notes"): "x"})


@pytest.mark.parametrize("step", ["return", "validate", "publish"])
@pytest.mark.parametrize("who", ["focal", "contributor", "observer"])
def test_only_the_secretariat_returns_validates_and_publishes(submitted, store, step, who):
    call = {
        "return": lambda: subs.return_for_clarification(store, submitted[who], "tiny-1", "KEN", {None: "x"}),
        "validate": lambda: subs.validate(store, submitted[who], "tiny-1", "KEN"),
        "publish": lambda: subs.publish(store, submitted[who], "tiny-1", "KEN"),
    }[step]
    with pytest.raises(PermissionDenied):
        call()
    assert subs.get_submission(store, "tiny-1", "KEN").state == "submitted"


@pytest.mark.parametrize("who", ["focal", "observer"])
def test_party_users_cannot_manage_cycles_users_or_read_the_audit_log(submitted, store, who, tiny):
    actor = submitted[who]
    with pytest.raises(PermissionDenied):
        users.create_user(store, actor, email="x@example.org", name="X", role=Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        cycles.create_cycle(store, actor, cycle_id="mine", title="Mine", questionnaire_id=tiny.id, questionnaire_version="1",
                            chapters=["I"], parties=["KEN"], deadline=__import__("datetime").date(2031, 1, 1))
    with pytest.raises(PermissionDenied):
        audit.entries(store, actor)


def test_a_party_role_without_a_party_reads_nothing(submitted, store):
    stray = Actor("stray", Role.FOCAL_POINT, None)
    with pytest.raises(PermissionDenied):
        subs.current_answers(store, stray, "tiny-1", "KEN")


def test_published_answers_are_public_only_with_consent(submitted, store):
    sec = submitted["secretariat"]
    subs.validate(store, sec, "tiny-1", "KEN")
    subs.publish(store, sec, "tiny-1", "KEN")
    assert contents(subs.readable_answers(store, PUBLIC, "tiny-1", "KEN")) == COMPLETE
    assert contents(subs.readable_answers(store, submitted["other_focal"], "tiny-1", "KEN")) == COMPLETE
    subs.set_consent(store, submitted["focal"], "tiny-1", "KEN", False)
    with pytest.raises(PermissionDenied):
        subs.readable_answers(store, PUBLIC, "tiny-1", "KEN")
