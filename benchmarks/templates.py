"""Personal workbooks of the demo's main cycle (`review-2026`, questionnaire 1.1): one Party's
workbook as `render` writes it (data already read) and as `write_template` does (reads included),
and every Party's as one zip (`write_templates`, what `review template --all` writes).

Run: `python -m benchmarks.templates` (builds the demo in a temporary database), or
`python benchmarks/templates.py --db FILE` to time a copy of an existing demo database: with
`PYTHONPATH` naming another checkout, the same script times that code on the same data, which is
how before and after are compared in one run. Each figure is wall time and the CPU time of this
process: on a shared machine the CPU time is the steadier measure of our own work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from review import demo, parties
from review.access import system
from review.cycles import cycle_questionnaire, get_cycle, participants
from review.store import open_store
from review.submissions import current_answers, get_submission
from review.workbook import write_template, write_templates
from review.workbook.signature import installation_key
from review.workbook.template import render

SETUP = system("benchmark set-up")
CYCLE = "review-2026"


def timed(fn) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def figures(db: Path, renders: int = 20, bulk: bool = True) -> None:
    store = open_store(db)
    cycle = get_cycle(store, CYCLE)
    q = cycle_questionnaire(store, cycle)
    key = installation_key(store)
    names = parties.all_parties(store)
    members = participants(store, cycle.id)
    given = [(p, get_submission(store, cycle.id, p).seq, current_answers(store, SETUP, cycle.id, p)) for p in members[:renders]]

    def one(party, seq, answers, lang="en"):
        return lambda: render(q, cycle, party, names[party].name(lang), seq, answers, lang, SETUP, key)

    timed(one(*given[0]))  # the first workbook of a process also loads the layout
    took = [timed(one(*g)) for g in given]
    arabic = [timed(one(*g, lang="ar")) for g in given[:5]]
    reads = [timed(lambda p=p: write_template(store, SETUP, cycle.id, p, "en")) for p in members[renders:renders + 10]]
    print(f"questionnaire {q.id} {q.version}, {len(q.assessed_provisions(cycle.chapters))} provisions in scope, "
          f"{len(members)} Parties; load average {os.getloadavg()[0]:.1f}")
    for name, runs in (("render, en", took), ("render, ar (right to left)", arabic), ("write_template", reads)):
        print(f"{name}, median of {len(runs)}: wall {statistics.median(w for w, _ in runs):.0f} ms, "
              f"CPU {statistics.median(c for _, c in runs):.0f} ms (fastest wall {min(w for w, _ in runs):.0f} ms)")
    if bulk:
        wall, cpu = timed(lambda: write_templates(store, SETUP, cycle.id, "en"))
        print(f"write_templates, {len(members)} workbooks in one zip: wall {wall / 1000:.1f} s "
              f"({wall / len(members):.0f} ms each), CPU {cpu / 1000:.1f} s ({cpu / len(members):.0f} ms each)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database to copy (default: build the demo)")
    parser.add_argument("--no-bulk", action="store_true", help="leave out the zip of every Party's workbook")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            store = open_store(db)
            demo.load_demo(store, seed=7, replace=True)
            store.close()
        figures(db, bulk=not args.no_bulk)


if __name__ == "__main__":
    main()
