"""No Python function inside a polars expression, anywhere the server runs: polars runs such a
function on its own thread pool, and when another session's thread converts a frame at the same
moment (Streamlit's table calls `to_pandas`), the two wait on each other and every session of the
server freezes. The load benchmark found it (50 users: the dashboards' formatted tables against
the questionnaire's); `review.formats.column` writes a column as text in the calling thread."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UDF = re.compile(r"\.(map_elements|map_batches|map_groups|map_rows)\(")


def test_no_page_or_library_module_puts_a_python_function_in_a_polars_expression():
    found = []
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "app").rglob("*.py")), *sorted((ROOT / "review").rglob("*.py"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UDF.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Python functions in polars expressions:\n" + "\n".join(found)


# Sessions at once, as the server runs them: threads formatting tables for the page (the app's
# `readable` for figures and for tables) while others hand frames to Streamlit's table (to_pandas).
# Before `formats.column`, this froze within a second or two: the process never printed "done".
_SESSIONS = """
import datetime as dt, threading, time
import polars as pl
from app import figures, tables
figures.lang = lambda: "fr"
frame = pl.DataFrame({"rate": [i / 3 for i in range(2000)], "day": [dt.date(2026, 1, 1)] * 2000,
                      "at": [dt.datetime(2026, 1, 1, 9, 30)] * 2000, "party": ["KEN"] * 2000})
until = time.monotonic() + 4
def formatting():
    while time.monotonic() < until:
        figures.readable(frame)
        tables.readable(frame, "ar")
def showing():
    while time.monotonic() < until:
        frame.with_columns(pl.col("rate") * 2).to_pandas()
threads = [threading.Thread(target=formatting if i % 2 else showing, daemon=True) for i in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
print(figures.readable(frame)["rate"][1])
print(tables.readable(frame, "en")["day"][0])
"""


def test_tables_formatted_in_several_sessions_at_once_do_not_freeze_the_server():
    # a freeze holds the interpreter lock: only a separate process can be stopped and reported
    run = subprocess.run([sys.executable, "-c", _SESSIONS], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["done", "0,33", "Jan 1, 2026"], run.stdout  # and written as before
