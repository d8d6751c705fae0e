"""A Party's workspace: the server-side time of opening a section of the questionnaire and of
saving one (what a focal point waits for after each click, minus the browser drawing).

On the full demo, as Kenya's focal point (a draft in `review-2026`, every chapter in scope), with
Streamlit's AppTest (in process, no browser). Opening: the rerun that renders a section chosen in
the section menu (median of reruns of that section). Saving: one answer changed, the Save button
clicked, and the rerun the page makes to show the saved state, together (a fresh change each
time, alternating between two values). Sections: a small one (article 7, two provisions), the
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

from benchmarks.common import machine, timed
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
    app.selectbox(key="ws_section_pick").set_value(article).run()
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    return app


def save_ms(app: AppTest, provision: str) -> float:
    """Median time of a save of one changed answer, with the page's rerun after it."""
    times = []
    for i in range(RUNS):
        radio = next(r for r in app.radio if r.key.endswith(f"_{provision}_status"))
        radio.set_value("not_applicable" if radio.value != "not_applicable" else "not_implemented")
        button = next(b for b in app.button if b.label == "Save section")
        button.click()
        start = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - start) * 1000)
        if not app.success:
            raise RuntimeError(f"save {i} did not go through: {[e.value for e in app.error]}")
    return statistics.median(times)


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
            inputs = len(app.radio) + len(app.text_input) + len(app.text_area) + len(app.multiselect) + len(app.selectbox)
            opening, _ = timed(app.run, repeat=RUNS)
            saving = save_ms(app, provision)
            rows.append((article, inputs, opening, saving))
    print(f"Machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| section | inputs (excluding tables) | open (ms) | save one answer + rerun (ms) |")
    print("|---|---:|---:|---:|")
    for article, inputs, opening, saving in rows:
        print(f"| article {article} | {inputs} | {opening:.0f} | {saving:.0f} |")


if __name__ == "__main__":
    main()
