"""Drafts and saving from the Party workspace: a user's unsaved answers survive on the server, a
colleague's save in between is never overwritten, and only answers both changed need a choice."""

from __future__ import annotations

import pytest

from review import drafts, submissions, workspace
from review.errors import PermissionDenied
from review.workspace import Filters

CYCLE, PARTY = "tiny-1", "KEN"


def saved(store, actor):
    return submissions.current_answers(store, actor, CYCLE, PARTY)


def test_a_draft_is_kept_per_user_until_saved_or_discarded(store, tiny_cycle):
    _, who = tiny_cycle
    draft = {("1.2", "colour"): drafts.DraftAnswer("red", None, 0)}
    assert drafts.keep_draft(store, who["focal"], CYCLE, PARTY, draft) == 1
    assert drafts.load_draft(store, who["focal"], CYCLE, PARTY) == draft
    assert drafts.load_draft(store, who["contributor"], CYCLE, PARTY) == {}
    assert saved(store, who["focal"]) == {}, "a draft is not an answer"
    drafts.discard_draft(store, who["focal"], CYCLE, PARTY)
    assert drafts.load_draft(store, who["focal"], CYCLE, PARTY) == {}


def test_observers_and_other_parties_keep_no_drafts(store, tiny_cycle):
    _, who = tiny_cycle
    draft = {("1.2", "colour"): drafts.DraftAnswer("red", None, 0)}
    for actor in (who["observer"], who["other_focal"], who["secretariat"]):
        with pytest.raises(PermissionDenied):
            drafts.keep_draft(store, actor, CYCLE, PARTY, draft)
        with pytest.raises(PermissionDenied):
            drafts.save_changes(store, actor, CYCLE, PARTY, 0, {("1.2", "colour"): "red"}, {})


def test_saving_removes_the_saved_answers_from_the_draft(store, tiny_cycle):
    _, who = tiny_cycle
    drafts.keep_draft(store, who["focal"], CYCLE, PARTY, {("1.2", "colour"): drafts.DraftAnswer("red", None, 0),
                                                           ("1.1", "notes"): drafts.DraftAnswer("later", None, 0)})
    outcome = drafts.save_changes(store, who["focal"], CYCLE, PARTY, 0, {("1.2", "colour"): "red"}, {("1.2", "colour"): None})
    assert outcome.saved and outcome.result.seq == 1
    assert saved(store, who["focal"]) == {("1.2", "colour"): "red"}
    assert list(drafts.load_draft(store, who["focal"], CYCLE, PARTY)) == [("1.1", "notes")]


def test_a_colleagues_save_of_other_answers_is_merged_not_overwritten(store, tiny_cycle):
    _, who = tiny_cycle
    submissions.save_answers(store, who["contributor"], CYCLE, PARTY, 0, {("1.1", "notes"): "theirs"})
    outcome = drafts.save_changes(store, who["focal"], CYCLE, PARTY, 0, {("1.2", "colour"): "red"}, {("1.2", "colour"): None})
    assert outcome.saved and outcome.merged == 1
    assert saved(store, who["focal"]) == {("1.1", "notes"): "theirs", ("1.2", "colour"): "red"}


def test_the_same_answer_changed_by_both_stops_with_both_versions_and_keeps_mine_as_draft(store, tiny_cycle):
    _, who = tiny_cycle
    submissions.save_answers(store, who["contributor"], CYCLE, PARTY, 0, {("1.2", "colour"): "white", ("1.1", "notes"): "n"})
    mine = {("1.2", "colour"): "red", ("1.1", "keepers"): 3}
    outcome = drafts.save_changes(store, who["focal"], CYCLE, PARTY, 0, mine, {k: None for k in mine})
    assert not outcome.saved and outcome.current_seq == 1
    [conflict] = outcome.conflicts
    assert (conflict.key, conflict.mine, conflict.theirs, conflict.saved_by) == (("1.2", "colour"), "red", "white", who["contributor"].id)
    assert saved(store, who["focal"])[("1.2", "colour")] == "white", "nothing was written"
    assert drafts.load_draft(store, who["focal"], CYCLE, PARTY)[("1.2", "colour")].value == "red"


