"""The engine serves any instrument: a tiny treaty defined in the test runs the whole workflow."""

from __future__ import annotations

import json

import yaml

from review import cycles, submissions as subs
from review.access import PUBLIC
from review.cli import main
from review.tracking import cycle_overview
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


def test_the_cli_reads_a_second_instrument_folder(tmp_path, capsys):
    folder = tmp_path / "defs" / "tiny-treaty"
    folder.mkdir(parents=True)
    (folder / "1.yaml").write_text(yaml.safe_dump(tiny_definition(), allow_unicode=True), encoding="utf-8")
    assert main(["questionnaire", "summary", "--json", "--questionnaires", str(tmp_path / "defs")]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert only["id"] == "tiny-treaty" and [a["number"] for a in only["articles"]] == [1, 2, 3]
    assert main(["--db", str(tmp_path / "t.duckdb"), "init", "--questionnaires", str(tmp_path / "defs")]) == 0
    assert "1 questionnaire version(s) registered" in capsys.readouterr().out
