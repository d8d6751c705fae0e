"""Whole-process times of the light commands against the bare interpreter (issue: a CLI that starts
fast): `python -m benchmarks.cli_startup [--other DIR]` times `python -c pass`, `import duckdb`,
`review --help` and `review status --json` (on a copy of the demo), each median of 7 runs taken in
turns; with `--other`, the same commands of another checkout (the code before a change) beside them."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _run(cwd: Path, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, env={**os.environ, "PYTHONPATH": str(cwd)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, help="another checkout to time beside this one")
    options = parser.parse_args(argv or [])
    work = Path(tempfile.mkdtemp())
    try:
        db = work / "demo.duckdb"
        subprocess.run([sys.executable, "-m", "review", "--db", str(db), "demo"], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, check=True)
        commands = {"python -c pass": ["-c", "pass"], "python -c 'import duckdb'": ["-c", "import duckdb"],
                    "review --help": ["-m", "review", "--help"],
                    "review status --json": ["-m", "review", "--db", str(db), "status", "--json"]}
        trees = {"this checkout": ROOT, **({"other": options.other.resolve()} if options.other else {})}
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(RUNS):
            for tree_name, tree in trees.items():
                for name, args in commands.items():
                    if name.startswith("python") and tree_name != "this checkout":
                        continue
                    times.setdefault((tree_name, name), []).append(_run(tree, args))
        base = statistics.median(times[("this checkout", "python -c 'import duckdb'")])
        print("| code | command | median (s) | fastest (s) | x import duckdb |")
        print("|---|---|---:|---:|---:|")
        for (tree_name, name), values in times.items():
            median = statistics.median(values)
            print(f"| {tree_name} | `{name}` | {median:.2f} | {min(values):.2f} | {median / base:.1f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