@pytest.mark.parametrize("choice, expected", [(drafts.KEEP_MINE, "red"), (drafts.TAKE_THEIRS, "white")])
def test_the_user_chooses_per_answer(store, tiny_cycle, choice, expected):
    _, who = tiny_cycle
    submissions.save_answers(store, who["contributor"], CYCLE, PARTY, 0, {("1.2", "colour"): "white"})
    mine = {("1.2", "colour"): "red", ("1.1", "keepers"): 3}
    stopped = drafts.save_changes(store, who["focal"], CYCLE, PARTY, 0, mine, {k: None for k in mine})
    outcome = drafts.resolve(store, who["focal"], CYCLE, PARTY, stopped.current_seq, mine, stopped.conflicts,
                             {("1.2", "colour"): choice})
    assert outcome.saved
    answers = saved(store, who["focal"])
    assert answers[("1.2", "colour")] == expected and answers[("1.1", "keepers")] == 3
    assert drafts.load_draft(store, who["focal"], CYCLE, PARTY) == {}


def test_a_colleague_saving_again_during_the_choice_gives_new_conflicts(store, tiny_cycle):
    _, who = tiny_cycle
    submissions.save_answers(store, who["contributor"], CYCLE, PARTY, 0, {("1.2", "colour"): "white"})
    mine = {("1.2", "colour"): "red"}
    stopped = drafts.save_changes(store, who["focal"], CYCLE, PARTY, 0, mine, {("1.2", "colour"): None})
    submissions.save_answers(store, who["contributor"], CYCLE, PARTY, 1, {("1.2", "colour"): None})
    again = drafts.resolve(store, who["focal"], CYCLE, PARTY, stopped.current_seq, mine, stopped.conflicts,
                           {("1.2", "colour"): drafts.KEEP_MINE})
    assert not again.saved and again.conflicts[0].theirs is None
    assert ("1.2", "colour") not in saved(store, who["focal"])


def test_blank_and_reordered_answers_count_as_unchanged(tiny):
    assert drafts.same(tiny, ("1.1", "notes"), "  ", None)
    assert drafts.same(tiny, ("1.1", "law"), [{"title": ""}], None)
    assert not drafts.same(tiny, ("1.1", "notes"), "a", None)


def test_sections_filter_by_unanswered_mandatory_and_returned(store, tiny_cycle, tiny):
    cycle, _ = tiny_cycle
    answers = {("1.1", "status"): "not_implemented"}
    everything = workspace.sections(tiny, cycle, answers, set())
    assert [s.article.number for s in everything] == [1, 2], "the institutional article 3 has nothing to answer"
    assert [p.id for p in everything[0].provisions] == ["1.1", "1.2"]
    assert (everything[0].answered, everything[0].required, everything[1].required) == (1, 2, 1)
    mandatory = workspace.sections(tiny, cycle, answers, set(), Filters(mandatory_only=True))
    assert [(s.article.number, [p.id for p in s.provisions]) for s in mandatory] == [(1, ["1.1"])]
    unanswered = workspace.sections(tiny, cycle, answers, set(), Filters(unanswered=True))
    assert [(s.article.number, [p.id for p in s.provisions]) for s in unanswered] == [(1, ["1.2"]), (2, ["2"])]
    assert workspace.sections(tiny, cycle, answers, set(), Filters(returned_only=True)) == []
    returned = workspace.sections(tiny, cycle, answers, {"1.2"}, Filters(returned_only=True))
    assert [(s.article.number, [p.id for p in s.provisions]) for s in returned] == [(1, ["1.2"])]


def test_differences_and_problem_locations_read_as_labels(tiny):
    before = {("1.1", "status"): "implemented"}
    after = {("1.1", "status"): "partly_implemented", ("1.1", "law"): [{"title": "Light Act", "year": 2020}]}
    rows = workspace.labelled_diff(tiny, before, after, "zh")
    assert [(r.provision, r.question, r.before, r.after) for r in rows] == [
        ("第1条第1款", "法律", "", "标题: Light Act; 年份: 2020"),
        ("第1条第1款", "状态？", "已执行", "部分执行"),
    ]
    assert workspace.where(tiny, "1.1 law[2].year", "en") == "Art. 1(1) — Laws — row 2 — Year"


def test_the_workspace_lists_only_the_partys_own_cycles(store, tiny_cycle):
    _, who = tiny_cycle
    assert [pc.cycle.id for pc in workspace.party_cycles(store, who["observer"], PARTY)] == [CYCLE]
    with pytest.raises(PermissionDenied):
        workspace.party_cycles(store, who["other_focal"], PARTY)
    can = workspace.capabilities(who["contributor"], PARTY)
    assert can.read and can.edit and can.import_workbook and not can.submit
    assert not workspace.capabilities(who["observer"], PARTY).edit
    assert not workspace.capabilities(who["secretariat"], None).read
