"""The `review` command: the contract automation relies on (output shapes, exit codes, errors)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from review.cli import main
from review.store import Store
from tests.tiny_instrument import tiny_definition


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_and_is_idempotent(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    code, out, _ = run(capsys, "--db", db, "init")
    assert code == 0 and "196 possible Parties" in out and "migration(s) applied" in out
    code, out, _ = run(capsys, "--db", db, "init")
    assert code == 0 and "0 migration(s) applied" in out


def test_questionnaire_summary_json(capsys):
    code, out, _ = run(capsys, "questionnaire", "summary", "--json")
    assert code == 0
    (uncc,) = [q for q in json.loads(out) if q["id"] == "uncc-self-assessment" and q["version"] == "1.0"]
    assert len(uncc["articles"]) == 68
    art7 = uncc["articles"][6]
    assert (art7["number"], art7["chapter"], art7["title"], art7["obligation"]) == (7, "II", "Illegal access", "mandatory")
    assert [(p["id"], p["obligation"]) for p in art7["provisions"]] == [("7.1", "mandatory"), ("7.2", "optional")]


def test_questionnaire_validate(tmp_path, capsys):
    import yaml

    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(tiny_definition()), encoding="utf-8")
    code, out, _ = run(capsys, "questionnaire", "validate", good)
    assert code == 0 and "valid" in out
    broken = tiny_definition()
    broken["articles"][0]["provisions"][0]["obligation"] = "Must!"
    del broken["articles"][1]["title"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(broken), encoding="utf-8")
    code, out, err = run(capsys, "questionnaire", "validate", bad)
    lines = err.strip().splitlines()
    assert code == 1 and out == ""
    assert "2 error(s)" in lines[0]
    assert any(f"{bad}: articles[0].provisions[0].obligation" in line for line in lines)
    assert any(f"{bad}: articles[1]" in line and "title" in line for line in lines)


def test_status_json_names_every_party_state_and_completeness(demo_db, tmp_path, capsys):
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    code, out, _ = run(capsys, "--db", db, "status", "--json")
    data = json.loads(out)
    assert code == 0 and data["cycle"] == "review-2026"
    states = {p["state"] for p in data["parties"]}
    assert states == {"not_started", "draft", "submitted", "returned", "validated", "published"}
    for party in data["parties"]:
        assert len(party["party"]) == 3 and 0 <= party["completeness"] <= 1
        if party["state"] in ("submitted", "validated", "published"):
            assert party["completeness"] == 1
    code, out, _ = run(capsys, "--db", db, "status", "--cycle", "pilot-2025", "--json")
    assert json.loads(out)["cycle"] == "pilot-2025"


def test_user_errors_are_one_clear_line_and_exit_1(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    assert run(capsys, "--db", db, "init")[0] == 0
    code, out, err = run(capsys, "--db", db, "status", "--json")
    assert (code, out, err.strip()) == (1, "", "There is no review cycle yet.")
    code, _, err = run(capsys, "--db", db, "status", "--cycle", "nope")
    assert code == 1 and err.strip() == "There is no cycle 'nope'."
    code, _, err = run(capsys, "--db", db, "--lang", "zh", "status", "--cycle", "nope")
    assert err.strip() == "不存在周期“nope”。"


def test_demo_refuses_a_database_with_data_unless_told_to_replace(demo_db, tmp_path, capsys):
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    code, _, err = run(capsys, "--db", db, "demo")
    assert code == 1 and "--replace" in err


def test_python_dash_m_and_a_locked_database(tmp_path):
    db = tmp_path / "r.duckdb"
    env = {**os.environ, "REVIEW_DB": str(db)}
    done = subprocess.run([sys.executable, "-m", "review", "init"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    holder = Store(db)
    try:
        locked = subprocess.run([sys.executable, "-m", "review", "status"], env=env, capture_output=True, text=True)
    finally:
        holder.close()
    assert locked.returncode == 1
    assert "in use by another process" in locked.stderr and "Traceback" not in locked.stderr


@pytest.mark.parametrize("args", [["--help"], ["questionnaire", "--help"]])
def test_help(args, capsys):
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0


def test_a_wrong_command_line_is_one_line_and_exit_1(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    err = capsys.readouterr().err
    assert stop.value.code == 1 and len(err.strip().splitlines()) == 1
    assert "invalid choice: 'frobnicate'" in err and "review --help" in err
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "zh", "gap", "--by", "nope", "--out", "x.csv"])
    err = capsys.readouterr().err
    assert stop.value.code == 1 and len(err.strip().splitlines()) == 1 and "参见 review --help" in err


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(demo_db, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "--db", demo_db, "gap", "--by", "party", "--out", blocker / "gap.csv")
    assert code == 1 and len(err.strip().splitlines()) == 1 and err.startswith(f"Cannot use {blocker}")
    code, _, err = run(capsys, "--db", demo_db, "publish-snapshot", blocker / "snapshot")
    assert code == 1 and len(err.strip().splitlines()) == 1 and str(blocker) in err and "Traceback" not in err


def test_gap_to_standard_output(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "gap", "--by", "article", "--format", "json", "--out", "-")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(isinstance(r["article"], int) for r in rows)
    assert {"article", "implementation_rate", "score", "responding"} <= set(rows[0])
    code, out, err = run(capsys, "--db", demo_db, "gap", "--by", "party", "--out", "-")
    assert (code, out) == (1, "") and "--format" in err
    assert not os.path.exists("-")


def test_output_into_a_closed_pipe_ends_without_a_traceback():
    reader, writer = os.pipe()
    os.close(reader)
    done = subprocess.run([sys.executable, "-m", "review", "questionnaire", "summary", "--json"], stdout=writer,
                          stderr=subprocess.PIPE, text=True)
    os.close(writer)
    assert done.returncode == 1 and done.stderr == ""


def test_a_file_that_is_not_a_database_is_one_line_and_exit_1(tmp_path, capsys):
    wrong = tmp_path / "notes.duckdb"
    wrong.write_text("not a database")
    code, _, err = run(capsys, "--db", wrong, "status")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"Cannot open the database {wrong}:") and "not a valid DuckDB database" in err


@pytest.mark.parametrize("command", [["status"], ["gap", "--by", "article", "--out", "-", "--format", "json"],
                                     ["match", "--out", "m.json"], ["template", "--cycle", "c", "--party", "KEN", "--out", "x.xlsx"],
                                     ["import", "x.xlsx"], ["publish-snapshot", "snap"]])
def test_a_mistyped_database_path_is_refused_naming_it_and_nothing_is_created(tmp_path, capsys, command):
    typo = tmp_path / "reveiw.duckdb"
    code, out, err = run(capsys, "--db", typo, *command)
    assert (code, out) == (1, "")
    assert err.strip() == (f"There is no database file {typo}. Check the path, or create one with `review init` "
                           "(or `review demo`).")
    assert not typo.exists()
