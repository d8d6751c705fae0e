"""In a real browser: clicking a heatmap cell or a country shows the answers behind it.

AppTest cannot click inside a chart, so these run the app on a free port and drive Debian's
Chromium with Playwright. Skipped when Chromium is missing, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (apt-get install chromium)")
        pytest.skip("Chromium is missing (apt-get install chromium)")
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db, db)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "REVIEW_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def page(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1500})
        yield served, tab
        browser.close()


def _open(tab, url: str):
    tab.goto(url)
    tab.wait_for_selector(IDLE, timeout=60_000)
    chart = tab.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("canvas, svg").first.wait_for(timeout=60_000)
    tab.wait_for_timeout(1500)
    return chart.bounding_box()


def _click(tab, box, dx: float, dy: float) -> None:
    tab.mouse.click(box["x"] + dx, box["y"] + dy)
    tab.wait_for_timeout(500)
    tab.wait_for_selector(IDLE, timeout=60_000)


def test_clicking_a_heatmap_cell_lists_the_answers_behind_it(page):
    url, tab = page
    box = _open(tab, f"{url}/dashboard_implementation")
    assert tab.get_by_text("Choose a Party or an article to see the answers behind it.").is_visible()
    _click(tab, box, box["width"] * 0.25, box["height"] * 0.2)
    tab.get_by_text("Party x provision answers behind this figure").wait_for(timeout=30_000)


def test_clicking_a_country_lists_the_answers_behind_its_score(page):
    url, tab = page
    box = _open(tab, f"{url}/dashboard_map")
    # Canada, drawn for the public in the demo's latest cycle (a consented, published Party).
    _click(tab, box, 199, 70)
    tab.get_by_text("Party x provision answers behind this figure").wait_for(timeout=30_000)
