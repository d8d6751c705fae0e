"""In a real browser (issue 12): nothing is fetched from outside this machine while the pages load,
and a focal point's walk: an incomplete table row and an over-long text are refused on save and stay
on screen, are fixed and saved, survive a reload; logging out shows the login, and logging in again
brings the page back."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from review.demo import DEMO_PASSWORD
from tests.browser_app import click, go, log_in, page, served, see, wait_idle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
FOCAL = "ken.focal@demo.example.org"
LOCAL = {"127.0.0.1", "localhost"}


def test_no_request_leaves_the_machine_while_pages_load(page):
    url, tab = page
    outside: list[str] = []

    def watch(request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL:
            outside.append(request.url)

    tab.on("request", watch)
    tab.goto(url)
    wait_idle(tab)
    links = [a.inner_text() for a in tab.locator("[data-testid='stSidebarNav'] a").all()]
    for title in links:
        go(tab, title)
    log_in(tab, FOCAL, DEMO_PASSWORD)
    for title in ("My cycle", "Questionnaire", "History", "Our technical assistance"):
        go(tab, title)
    tab.wait_for_timeout(1000)
    assert not outside, outside


def section_seven(tab) -> None:
    go(tab, "Questionnaire")
    box = tab.locator("[data-testid='stSelectbox']").filter(has_text="Section")
    box.click()
    tab.get_by_role("option", name=re.compile(r"Art\. 7 ")).first.click()
    click(tab, "Open section")
    see(tab, "Article 7:")


def test_a_focal_point_types_too_much_saves_is_refused_fixes_reloads_logs_out_and_in(page):
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, FOCAL, DEMO_PASSWORD)
    section_seven(tab)
    examples = tab.get_by_label(re.compile("^Examples of implementation")).first
    examples.fill("x" * 9000)
    # a legislation row with an article cited but no title (a required column)
    table = tab.locator("[data-testid='stDataFrame']").first
    table.hover()
    table.get_by_role("button", name=re.compile("Add row", re.I)).click()
    tab.keyboard.press("ArrowRight")
    tab.keyboard.type("s. 4")
    tab.keyboard.press("Enter")
    tab.wait_for_timeout(300)
    click(tab, "Save section")
    see(tab, "Nothing was saved")
    see(tab, "the text is 9000 characters long")
    see(tab, "Title of the law or measure: this column must be filled in")
    assert len(examples.input_value()) == 9000, "the long text is still on screen, whole"
    assert "s. 4" in table.inner_text() or table.locator("canvas").count(), "the row is still there"

    examples.fill("Courts applied the Act in 2023.")
    click(tab, "Save section")
    see(tab, "Nothing was saved")  # the row still lacks its title: refused again, nothing lost
    see(tab, "Title of the law or measure")
    tab.reload()
    wait_idle(tab)
    tab.get_by_text("Log out").wait_for(timeout=30_000)
    see(tab, "Article 7:")
    assert tab.get_by_label(re.compile("^Examples of implementation")).first.input_value() == "Courts applied the Act in 2023."

    click(tab, "Log out")
    tab.get_by_label("E-mail").wait_for(timeout=30_000)
    tab.get_by_label("E-mail").fill(FOCAL)
    tab.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    click(tab, "Log in")
    see(tab, "Article 7:")
    assert tab.get_by_text("Log out").count() == 1
