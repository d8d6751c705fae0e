"""In a real browser: a password session survives a reload, and ends for good at logout (the back
button does not bring it back)."""

from __future__ import annotations

import pytest

from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from tests.browser_app import click, log_in, page, served, wait_idle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_log_in_reload_still_in_log_out_back_button_out(page):
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, SECRETARIAT_EMAIL, DEMO_PASSWORD)
    tab.get_by_role("link", name="Inbox", exact=True).click()
    wait_idle(tab)
    cookies = {c["name"]: c for c in tab.context.cookies()}
    assert "cop_review_session" in cookies and len(cookies["cop_review_session"]["value"]) >= 40
    tab.reload()
    wait_idle(tab)
    tab.get_by_text("Log out").wait_for(timeout=30_000)
    tab.get_by_role("heading", name="Submissions inbox").wait_for(timeout=30_000)
    click(tab, "Log out")
    tab.get_by_role("link", name="Log in", exact=True).wait_for(timeout=30_000)
    tab.go_back()
    wait_idle(tab)
    tab.reload()
    wait_idle(tab)
    tab.get_by_role("link", name="Log in", exact=True).wait_for(timeout=30_000)
    assert tab.get_by_text("Log out").count() == 0
