"""The draft-and-conflict protocol of one section, in the library, without Streamlit: where the
inputs start, reverted drafts dropped, a refused save kept as a draft, and a save that overlaps
nobody always landing."""

from __future__ import annotations

import pytest

from review import drafts, submissions
from review.errors import Change, StaleSave

CYCLE, PARTY = "tiny-1", "KEN"
KEYS = [("1.1", "status"), ("1.1", "notes")]


def start(store, who):
    draft = drafts.load_draft(store, who, CYCLE, PARTY)
    sub, answers = submissions.working_copy(store, who, CYCLE, PARTY)
    return drafts.start_section(KEYS, answers, draft, sub.seq)


def test_the_section_starts_from_the_draft_and_the_oldest_counter_it_was_typed_on(tiny_cycle, store):
    _, a = tiny_cycle
    submissions.save_answers(store, a["focal"], CYCLE, PARTY, 0, {("1.1", "notes"): "saved"})
    drafts.keep_draft(store, a["contributor"], CYCLE, PARTY, {("1.1", "notes"): drafts.DraftAnswer("typed", "saved", 1)})
    submissions.save_answers(store, a["focal"], CYCLE, PARTY, 1, {("1.1", "status"): "implemented"})
    section = start(store, a["contributor"])
    assert section.initial[("1.1", "notes")] == "typed" and section.base[("1.1", "notes")] == "saved"
    assert section.base_seq == 1 and section.drafted == {("1.1", "notes")}


def test_a_draft_typed_back_to_its_start_leaves_the_draft(tiny_cycle, store):
    _, a = tiny_cycle
    drafts.keep_draft(store, a["focal"], CYCLE, PARTY, {("1.1", "notes"): drafts.DraftAnswer("typed", None, 0)})
    section = start(store, a["focal"])
    result = drafts.send_section(store, a["focal"], CYCLE, PARTY, section, {("1.1", "notes"): None}, save=False)
    assert result.changed == {} and drafts.load_draft(store, a["focal"], CYCLE, PARTY) == {}


def test_a_refused_save_keeps_every_typed_change_as_a_draft(tiny_cycle, store):
    _, a = tiny_cycle
    section = start(store, a["focal"])
    typed = {("1.1", "status"): "perhaps", ("1.1", "notes"): "my careful text"}
    result = drafts.send_section(store, a["focal"], CYCLE, PARTY, section, typed, save=True)
    assert [p.key for p in result.problems] == ["values.not_in_code_list"]
    assert {k: d.value for k, d in drafts.load_draft(store, a["focal"], CYCLE, PARTY).items()} == typed
    assert submissions.current_answers(store, a["focal"], CYCLE, PARTY) == {}


def test_a_save_that_overlaps_nobody_lands_however_often_colleagues_save_in_between(tiny_cycle, store, monkeypatch):
    _, a = tiny_cycle
    section = start(store, a["focal"])
    real, calls = submissions.save_answers, []

    def busy(store_, actor, cycle_id, party, base_seq, changes):
        calls.append(base_seq)
        if len(calls) <= 12:  # a colleague saved another answer just before, twelve times over
            raise StaleSave(base_seq, base_seq + 1, [Change("2", "status", "implemented", "someone", None)])
        return real(store_, actor, cycle_id, party, 0, changes)

    monkeypatch.setattr(submissions, "save_answers", busy)
    result = drafts.send_section(store, a["focal"], CYCLE, PARTY, section, {("1.1", "notes"): "mine"}, save=True)
    assert result.outcome.saved and result.outcome.merged == 12
    assert calls == list(range(13))


def test_a_save_that_never_gets_through_keeps_the_draft_and_says_so(tiny_cycle, store, monkeypatch):
    _, a = tiny_cycle
    section = start(store, a["focal"])

    def always_busy(store_, actor, cycle_id, party, base_seq, changes):
        raise StaleSave(base_seq, base_seq + 1, [Change("2", "status", "implemented", "someone", None)])

    monkeypatch.setattr(submissions, "save_answers", always_busy)
    result = drafts.send_section(store, a["focal"], CYCLE, PARTY, section, {("1.1", "notes"): "mine"}, save=True)
    assert result.outcome.busy and not result.outcome.saved
    assert drafts.load_draft(store, a["focal"], CYCLE, PARTY)[("1.1", "notes")].value == "mine"


@pytest.mark.parametrize("save", [True, False])
def test_a_section_of_another_party_is_refused(tiny_cycle, store, save):
    from review.errors import PermissionDenied

    _, a = tiny_cycle
    section = drafts.start_section(KEYS, {}, {}, 0)
    with pytest.raises(PermissionDenied):
        drafts.send_section(store, a["other_focal"], CYCLE, PARTY, section, {("1.1", "notes"): "x"}, save=save)
