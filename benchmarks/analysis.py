"""Analysis figures: every aggregate on the demo and on two synthetic datasets ten times larger.

- demo: the synthetic demo (review-2026: 153 Parties, every chapter; pilot-2025: 60 Parties);
- 10 cycles: nine copies of review-2026 added as older cycles (ten times the answers);
- 10x Parties: review-2026 with nine synthetic copies of every participating Party (1,530 Parties
  in one cycle: ten times the rows every aggregate of that cycle reads).
Each query runs on review-2026 as the secretariat (every working answer) unless its name says
otherwise; the figures are the median and the fastest of ten runs after one warm-up run.

Run: `python -m benchmarks.analysis` (uses temporary databases).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from benchmarks.common import machine, median_and_fastest
from review import demo
from review.access import PUBLIC, system
from review.analysis import change, gaps, legislation, responses, scope, scoring, trace
from review.analysis.gap_tables import gap_table
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.store import Store, open_store

SETUP = system("benchmark set-up")

CYCLE = "review-2026"
COPIES = 9
RUNS = 10


def _copy_rows(cur, table: str, id_column: str, old: str, new: str, extra: str = "") -> None:
    cur.execute(
        f"INSERT INTO {table} SELECT * REPLACE ('{new}' || substr({id_column}, {len(old) + 1}) AS {id_column}{extra}) "
        f"FROM {table} WHERE {id_column} LIKE '{old}/%'"
    )


def add_cycles(store: Store) -> None:
    """Nine older copies of review-2026, by bulk inserts."""
    with store.transaction() as cur:
        for k in range(1, COPIES + 1):
            new = f"{CYCLE}-copy{k}"
            cur.execute(
                f"INSERT INTO cycle SELECT * REPLACE ('{new}' AS id, (deadline - INTERVAL ({k}) YEAR)::DATE AS deadline, "
                f"(opens - INTERVAL ({k}) YEAR)::DATE AS opens) FROM cycle WHERE id = '{CYCLE}'"
            )
            _copy_rows(cur, "submission", "id", CYCLE, new, f", '{new}' AS cycle_id")
            for table in ("answer", "revision", "revision_answer"):
                _copy_rows(cur, table, "submission_id", CYCLE, new)


def add_parties(store: Store) -> None:
    """Nine synthetic copies of every Party taking part in review-2026, with their answers."""
    with store.transaction() as cur:
        for k in range(1, COPIES + 1):
            cur.execute(
                f"INSERT INTO party SELECT * REPLACE (code || '{k}' AS code, name_en || ' {k}' AS name_en, "
                f"name_zh || ' {k}' AS name_zh) FROM party WHERE code IN (SELECT party FROM submission WHERE cycle_id = '{CYCLE}')"
            )
            cur.execute(
                f"INSERT INTO submission SELECT * REPLACE (id || '{k}' AS id, party || '{k}' AS party) "
                f"FROM submission WHERE cycle_id = '{CYCLE}' AND length(party) = 3"
            )
            for table in ("answer", "revision", "revision_answer"):
                cur.execute(
                    f"INSERT INTO {table} SELECT * REPLACE (submission_id || '{k}' AS submission_id) FROM {table} "
                    f"WHERE submission_id LIKE '{CYCLE}/%' AND length(submission_id) = {len(CYCLE) + 4}"
                )


def queries(source) -> dict[str, Callable[[], object]]:
    return {
        "answers_frame": lambda: scope.answers_frame(source, SETUP, CYCLE),
        "party_scores": lambda: scoring.party_scores(source, SETUP, CYCLE),
        "party_scores (public)": lambda: scoring.party_scores(source, PUBLIC, CYCLE),
        "consolidated by article": lambda: scoring.consolidated(source, SETUP, CYCLE, "article"),
        "consolidated by provision": lambda: scoring.consolidated(source, SETUP, CYCLE, "provision"),
        "implementation by article": lambda: scoring.implementation(source, SETUP, CYCLE, "article"),
        "implementation by chapter x region": lambda: scoring.implementation(source, SETUP, CYCLE, "chapter", "region"),
        "implementation by chapter x category": lambda: scoring.implementation(source, SETUP, CYCLE, "chapter", "category"),
        "gap table by region": lambda: gap_table(source, SETUP, "region", CYCLE),
        "gap profile (KEN)": lambda: gaps.gap_profile(source, SETUP, "KEN", CYCLE),
        "TA needs type x chapter x region": lambda: gaps.needs_counts(source, SETUP, CYCLE, "ta"),
        "challenges type x chapter x region": lambda: gaps.needs_counts(source, SETUP, CYCLE, "challenge"),
        "evidence quality": lambda: gaps.evidence_quality(source, SETUP, CYCLE),
        "response tracking": lambda: responses.response_tracking(source, CYCLE),
        "change pilot-2025 -> review-2026": lambda: change.cycle_change(source, SETUP, "pilot-2025", CYCLE),
        "legislation library (words)": lambda: legislation.legislation_library(source, SETUP, CYCLE, words="act"),
        "trace (article 7)": lambda: trace.trace(source, SETUP, CYCLE, article=7),
    }


SNAPSHOT_QUERIES = ("party_scores", "implementation by article", "legislation library (words)")


def measure(source, only: tuple[str, ...] | None = None) -> dict[str, tuple[float, float]]:
    """Median and fastest of RUNS runs per query, in milliseconds (the fastest shows the cost
    without contention from other processes on the machine)."""
    figures = {}
    for name, query in queries(source).items():
        if only and name not in only:
            continue
        query()
        figures[name] = median_and_fastest(query, RUNS)
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.duckdb"
        with open_store(base) as store:
            demo.load_demo(store, seed=7)
        datasets = {}
        for name, grow in (("demo", None), ("10 cycles", add_cycles), ("10x Parties", add_parties)):
            path = Path(tmp) / f"{name.replace(' ', '_')}.duckdb"
            shutil.copy(base, path)
            with open_store(path) as store:
                if grow:
                    grow(store)
                with store.read() as cur:
                    answers = cur.execute("SELECT count(*) FROM answer").fetchall()[0][0]
                datasets[name] = (answers, measure(store))
                if name == "demo":
                    write_snapshot(store, SETUP, Path(tmp) / "snap")
        with open_snapshot(Path(tmp) / "snap") as snap:
            snapshot_figures = measure(snap, SNAPSHOT_QUERIES)
    print(f"Machine: {machine()}; load average during the run: {os.getloadavg()[0]:.1f}")
    print("answers: " + ", ".join(f"{name} {answers:,}" for name, (answers, _) in datasets.items()))
    names = list(datasets)
    print(f"| query | {' | '.join(f'{n}: median (fastest) ms' for n in names)} | growth 10 cycles (fastest) | "
          "growth 10x Parties (fastest) |")
    print("|---|" + "---:|" * (len(names) + 2))
    demo_figures = datasets["demo"][1]
    for query in demo_figures:
        cells = " | ".join("{:.0f} ({:.0f})".format(*datasets[n][1][query]) for n in names)
        growth = " | ".join(f"x{datasets[n][1][query][1] / demo_figures[query][1]:.1f}" for n in names[1:])
        print(f"| {query} | {cells} | {growth} |")
    print("Snapshot (in-memory DuckDB over the Parquet files, public view): " +
          ", ".join("{} {:.0f} ({:.0f}) ms".format(k, *v) for k, v in snapshot_figures.items()))

if __name__ == "__main__":
    main()
