"""`review review-lots`: draws and prints the COP's list, redraws, exports CSV/Excel/JSON, and every
refusal is one clear line on stderr with exit status 1, in the language asked for."""

from __future__ import annotations

import csv
import io
import json

import pytest

from review import parties
from review.cli import main
from review.store import open_store
from tests.lots_helpers import DAY, groups, lots_cycle, violations

UNDER = ["KEN", "UGA", "TZA", "NGA", "GHA", "FRA", "DEU", "ITA", "ESP", "GBR", "CHN", "IND", "JPN", "KOR", "BRA",
         "ARG", "CHL", "POL", "CZE", "HUN"]


@pytest.fixture
def db(tmp_path, tiny):
    path = tmp_path / "lots.duckdb"
    store = open_store(path)
    parties.load_reference(store)
    lots_cycle(store, tiny, UNDER)
    store.close()
    return path


def run(capsys, db, *args):
    code = main(["--db", str(db), *[str(a) for a in args]])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_draw_prints_the_list_with_its_seed_and_a_second_draw_is_refused(capsys, db):
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--seed", "2026", "--on", DAY)
    assert code == 0, err
    assert "20 review(s) drawn for cycle lots-1 with seed 2026" in out
    assert "KEN Kenya | " in out and out.count(" | 2026 | 0") == 20
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--on", DAY)
    assert code == 1 and "already drawn (seed 2026" in err and out == ""


def test_json_and_the_list_files_hold_the_same_list(capsys, db, tmp_path):
    code, out, _ = run(capsys, db, "review-lots", "--cycle", "lots-1", "--seed", "5", "--on", DAY, "--json")
    assert code == 0
    drawn = json.loads(out)
    assert drawn["drawn"]["seed"] == 5 and drawn["drawn"]["kind"] == "draw"
    listed = {r["party"]: (r["regional_reviewer"], r["other_reviewer"]) for r in drawn["list"]}
    assert sorted(listed) == sorted(UNDER) and violations(listed, set(UNDER), groups()) == []
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--list", "--out", tmp_path / "list.csv")
    assert code == 0 and "list.csv" in err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "list.csv").read_text(encoding="utf-8-sig"))))
    assert {r["party"]: (r["regional_reviewer"], r["other_reviewer"]) for r in rows} == listed
    assert {r["seed"] for r in rows} == {"5"}
    code, _, _ = run(capsys, db, "--lang", "fr", "review-lots", "--cycle", "lots-1", "--list", "--out",
                     tmp_path / "liste.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "liste.xlsx").active
    header = [c.value for c in sheet[1]]
    assert code == 0 and header[0] == "Partie examinée" and "Examinateur de la région" in header
    assert sheet.max_row == len(UNDER) + 1


def test_a_redraw_of_one_reviewer_and_its_limit(capsys, db):
    run(capsys, db, "review-lots", "--cycle", "lots-1", "--seed", "1", "--on", DAY)
    _, out, _ = run(capsys, db, "review-lots", "--cycle", "lots-1", "--list", "--json")
    regional, other = next((r["regional_reviewer"], r["other_reviewer"]) for r in json.loads(out)["list"]
                           if r["party"] == "FRA")
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--redraw", "FRA", "--reviewer", other,
                         "--seed", "8", "--on", DAY)
    assert code == 0, err
    assert "Redrawn for FRA in cycle lots-1 with seed 8" in out
    _, out, _ = run(capsys, db, "review-lots", "--cycle", "lots-1", "--list", "--json")
    now = next(r for r in json.loads(out)["list"] if r["party"] == "FRA")
    assert now["regional_reviewer"] == regional and now["other_reviewer"] != other and now["redraws"] == 1
    assert run(capsys, db, "review-lots", "--cycle", "lots-1", "--redraw", "FRA", "--on", DAY)[0] == 0
    code, _, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--redraw", "FRA", "--on", DAY)
    assert code == 1 and "FRA has already had 2 redraw(s)" in err


@pytest.mark.parametrize("args, expected", [
    (["--seed", "-4"], "is not a seed"),
    (["--seed", "12x"], "is not a seed"),
    (["--reviewer", "KEN"], "--redraw"),
    (["--redraw", "BRA"], "No lots have been drawn for cycle lots-1"),
    (["--out", "list.pdf"], "Unknown format 'pdf'"),
    (["--rules", "missing.yaml"], "missing.yaml"),
])
def test_bad_options_are_refused_with_one_clear_message_and_status_1(capsys, db, tmp_path, monkeypatch, args,
                                                                       expected):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", *args)
    assert code == 1 and expected in err and "Traceback" not in err and out == ""


def test_a_rules_file_that_cannot_be_met_names_the_rule_and_draws_nothing(capsys, db, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("max_reviews_per_reviewer: 1\nno_reciprocal_reviews: false\n", encoding="utf-8")
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--rules", rules, "--on", DAY)
    assert code == 1 and "max_reviews_per_reviewer: 1" in err
    rules.write_text("max_reviews_per_reviewer: 3\nsame_region: true\n", encoding="utf-8")
    code, out, err = run(capsys, db, "--lang", "fr", "review-lots", "--cycle", "lots-1", "--rules", rules)
    assert code == 1 and "« same_region » n'est pas une règle du tirage au sort" in err
    code, out, err = run(capsys, db, "review-lots", "--cycle", "lots-1", "--list")
    assert code == 0 and "No lots have been drawn for cycle lots-1" in out


def test_a_cycle_without_treaty_status_is_refused_naming_the_rule(capsys, tmp_path, tiny):
    path = tmp_path / "bare.duckdb"
    store = open_store(path)
    parties.load_reference(store)
    lots_cycle(store, tiny, ["KEN", "UGA", "FRA"], reviewers=[])
    store.close()
    code, _, err = run(capsys, path, "--lang", "es", "review-lots", "--cycle", "lots-1")
    assert code == 1 and "reviewers: parties_to_instrument" in err and "No se puede hacer el sorteo" in err


@pytest.mark.parametrize("lang", ["zh", "ru", "ar"])
def test_the_list_speaks_the_language_asked_for(capsys, db, lang):
    import re

    from review.i18n import messages

    code, out, err = run(capsys, db, "--lang", lang, "review-lots", "--cycle", "lots-1", "--seed", "3", "--on", DAY)
    assert code == 0, err
    words = set(re.findall(r"\b[A-Za-z]{2,}\b", out)) - set(UNDER) - {"lots"}
    assert words - set(re.findall(r"\b[A-Za-z]{2,}\b", " ".join(messages(lang).values()))) == set()
    assert len(out.splitlines()) == len(UNDER) + 2
