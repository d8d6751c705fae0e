"""Shared by the real-browser tests: the app served on a free port from a copy of the demo, and
Debian's Chromium driven by Playwright.

Skipped when Chromium is missing, except under CI=true, where a skipped browser test would hide a
broken install step and so fails the run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (apt-get install chromium)")
        pytest.skip("Chromium is missing (apt-get install chromium)")


@contextmanager
def serve(db: Path, **env: str) -> Iterator[str]:
    """The app on `db` (with `env` added to its environment), on a free port of this machine,
    until the block ends."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "REVIEW_DB": str(db), **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    """The app on a private copy of the demo, shared by the tests of one module."""
    require_chromium()
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db, db)
    with serve(db) as url:
        yield url


@pytest.fixture
def page(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1500})
        yield served, tab
        browser.close()


def wait_idle(tab, timeout: int = 60_000) -> None:
    """Until the script run a click or a page load started has finished."""
    tab.wait_for_timeout(300)
    tab.wait_for_selector(IDLE, timeout=timeout)


def go(tab, title: str) -> None:
    """Open a page from the menu, as a user does (a reload would end a logged-in session)."""
    tab.get_by_role("link", name=title, exact=True).click()
    wait_idle(tab)


def click(tab, name: str) -> None:
    tab.get_by_role("button", name=name, exact=True).click()
    wait_idle(tab)


def choose(tab, label: str, option: str, typed: str = "") -> None:
    """Pick an option of a select box, typing first to narrow a long list as a user does."""
    box = tab.locator("[data-testid='stSelectbox']").filter(
        has=tab.locator("[data-testid='stWidgetLabel']", has_text=re.compile(f"^{re.escape(label)}$")))
    box.click()
    if typed:
        tab.keyboard.type(typed)
    tab.get_by_role("option", name=re.compile(option)).first.click()
    wait_idle(tab)


def log_in(tab, email: str, password: str) -> None:
    go(tab, "Log in")
    tab.get_by_label("E-mail").fill(email)
    tab.get_by_label("Password", exact=True).fill(password)
    click(tab, "Log in")
    tab.get_by_text("Log out").wait_for(timeout=30_000)


def see(tab, text: str) -> None:
    """Wait until `text` shows on the page."""
    tab.get_by_text(re.compile(re.escape(text))).first.wait_for(timeout=60_000)
