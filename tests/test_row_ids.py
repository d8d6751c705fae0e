"""Table rows keep a stable identity: given once, kept through edits and workbook imports, and
existing data (and matches keyed by a row's place) migrated to it."""

from __future__ import annotations

import json

import duckdb
import pytest

from review import submissions as subs
from review.errors import ValidationFailed
from review.migrations import m0071_table_row_ids as migration
from review.questionnaire.values import ROW_ID, with_row_ids


def test_ids_are_kept_given_by_place_or_new_and_never_shared():
    before = [{"title": "A", ROW_ID: "a1"}, {"title": "B", ROW_ID: "b2"}]
    assert [r[ROW_ID] for r in with_row_ids([{"title": "A"}, {"title": "B2"}], before)] == ["a1", "b2"]
    moved = with_row_ids([{"title": "B", ROW_ID: "b2"}, {"title": "New"}, {"title": "A", ROW_ID: "a1"}], before)
    assert [r[ROW_ID] for r in moved][::2] == ["b2", "a1"] and moved[1][ROW_ID] not in ("a1", "b2")
    twice = with_row_ids([{"title": "X", ROW_ID: "a1"}, {"title": "Y", ROW_ID: "a1"}], [])
    assert len({r[ROW_ID] for r in twice}) == 2


def test_rows_saved_online_get_ids_that_survive_an_edit_of_a_sibling(tiny_cycle, store):
    _, a = tiny_cycle
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "law"): [{"title": "A"}, {"title": "B"}]}).seq
    first = subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "law")]
    ids = [r[ROW_ID] for r in first]
    edited = [first[0], {**first[1], "title": "B, amended"}]
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", seq, {("1.1", "law"): [{"title": "New"}, *edited]})
    after = subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "law")]
    assert [r[ROW_ID] for r in after[1:]] == ids and after[0][ROW_ID] not in ids


@pytest.mark.parametrize("row_id", ["x" * 500, "abc\n"])  # a trailing line break passed "^...$"
def test_a_malformed_row_id_is_refused(tiny_cycle, store, row_id):
    _, a = tiny_cycle
    with pytest.raises(ValidationFailed) as refused:
        subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "law"): [{"title": "A", ROW_ID: row_id}]})
    assert refused.value.problems[0].key == "values.bad_row_id"


def test_the_migration_gives_existing_rows_ids_and_moves_matches_to_them():
    con = duckdb.connect()
    con.execute("CREATE TABLE answer (submission_id VARCHAR, provision_id VARCHAR, question_id VARCHAR, value JSON)")
    con.execute("CREATE TABLE revision_answer (submission_id VARCHAR, revision INTEGER, provision_id VARCHAR, "
                "question_id VARCHAR, value JSON)")
    con.execute("CREATE TABLE ta_match (need_key VARCHAR, offer_id VARCHAR, party VARCHAR, state VARCHAR)")
    needs = [{"type": "legal_advice", "priority": "medium", "description": "Second"},
             {"type": "legal_advice", "priority": "high", "description": "First"}]
    con.execute("INSERT INTO answer VALUES ('c/KEN', '7.1', 'ta_needs', ?)", [json.dumps(needs)])
    con.execute("INSERT INTO revision_answer VALUES ('c/KEN', 1, '7.1', 'ta_needs', ?)", [json.dumps(needs)])
    con.execute("INSERT INTO ta_match VALUES ('q:c/KEN/7.1/legal_advice/1', 'OFR-1', 'KEN', 'accepted')")
    migration.apply(con)
    stored = json.loads(con.execute("SELECT value FROM answer").fetchone()[0])
    frozen = json.loads(con.execute("SELECT value FROM revision_answer").fetchone()[0])
    assert all(ROW_ID in r for r in stored) and [r[ROW_ID] for r in stored] == [r[ROW_ID] for r in frozen]
    first = next(r for r in stored if r["description"] == "First")  # 'high' sorted first: it was need 1
    assert con.execute("SELECT need_key FROM ta_match").fetchone()[0] == f"q:c/KEN/7.1/legal_advice/{first[ROW_ID]}"


def test_a_row_deleted_in_a_workbook_does_not_hand_its_id_to_the_next_row():
    # a workbook carries no ids: the rows left unchanged keep theirs, whatever moved around them
    before = [{"title": "A", ROW_ID: "a1"}, {"title": "B", ROW_ID: "b2"}, {"title": "C", ROW_ID: "c3"}]
    assert [r[ROW_ID] for r in with_row_ids([{"title": "B"}, {"title": "C"}], before)] == ["b2", "c3"]
    inserted = with_row_ids([{"title": "New"}, {"title": "A"}, {"title": "B"}, {"title": "C"}], before)
    assert [r[ROW_ID] for r in inserted][1:] == ["a1", "b2", "c3"] and inserted[0][ROW_ID] not in ("a1", "b2", "c3")


def test_a_save_without_ids_that_drops_the_first_row_keeps_the_others_ids(tiny_cycle, store):
    _, a = tiny_cycle
    rows = [{"title": "A"}, {"title": "B"}, {"title": "C"}]
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "law"): rows}).seq
    ids = {r["title"]: r[ROW_ID] for r in subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "law")]}
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", seq, {("1.1", "law"): rows[1:]})
    after = subs.current_answers(store, a["focal"], "tiny-1", "KEN")[("1.1", "law")]
    assert [(r["title"], r[ROW_ID]) for r in after] == [("B", ids["B"]), ("C", ids["C"])]
