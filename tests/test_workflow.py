"""The review workflow: the state machine, saving with revisions, submitting, returning, publishing."""

from __future__ import annotations

import json

from tests.answer_helpers import contents

import pytest

from review import audit
from review import submissions as subs
from review.errors import InvalidTransition, StaleSave, ValidationFailed
from review.submissions import STATES, TRANSITIONS

COMPLETE = {
    ("1.1", "status"): "implemented",
    ("1.1", "law"): [{"title": "Lighthouse Act", "year": 2001}],
    ("1.2", "status"): "not_applicable",
    ("2", "status"): "not_implemented",
}


def _to_state(store, actors, state):
    """Drive the KEN submission of the tiny cycle to `state` through the real services."""
    fp, sec = actors["focal"], actors["secretariat"]
    if state == "not_started":
        return
    subs.save_answers(store, fp, "tiny-1", "KEN", 0, COMPLETE)
    if state == "draft":
        return
    subs.submit(store, fp, "tiny-1", "KEN", consent=True)
    if state == "submitted":
        return
    if state == "returned":
        subs.return_for_clarification(store, sec, "tiny-1", "KEN", {"1.1": "Which article?"})
        return
    subs.validate(store, sec, "tiny-1", "KEN")
    if state == "published":
        subs.publish(store, sec, "tiny-1", "KEN")


def _step(store, actors, step):
    fp, sec = actors["focal"], actors["secretariat"]
    seq = subs.get_submission(store, "tiny-1", "KEN").seq
    calls = {
        "save": lambda: subs.save_answers(store, fp, "tiny-1", "KEN", seq, {("1.1", "notes"): f"edit {seq}"}),
        "submit": lambda: subs.submit(store, fp, "tiny-1", "KEN", consent=True),
        "return": lambda: subs.return_for_clarification(store, sec, "tiny-1", "KEN", {None: "Please clarify."}),
        "validate": lambda: subs.validate(store, sec, "tiny-1", "KEN"),
        "publish": lambda: subs.publish(store, sec, "tiny-1", "KEN"),
    }
    calls[step]()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", sorted(TRANSITIONS))
def test_the_state_machine_allows_exactly_its_transitions(tiny_cycle, store, state, step):
    _, actors = tiny_cycle
    _to_state(store, actors, state)
    assert subs.get_submission(store, "tiny-1", "KEN").state == state
    target = TRANSITIONS[step].get(state)
    if target is None:
        with pytest.raises(InvalidTransition):
            _step(store, actors, step)
        assert subs.get_submission(store, "tiny-1", "KEN").state == state
    else:
        _step(store, actors, step)
        assert subs.get_submission(store, "tiny-1", "KEN").state == target


def test_the_full_path_from_draft_to_published(tiny_cycle, store):
    _, a = tiny_cycle
    first = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, COMPLETE)
    assert subs.get_submission(store, "tiny-1", "KEN").state == "draft"
    assert subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True) == 1
    subs.return_for_clarification(store, a["secretariat"], "tiny-1", "KEN", {"1.1": "Cite the article.", None: "Thanks."})
    comments = subs.comments(store, a["focal"], "tiny-1", "KEN")
    assert [(c.provision_id, c.body) for c in comments] == [("1.1", "Cite the article."), (None, "Thanks.")]
    subs.save_answers(store, a["contributor"], "tiny-1", "KEN", first.seq,
                      {("1.1", "law"): [{"title": "Lighthouse Act", "year": 2001, "link": "https://example.org/act"}]})
    assert subs.submit(store, a["focal"], "tiny-1", "KEN", consent=False) == 2
    subs.validate(store, a["secretariat"], "tiny-1", "KEN")
    published = subs.publish(store, a["secretariat"], "tiny-1", "KEN")
    assert published.state == "published" and published.published_revision == 2
    assert not published.public  # no consent: the full answers stay private


def test_a_stale_save_is_refused_and_nothing_is_lost(tiny_cycle, store):
    _, a = tiny_cycle
    start = subs.get_submission(store, "tiny-1", "KEN").seq
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", start, {("1.1", "notes"): "Colleague's text"})
    with pytest.raises(StaleSave) as caught:
        subs.save_answers(store, a["contributor"], "tiny-1", "KEN", start, {("1.1", "notes"): "My text"})
    assert [(c.provision_id, c.question_id, c.value) for c in caught.value.changes] == [("1.1", "notes", "Colleague's text")]
    assert "Someone saved" in caught.value.message("en")
    assert subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "notes")] == "Colleague's text"
    subs.save_answers(store, a["contributor"], "tiny-1", "KEN", caught.value.current, {("1.1", "notes"): "My text"})
    assert subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "notes")] == "My text"


def test_invalid_values_are_refused_whole(tiny_cycle, store):
    _, a = tiny_cycle
    with pytest.raises(ValidationFailed) as caught:
        subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {
            ("1.1", "status"): "implemented",
            ("1.1", "law"): [{"title": "x" * 51, "year": 1492, "link": "not a link"}],
            ("1.1", "keepers"): -1,
            ("3", "status"): "implemented",
        })
    keys = sorted(p.key for p in caught.value.problems)
    assert keys == ["values.bad_url", "values.bad_year", "values.below_min", "values.too_long", "values.unknown_provision"]
    assert subs.current_answers(store, a["focal"], "tiny-1", "KEN") == {}
    assert subs.get_submission(store, "tiny-1", "KEN").state == "not_started"


def test_submit_is_blocked_with_the_list_of_what_is_missing(tiny_cycle, store):
    _, a = tiny_cycle
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "partly_implemented"})
    with pytest.raises(ValidationFailed) as caught:
        subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    assert sorted(p.location for p in caught.value.problems) == ["1.1 law", "1.2 status", "2 status"]
    assert subs.get_submission(store, "tiny-1", "KEN").state == "draft"


