"""Screenshots of the dashboards for the docs, taken from the running app in Debian's Chromium.

    python scripts/dashboard_screenshots.py DEMO_DB [OUT_DIR]

Serves a copy of DEMO_DB on port 8600 as the public sees it, opens each page, waits until the
script has finished and the charts are drawn, and saves a PNG per page (docs/images/ by default).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PORT = 8600
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# file name -> (page url path, window height)
SHOTS = {
    "overview.png": ("", 1000),
    "dashboard.png": ("dashboard_implementation", 1500),
    "map.png": ("dashboard_map", 1000),
    "country-profile.png": ("country_profile", 1500),
}


def _wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the app did not start")


def main(demo_db: str, out_dir: str = str(ROOT / "docs" / "images")) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copy(demo_db, db)
        env = {**os.environ, "REVIEW_DB": str(db)}
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(PORT),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://localhost:{PORT}"
            _wait_healthy(url)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                for name, (path, height) in SHOTS.items():
                    page = browser.new_page(viewport={"width": 1400, "height": height})
                    page.goto(f"{url}/{path}")
                    page.wait_for_selector(IDLE, timeout=60_000)
                    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=60_000)
                    time.sleep(2)
                    page.screenshot(path=str(out / name), full_page=False)
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main(*sys.argv[1:])
