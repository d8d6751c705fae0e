"""In a real browser (issue 12, item 9): no tile and no button label is cut off. A returned
submission's state ("Returned for clarification") and the TA downloads ("Excel (every view)") were
cut off with an ellipsis in narrow columns: only a browser lays text out, so only it can tell."""

from __future__ import annotations

import pytest

from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from tests.browser_app import click, go, log_in, page, see, served, wait_idle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# the text of every metric and download button that is wider than its box (cut off)
CUT_OFF = """() => [...document.querySelectorAll(
    "[data-testid='stMetricValue'] *, [data-testid='stMetricLabel'] *, [data-testid='stMetricValue'],"
    + " [data-testid='stDownloadButton'] button *, [data-testid='stBaseButton-secondary'] *")]
  .filter(e => e.children.length === 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText)"""


def test_a_returned_state_and_the_ta_downloads_are_shown_whole(page):
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, "vnm.focal@demo.example.org", DEMO_PASSWORD)
    go(tab, "My cycle")
    see(tab, "Returned for clarification")
    assert tab.evaluate(CUT_OFF) == []
    click(tab, "Log out")
    log_in(tab, SECRETARIAT_EMAIL, DEMO_PASSWORD)
    go(tab, "TA matching")
    see(tab, "Excel (every view)")
    assert tab.evaluate(CUT_OFF) == []
