"""Dashboard pages: the server-side time of a rerun (what a user waits for after each click,
minus the browser drawing), on the demo and on the analysis benchmark's datasets ten times larger.

Each page is opened with Streamlit's AppTest (in process, no browser) as the public and as the
secretariat; the figures are the median and the fastest of seven reruns after the first (warm)
one (the fastest shows the cost on a machine other jobs share). Reruns recompute every figure on
the page: nothing is cached between them but the database connection and what depends on no
Party's data (the world map's topology and chart frame).

Run: `python -m benchmarks.dashboard` (uses temporary databases).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.analysis import add_cycles, add_parties
from benchmarks.common import machine, median_and_fastest
from review import demo, users
from review.demo import SECRETARIAT_EMAIL
from review.store import open_store

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "implementation (heatmap, chapters, regions, categories)": "app/pages/dashboard_implementation.py",
    "world map": "app/pages/dashboard_map.py",
    "TA needs and challenges": "app/pages/dashboard_needs.py",
    "response tracker": "app/pages/dashboard_tracker.py",
    "change between cycles": "app/pages/dashboard_change.py",
    "country profile": "app/pages/country_profile.py",
    "legislation library": "app/pages/legislation_library.py",
}
RUNS = 7


def rerun_ms(db: Path, page: str, user: str | None) -> tuple[float, float]:
    """Median and fastest server-side rerun time of one page, in milliseconds."""
    os.environ["REVIEW_DB"] = str(db)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    if user:
        app.session_state["user_id"] = user
    app.run()
    app.switch_page(page)
    app.run()
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].value}")
    return median_and_fastest(app.run, RUNS)


def main() -> None:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "demo.duckdb"
        with open_store(base) as store:
            demo.load_demo(store, seed=7)
            secretariat = users.find_by_email(store, SECRETARIAT_EMAIL).id
        datasets = {"demo": base}
        for name, grow in (("10 cycles", add_cycles), ("10x Parties", add_parties)):
            path = Path(tmp) / f"{name.replace(' ', '_')}.duckdb"
            shutil.copy(base, path)
            with open_store(path) as store:
                grow(store)
            datasets[name] = path
        columns = [("demo", "public", None), ("demo", "secretariat", secretariat),
                   ("10 cycles", "secretariat", secretariat), ("10x Parties", "secretariat", secretariat)]
        rows = {}
        for label, page in PAGES.items():
            figures = []
            for dataset, _, user in columns:
                copy = Path(tmp) / f"run-{len(rows)}-{len(figures)}.duckdb"
                shutil.copy(datasets[dataset], copy)
                figures.append(rerun_ms(copy, page, user))
                copy.unlink()
            rows[label] = figures
    print(f"Machine: {machine()}; load average {load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    header = " | ".join(f"{d}, {who}: median (fastest) ms" for d, who, _ in columns)
    print(f"| page | {header} | growth 10x Parties (fastest) |")
    print("|---|" + "---:|" * (len(columns) + 1))
    for label, figures in rows.items():
        cells = " | ".join(f"{median:.0f} ({fastest:.0f})" for median, fastest in figures)
        print(f"| {label} | {cells} | x{figures[3][1] / figures[1][1]:.1f} |")


if __name__ == "__main__":
    main()
