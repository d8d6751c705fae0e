"""The demo load as a newcomer meets it (issue: the demo in under 5 s): `python -m benchmarks.demo_load
[--other DIR] [--runs N]` runs `review --db <new file> demo` as a whole process, N times (3 by
default), and reports each run's wall time and CPU time (user + system of the process and its
threads, from the operating system), with the load average of the machine before it; with
`--other`, another checkout (the code before a change) runs in turns with this one, so both meet
the same spells of a shared machine. On a busy machine CPU time is the figure: wall time there
says more about the other processes than about the code."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine

ROOT = Path(__file__).resolve().parent.parent


def _run(tree: Path, db: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `review --db db demo` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "review", "--db", str(db), "demo"], cwd=tree,
                   env={**os.environ, "PYTHONPATH": str(tree)}, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, help="another checkout to time in turns with this one")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv or [])
    trees = {"this checkout": ROOT, **({"other": options.other.resolve()} if options.other else {})}
    print(f"Machine: {machine()}")
    print("| code | run | load average before | wall (s) | CPU (s) |")
    print("|---|---:|---:|---:|---:|")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as work:
        for run in range(1, options.runs + 1):
            for name, tree in trees.items():
                db = Path(work) / f"{name.replace(' ', '-')}-{run}.duckdb"
                load = os.getloadavg()[0]
                wall, cpu = _run(tree, db)
                results[name].append((wall, cpu))
                print(f"| {name} | {run} | {load:.1f} | {wall:.1f} | {cpu:.1f} |", flush=True)
                db.unlink(missing_ok=True)
    for name, values in results.items():
        print(f"{name}: median wall {statistics.median(v[0] for v in values):.1f} s, "
              f"median CPU {statistics.median(v[1] for v in values):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
