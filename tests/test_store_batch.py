"""Bulk loads as one transaction (`Store.batch`): the same library calls, all written or none, and
what a process keeps of questionnaire definitions never outlives a change to them."""

from __future__ import annotations

import datetime as dt

import pytest

from review import cycles, submissions, users
from review.access import Role
from review.errors import ReviewError
from review.questionnaire import from_mapping
from tests.actors import SETUP
from tests.tiny_instrument import tiny_definition


def _count(store, table: str) -> int:
    with store.read() as cur:
        return cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_batch_writes_every_change_and_reads_inside_see_them(store, tiny):
    with store.batch():
        cycles.register_questionnaire(store, SETUP, tiny)
        cycles.create_cycle(store, SETUP, cycle_id="tiny-1", title="Tiny", questionnaire_id=tiny.id,
                            questionnaire_version=tiny.version, chapters=["I"], parties=["KEN"],
                            deadline=dt.date(2030, 1, 31))
        # a read inside the batch sees the cycle written just before
        assert cycles.get_cycle(store, "tiny-1").title == "Tiny"
    assert [c.id for c in cycles.list_cycles(store)] == ["tiny-1"]
    assert submissions.get_submission(store, "tiny-1", "KEN").state == "not_started"


def test_a_change_failing_inside_a_batch_fails_the_whole_batch(store, tiny):
    """DuckDB has no savepoint to undo one change alone: a change that fails while writing fails
    the batch, even when its caller carries on."""
    audit_before = _count(store, "audit_log")
    with pytest.raises(RuntimeError):
        with store.batch():
            cycles.register_questionnaire(store, SETUP, tiny)
            cycles.create_cycle(store, SETUP, cycle_id="tiny-1", title="Tiny", questionnaire_id=tiny.id,
                                questionnaire_version=tiny.version, chapters=["I"], parties=["KEN"],
                                deadline=dt.date(2030, 1, 31))
            focal = users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN")
            try:  # a save from a change counter the submission never had is refused inside its transaction
                submissions.save_answers(store, focal.actor, "tiny-1", "KEN", 5, {})
            except ReviewError:
                pass
            users.create_user(store, SETUP, email="b@example.org", name="B", role=Role.SECRETARIAT)
    assert _count(store, "app_user") == 0
    assert _count(store, "questionnaire") == 0
    assert _count(store, "cycle") == 0
    assert _count(store, "audit_log") == audit_before
    with pytest.raises(ReviewError):
        cycles.questionnaire(store, tiny.id, tiny.version)  # nothing kept of the rolled-back definition


def test_a_refusal_before_any_write_leaves_the_batch_whole(store, tiny):
    with store.batch():
        users.create_user(store, SETUP, email="a@example.org", name="A", role=Role.SECRETARIAT)
        with pytest.raises(ReviewError):  # refused while checking, before its transaction
            users.create_user(store, SETUP, email="a@example.org", name="A again", role=Role.SECRETARIAT)
        users.create_user(store, SETUP, email="b@example.org", name="B", role=Role.SECRETARIAT)
    assert _count(store, "app_user") == 2


def test_an_error_leaving_the_batch_rolls_it_back(store, tiny):
    with pytest.raises(KeyError):
        with store.batch():
            cycles.register_questionnaire(store, SETUP, tiny)
            raise KeyError("stop")
    assert _count(store, "questionnaire") == 0


def test_a_corrected_label_is_read_at_once_though_definitions_are_kept(store, tiny):
    cycles.register_questionnaire(store, SETUP, tiny)
    first = cycles.questionnaire(store, tiny.id, tiny.version)
    assert cycles.questionnaire(store, tiny.id, tiny.version) is first  # parsed once
    corrected = tiny_definition()
    corrected["title"] = {"en": "Tiny, corrected title", "zh": "更正的标题"}
    cycles.register_questionnaire(store, SETUP, from_mapping(corrected, "tiny"))
    assert cycles.questionnaire(store, tiny.id, tiny.version).source["title"]["en"] == "Tiny, corrected title"
