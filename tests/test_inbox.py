"""The secretariat's inbox and the reading view in the library: who may see the inbox, how it
orders and filters, and answers shown with labels, in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest

from review import reading, submissions as subs
from review.access import PUBLIC
from review.errors import PermissionDenied
from review.inbox import inbox, secretariat_steps


@pytest.mark.parametrize("who", ["focal", "contributor", "observer", "public"])
def test_only_the_secretariat_has_an_inbox(submitted, store, who):
    with pytest.raises(PermissionDenied):
        inbox(store, PUBLIC if who == "public" else submitted[who])


def test_late_submissions_come_first_then_the_latest_change(submitted, store):
    rows = inbox(store, submitted["secretariat"], today=dt.date(2030, 2, 1))
    assert [(r.party, r.state, r.late) for r in rows] == [
        ("FRA", "draft", True), ("CHN", "not_started", True), ("KEN", "submitted", False)]
    on_time = inbox(store, submitted["secretariat"], today=dt.date(2030, 1, 1))
    assert [r.party for r in on_time] == ["FRA", "KEN", "CHN"]  # FRA saved after KEN submitted
    assert not any(r.late for r in on_time)
    assert on_time[-1].updated_at is None and rows[-1].completeness == 1.0


def test_the_inbox_filters_by_cycle_region_and_state(submitted, store):
    sec = submitted["secretariat"]
    assert [r.party for r in inbox(store, sec, states=["submitted"])] == ["KEN"]
    assert [r.party for r in inbox(store, sec, regions=["WEOG"])] == ["FRA"]
    assert {r.party for r in inbox(store, sec, regions=["AFR", "APG"])} == {"KEN", "CHN"}
    assert inbox(store, sec, cycles=["no-such-cycle"]) == []
    assert {r.cycle_id for r in inbox(store, sec, cycles=["tiny-1"])} == {"tiny-1"}


def test_the_buttons_follow_the_workflow():
    assert secretariat_steps("submitted") == {"return", "validate"}
    assert secretariat_steps("validated") == {"return", "publish"}
    assert secretariat_steps("draft") == set() and secretariat_steps("published") == set()


def test_answers_read_with_labels_in_the_readers_language(submitted, store, tiny):
    answers = subs.current_answers(store, submitted["secretariat"], "tiny-1", "KEN")
    sheet = reading.answer_sheet(tiny, ["I"], answers, "zh")
    first = sheet[0].articles[0].provisions[0]
    assert (first.ref, first.obligation) == ("第1条第1款", "强制性")
    lines = {line.question_id: line for line in first.lines}
    assert lines["status"].text == "已执行"
    assert lines["law"].rows == [{"标题": "Lighthouse Act", "年份": "2001", "链接": ""}]
    assert [a.number for a in sheet[0].articles] == [1, 2] and first.answered
    english = reading.answer_sheet(tiny, ["I"], {}, "en")[0].articles[0].provisions[0]
    assert not english.answered and english.lines[0].question == "Status?"


def test_only_published_consenting_parties_are_public(submitted, store):
    sec = submitted["secretariat"]
    assert reading.public_parties(store, "tiny-1") == []
    subs.validate(store, sec, "tiny-1", "KEN")
    subs.publish(store, sec, "tiny-1", "KEN")
    assert reading.public_parties(store, "tiny-1") == ["KEN"]
