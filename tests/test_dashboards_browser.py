"""In a real browser: clicking a heatmap cell or a country shows the answers behind it.

AppTest cannot click inside a chart, so these run the app on a free port and drive Debian's
Chromium with Playwright. Skipped when Chromium is missing, except under CI=true.
"""

from __future__ import annotations

import pytest

from tests.browser_app import IDLE, page, served  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


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
