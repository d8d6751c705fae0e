"""The light commands start fast: `review --help` and `review status` import none of the heavy
parts (polars, fpdf, openpyxl, the solver, charts, Babel, the mail modules); the choices the CLI writes down for them equal
the library's own."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("polars", "fpdf", "openpyxl", "highspy", "altair", "vl_convert", "pandas", "pyarrow", "scipy", "xlsxwriter", "jsonschema", "jsonschema_rs",
         "babel", "smtplib")  # babel: the first figure formatted; smtplib: review.notices, the first step
PROBE = ("import atexit, sys\n"
         f"atexit.register(lambda: print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr))\n"
         "from review.cli import main\nsys.exit(main(sys.argv[1:]))")


def loaded(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("LOADED"))
    return eval(line.removeprefix("LOADED "))  # a list literal we printed ourselves


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["import", "--help"], ["gap", "--help"],
                                  ["match", "--help"]])
def test_help_loads_nothing_heavy(args):
    assert loaded(*args) == []


def test_status_loads_nothing_heavy(demo_db, tmp_path):
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    assert loaded("--db", str(db), "status", "--json") == []


def test_the_cli_choices_are_the_librarys():
    from review import cli_analysis, cli_matching
    from review.analysis.gap_tables import GROUPINGS
    from review.export import FORMATS
    from review.matching import files, report

    assert cli_analysis.GROUPINGS == GROUPINGS and cli_analysis.FORMATS == FORMATS
    assert cli_matching.FORMATS == files.FORMATS and cli_matching.VIEWS == report.VIEWS
