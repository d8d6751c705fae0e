"""In a real browser: a reviewer logs in, reads the reviewed Party's submission in its workspace and
asks in a provision's thread; typing the address of another page (the secretariat's, a Party's)
shows a refusal, and its own workspace still opens at its address."""

from __future__ import annotations

import re

import pytest

from review.access import system
from review.demo import DEMO_PASSWORD
from review.peer import reviews as rv
from review.peer.demo import reviewer_email
from review.store import Store
from tests.browser_app import click, go, log_in, page, see, served, wait_idle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
REFUSED = "You are not allowed to open this page."


@pytest.fixture(scope="module")
def expert(demo_db):
    with Store(demo_db) as s:
        return reviewer_email(rv.get_review(s, system("tests"), "review-2026", "NZL").reviewing[0][0])


ARTICLE = re.compile(r"^Article \d+\.")


def test_a_reviewer_works_in_its_review_and_is_refused_every_other_address(page, expert):
    url, tab = page
    dialogs = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, expert, DEMO_PASSWORD)
    go(tab, "My reviews")
    tab.get_by_role("heading", name="My reviews").wait_for(timeout=30_000)
    see(tab, "New Zealand")
    # open the first article's provisions (an article's title, not the menu's "article" icon)
    tab.locator("[data-testid='stMain']").get_by_text(ARTICLE).first.click()
    wait_idle(tab)
    box = tab.locator("textarea").first
    box.fill("Which authority applies this provision? <script>alert(1)</script>")
    tab.get_by_role("button", name="Send", exact=True).first.click()
    wait_idle(tab)
    see(tab, "Sent to the thread.")
    tab.locator("[data-testid='stMain']").get_by_text(ARTICLE).first.click()  # the article folded again at the rerun
    wait_idle(tab)
    see(tab, "<script>alert(1)</script>")  # shown as the text typed, never run
    assert dialogs == []
    for address in ("secretariat_reviews", "secretariat_submission", "party_questionnaire", "party_review"):
        tab.goto(f"{url}/{address}")
        wait_idle(tab)
        see(tab, REFUSED)
    tab.goto(f"{url}/peer_reviewer")
    wait_idle(tab)
    tab.get_by_role("heading", name="My reviews").wait_for(timeout=30_000)
    assert tab.get_by_text(REFUSED).count() == 0
