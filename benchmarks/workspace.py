"""A Party's workspace: the server-side time of opening a section of the questionnaire and of
saving one (what a focal point waits for after each click, minus the browser drawing).

On the full demo, as Kenya's focal point (a draft in `review-2026`, every chapter in scope), with
Streamlit's AppTest (in process, no browser). Opening: the rerun that renders a section chosen in
the section menu. Saving: one answer changed and the Save button clicked: the run that saves and
shows the saved section (a fresh change each time, alternating between two values). Each figure is
the median (and fastest) wall time of seven runs, beside the CPU time the process spent on it:
the machine is shared, and CPU time is what the rerun costs whatever else runs. Sections: a small one (article 7, two provisions), the
largest of chapter II (article 15, four provisions, 36 inputs with 16 tables) and one with its
own designation table (article 40).

Run: `python -m benchmarks.workspace` (uses a temporary copy of a fresh demo database).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.common import machine
from review import demo, users
from review.store import open_store

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app/pages/party_questionnaire.py"
SECTIONS = {7: "7.1", 15: "15.1", 40: "40"}
RUNS = 7


def open_section(user: str, article: int) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    app.session_state["user_id"] = user
    app.run()
    app.switch_page(PAGE)
    app.run()
    app.selectbox(key="ws_section_pick").set_value(article)
    next(b for b in app.button if b.label == "Open section").click().run()
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    return app


def measure(step) -> tuple[float, float, float]:
    """Median and fastest wall time, and median CPU time of the process, of RUNS calls, in ms."""
    wall, cpu = [], []
    for i in range(RUNS):
        prepare = step(i)
        start, start_cpu = time.perf_counter(), time.process_time()
        prepare()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def opening(app: AppTest):
    return lambda i: app.run


def saving(app: AppTest, provision: str):
    def step(i):
        radio = next(r for r in app.radio if r.key.endswith(f"_{provision}_status"))
        radio.set_value("not_applicable" if radio.value != "not_applicable" else "not_implemented")
        next(b for b in app.button if b.label == "Save section").click()

        def run():
            app.run()
            if not app.success:
                raise RuntimeError(f"save {i} did not go through: {[e.value for e in app.error]}")
        return run
    return step


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        with open_store(db) as store:
            demo.load_demo(store, seed=7)
            focal = users.find_by_email(store, "ken.focal@demo.example.org").id
        os.environ["REVIEW_DB"] = str(db)
        rows = []
        for article, provision in SECTIONS.items():
            app = open_section(focal, article)
            inputs = len(app.radio) + len(app.text_input) + len(app.text_area) + len(app.multiselect)
            tables = len(app.session_state["ws_snapshot"]["initial"]) - inputs
            rows.append((article, inputs, tables, measure(opening(app)), measure(saving(app, provision))))
    print(f"Machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| section | inputs | tables | open: wall median (fastest) | open: CPU | save: wall median (fastest) | save: CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for article, inputs, tables, (o_med, o_min, o_cpu), (s_med, s_min, s_cpu) in rows:
        print(f"| article {article} | {inputs} | {tables} | {o_med:.0f} ({o_min:.0f}) | {o_cpu:.0f} | {s_med:.0f} ({s_min:.0f}) | {s_cpu:.0f} |")


if __name__ == "__main__":
    main()