def test_completeness_counts_conditionally_required_answers(tiny_cycle, store, tiny):
    _, a = tiny_cycle
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "implemented", ("2", "status"): "implemented"})
    done = subs.submission_completeness(store, a["focal"], "tiny-1", "KEN")
    # required: 1.1 status, 1.1 law (because implemented), 1.2 status, 2 status, 2 law (because implemented)
    assert (done.answered, done.required) == (2, 5)
    assert done.chapters == {"I": (2, 5), "II": (0, 0)}
    assert done.ratio == pytest.approx(0.4)


def test_each_submit_freezes_a_revision_that_stays_readable(tiny_cycle, store):
    _, a = tiny_cycle
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, COMPLETE).seq
    subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    subs.return_for_clarification(store, a["secretariat"], "tiny-1", "KEN", {None: "More detail please."})
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", seq, {("2", "status"): "partly_implemented", ("1.1", "notes"): "Detail"})
    first = subs.revision_answers(store, a["focal"], "tiny-1", "KEN", 1)
    assert contents(first) == COMPLETE
    changes = subs.diff(first, subs.current_answers(store, a["focal"], "tiny-1", "KEN"))
    assert changes == [(("1.1", "notes"), None, "Detail"), (("2", "status"), "not_implemented", "partly_implemented")]
    assert [r.kind for r in subs.revisions(store, a["focal"], "tiny-1", "KEN")] == ["submitted"]


def test_a_save_that_changes_nothing_makes_no_new_change(tiny_cycle, store):
    _, a = tiny_cycle
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "implemented"}).seq
    again = subs.save_answers(store, a["focal"], "tiny-1", "KEN", seq, {("1.1", "status"): "implemented"})
    assert (again.seq, again.changed) == (seq, 0)


def test_empty_table_rows_and_blank_text_are_not_stored_as_answers(tiny_cycle, store):
    _, a = tiny_cycle
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "law"): [{"title": " "}, {}], ("1.1", "notes"): "  "})
    assert subs.current_answers(store, a["focal"], "tiny-1", "KEN") == {}


def test_a_save_replaces_only_the_answers_it_changes_and_logs_before_and_after(tiny_cycle, store):
    _, a = tiny_cycle
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, COMPLETE).seq
    cycle = subs.get_cycle(store, "tiny-1")
    working = subs.working_copy(store, a["focal"], "tiny-1", "KEN")
    [result] = subs.save_imports(store, a["focal"], [subs.CheckedSave(cycle, subs.cycle_questionnaire(store, cycle), working, {
        ("1.1", "status"): "partly_implemented", ("1.2", "status"): None, ("1.1", "notes"): "New", ("2", "status"): "not_implemented",
    }, note="From a workbook")])
    assert (result.changed, result.revision) == (3, 1)
    header, answers = subs.working_copy(store, a["focal"], "tiny-1", "KEN")
    assert header.seq == result.seq == seq + 1
    expected = {**COMPLETE, ("1.1", "status"): "partly_implemented", ("1.1", "notes"): "New"}
    del expected[("1.2", "status")]
    assert contents(answers) == expected
    assert subs.revision_answers(store, a["focal"], "tiny-1", "KEN", 1) == answers
    latest, saved = audit.entries(store, a["secretariat"], entity_id="tiny-1/KEN")[:2]
    assert (latest.action, latest.after["revision"], saved.action) == ("revision.freeze", 1, "answers.import")
    assert saved.before == {"1.1/status": "implemented", "1.2/status": "not_applicable", "1.1/notes": None}
    assert saved.after == {"1.1/status": "partly_implemented", "1.2/status": None, "1.1/notes": "New"}


def test_a_save_logs_the_text_json_writes_and_replaces_a_cleared_answer(tiny_cycle, store):
    """A save encodes each value once, for its row and its audit entry (`audit.Encoded`), and deletes
    only the rows the submission holds: the log holds json.dumps' own text, and an answer cleared
    (a row without a value) is replaced by the next save."""
    fp = tiny_cycle[1]["focal"]
    table = [{"title": "Loi n° 1 « cyber »", "year": 2001}]
    # (the record separator inside a text: a save passes each column of its rows as one text split on it)
    seq = subs.save_answers(store, fp, "tiny-1", "KEN", 0, {("1.1", "notes"): ' Ñandú\x1e"q"\n', ("1.1", "law"): table}).seq
    assert subs.current_answers(store, fp, "tiny-1", "KEN")[("1.1", "notes")] == 'Ñandú\x1e"q"'
    seq = subs.save_answers(store, fp, "tiny-1", "KEN", seq, {("1.1", "notes"): None}).seq
    subs.save_answers(store, fp, "tiny-1", "KEN", seq, {("1.1", "notes"): "Again"})
    answers = subs.current_answers(store, fp, "tiny-1", "KEN")
    assert answers[("1.1", "notes")] == "Again"
    with store.read() as cur:
        logged = cur.execute("SELECT before, after FROM audit_log WHERE action = 'answers.save' ORDER BY id").fetchall()

    def dumps(value):
        return json.dumps(value, ensure_ascii=False, default=str)
    assert logged == [
        (dumps({"1.1/notes": None, "1.1/law": None}), dumps({"1.1/notes": 'Ñandú\x1e"q"', "1.1/law": answers[("1.1", "law")]})),
        (dumps({"1.1/notes": 'Ñandú\x1e"q"'}), dumps({"1.1/notes": None})),
        (dumps({"1.1/notes": None}), dumps({"1.1/notes": "Again"})),
    ]
    # an id holding the separator would shift the rows: refused rather than written askew
    with pytest.raises(ValueError):
        subs._column_text(["ok", "a\x1eb"])
