"""In a real browser: the public opens the recommendations dashboard; the reviewed Party's focal point
logs in and gives a follow-up status and evidence, in the next cycle, to a recommendation of its
earlier agreed country review report, saved as typed."""

from __future__ import annotations

import shutil

import pytest

from review.access import system
from review.demo import DEMO_PASSWORD
from review.peer import followup as F, report as R
from review.store import open_store
from tests.browser_app import CHROMIUM, FLAGS, go, log_in, require_chromium, see, serve, wait_idle
from tests.test_review_report import MAIN, PILOT, add_review, set_stage

pytestmark = pytest.mark.browser


def test_the_focal_point_follows_up_a_recommendation_in_the_next_cycle(demo_db, tmp_path):
    from playwright.sync_api import sync_playwright

    require_chromium()
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    with open_store(db) as s:
        add_review(s, PILOT, "POL", "draft_report")
        pilot = R.draft_report(s, system("tests"), PILOT, "POL")
        set_stage(s, PILOT, "POL", "agreed")
    first = pilot.recommendations[0]
    evidence = "Act 12/2026 <b>adopted</b> in *May*."
    with serve(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1500})
        tab.goto(url)
        wait_idle(tab)
        go(tab, "Recommendations and follow-up")
        see(tab, "Recommendations of agreed country review reports")
        log_in(tab, "pol.focal@demo.example.org", DEMO_PASSWORD)
        go(tab, "Follow-up of recommendations")
        see(tab, first.body)
        status = tab.locator("[data-testid='stSelectbox']").filter(has_text="Status").first
        status.click()
        tab.get_by_role("option", name="In progress").first.click()
        tab.get_by_label("Evidence (laws, measures, cases, documents)").first.fill(evidence)
        tab.get_by_role("button", name="Save").first.click()
        wait_idle(tab)
        see(tab, "Saved.")
        browser.close()
    with open_store(db) as s:
        [now] = [i for i in F.earlier_recommendations(s, system("tests"), MAIN, "POL") if i.item_id == first.id]
    assert (now.status, now.evidence) == ("in_progress", evidence)
