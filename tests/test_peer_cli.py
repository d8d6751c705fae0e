"""`review review-status`: every review of the demo with its Parties, experts, stages, dates and
lateness, as JSON and as lines in the user's language; an unknown cycle is refused, naming it."""

from __future__ import annotations

import json
import shutil

from review.cli import main
from review.peer import STAGES


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_review_status_json_lists_every_review_late_first(demo_db, tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    code, out, _ = _run(capsys, "--db", db, "review-status", "--cycle", "review-2026", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["stage"] for r in rows} == set(STAGES)
    assert all(r["experts"] for r in rows if r["stage"] != "drawn"), "the demo's reviews under way have experts"
    assert rows[0]["late"] and rows[0]["days_late"] > 0 and not rows[-1]["late"]
    assert [r["days_late"] for r in rows] == sorted((r["days_late"] for r in rows), reverse=True)
    for row in rows:
        assert row["review"] == f"{row['cycle']}/{row['party']}"
        assert len(row["reviewing_parties"]) == 2
        assert {e["party"] for e in row["experts"]} <= {p["party"] for p in row["reviewing_parties"]}
        assert [s["stage"] for s in row["stages"]] == list(STAGES)
        reached = STAGES.index(row["stage"])
        assert all((s["done"] is not None) == (i <= reached) for i, s in enumerate(row["stages"]))
    code, out, _ = _run(capsys, "--db", db, "review-status", "--cycle", "pilot-2025", "--json")
    assert code == 0 and json.loads(out) == []


def test_review_status_speaks_the_language_and_refuses_an_unknown_cycle(demo_db, tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    code, out, _ = _run(capsys, "--db", db, "review-status", "--lang", "zh")
    assert code == 0 and "审议" in out and "reviewed by" not in out and "逾期" in out
    code, out, err = _run(capsys, "--db", db, "review-status", "--cycle", "nope")
    assert code == 1 and "nope" in err and not out
    code, out, _ = _run(capsys, "--db", db, "review-status", "--cycle", "pilot-2025")
    assert code == 0 and out.strip() == "No peer review yet."
