"""The engine serves any instrument: a tiny treaty defined in the test runs the whole workflow."""

from __future__ import annotations

import json

import yaml

from review import audit, cycles, submissions as subs
from review.access import PUBLIC
from tests.actors import SETUP
from review.analysis import gap_tables, legislation, scoring
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.cli import main
from review.tracking import cycle_overview, party_statuses
from tests.tiny_instrument import tiny_definition


def test_a_second_instrument_works_end_to_end(tiny_cycle, store):
    cycle, a = tiny_cycle
    assert cycle.questionnaire_id == "tiny-treaty"
    answers = {
        ("1.1", "status"): "implemented",
        ("1.1", "law"): [{"title": "Lighthouse Act", "year": 1999, "link": "https://example.org/la"}],
        ("1.2", "status"): "implemented",
        ("1.2", "colour"): "red",
        ("2", "status"): "partly_implemented",
        ("2", "notes"): "Training starts next year. 灯塔 منارة",
        ("2", "keepers"): 12,
    }
    missing = subs.completeness(cycles.cycle_questionnaire(store, cycle), cycle.chapters, answers).missing
    assert missing == [("1.2", "law"), ("2", "law")]
    answers[("1.2", "law")] = [{"title": "Paint Order", "year": 2004}]
    answers[("2", "law")] = [{"title": "Keepers Regulation"}]
    seq = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, answers).seq
    subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    subs.return_for_clarification(store, a["secretariat"], "tiny-1", "KEN", {"1.2": "Which shade of red?"})
    subs.save_answers(store, a["contributor"], "tiny-1", "KEN", seq, {("1.2", "colour"): "white"})
    subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    subs.validate(store, a["secretariat"], "tiny-1", "KEN")
    subs.publish(store, a["secretariat"], "tiny-1", "KEN")
    public = subs.readable_answers(store, PUBLIC, "tiny-1", "KEN")
    assert public[("1.2", "colour")] == "white" and public[("2", "keepers")] == 12
    view = cycle_overview(store, "tiny-1")
    assert (view.participating, view.submitted, view.published) == (3, 1, 1)
    assert [c.chapter for c in view.chapters] == ["I"]  # chapter II holds only an institutional article
    logged = {e.action for e in audit.entries(store, a["secretariat"], "submission", "tiny-1/KEN")}
    assert {"submission.submit", "submission.return", "submission.validate", "submission.publish"} <= logged


def test_the_analysis_and_a_public_snapshot_work_on_a_second_instrument(tiny_cycle, store, tmp_path):
    cycle, a = tiny_cycle
    answers = {("1.1", "status"): "implemented", ("1.1", "law"): [{"title": "Lighthouse Act", "year": 1999}],
               ("1.2", "status"): "not_applicable", ("2", "status"): "partly_implemented",
               ("2", "law"): [{"title": "Keepers Regulation", "year": 2004}]}
    subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, answers)
    subs.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    subs.validate(store, a["secretariat"], "tiny-1", "KEN")
    subs.publish(store, a["secretariat"], "tiny-1", "KEN")
    subs.save_answers(store, a["other_focal"], "tiny-1", "FRA", 0, {("1.1", "status"): "not_implemented"})

    by_party = {r["party_code"]: r for r in gap_tables.gap_table(store, SETUP, "party", "tiny-1").to_dicts()}
    assert set(by_party) == {"KEN", "FRA", "CHN"}
    assert (by_party["KEN"]["score_mandatory"], by_party["KEN"]["not_applicable"]) == (1.0, 1)
    assert by_party["FRA"]["score"] == 0.0 and by_party["CHN"]["score"] is None
    articles = {r["article"]: r for r in gap_tables.gap_table(store, SETUP, "article", "tiny-1").to_dicts()}
    assert articles[1]["implementation_rate"] == 0.5 and articles[2]["score"] == 0.5

    write_snapshot(store, SETUP, tmp_path / "snapshot")
    with open_snapshot(tmp_path / "snapshot") as snapshot:
        public = scoring.party_scores(snapshot, PUBLIC, "tiny-1")
        assert public["party"].to_list() == ["KEN"] and public["score_mandatory"].to_list() == [1.0]
        laws = legislation.legislation_library(snapshot, PUBLIC, "tiny-1")
        assert sorted(laws["title"]) == ["Keepers Regulation", "Lighthouse Act"]
        _, statuses = party_statuses(snapshot, "tiny-1")
        assert {s.party: s.state for s in statuses} == {"CHN": "not_started", "FRA": "draft", "KEN": "published"}


def test_the_cli_reads_a_second_instrument_folder(tmp_path, capsys):
    folder = tmp_path / "defs" / "tiny-treaty"
    folder.mkdir(parents=True)
    (folder / "1.yaml").write_text(yaml.safe_dump(tiny_definition(), allow_unicode=True), encoding="utf-8")
    assert main(["questionnaire", "summary", "--json", "--questionnaires", str(tmp_path / "defs")]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert only["id"] == "tiny-treaty" and [a["number"] for a in only["articles"]] == [1, 2, 3]
    assert main(["--db", str(tmp_path / "t.duckdb"), "init", "--questionnaires", str(tmp_path / "defs")]) == 0
    assert "1 questionnaire version(s) registered" in capsys.readouterr().out
