"""In a real browser: the secretariat opens the Drawing of lots, downloads the COP's list and redraws a
Party's reviewers with a seed it types; the database the app served says the same afterwards."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from review import audit
from review.access import PUBLIC
from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.peer import lots
from review.store import open_store
from tests.actors import SETUP
from tests.browser_app import CHROMIUM, FLAGS, choose, click, go, log_in, require_chromium, see, serve, wait_idle

pytestmark = pytest.mark.browser


def test_the_secretariat_downloads_the_list_and_redraws_a_partys_reviewers(demo_db, tmp_path):
    from playwright.sync_api import sync_playwright

    require_chromium()
    db = tmp_path / "served.duckdb"
    shutil.copy(demo_db, db)
    with open_store(db) as s:
        before = {r.party: r for r in lots.drawn_list(s, PUBLIC, "review-2026")}
    with serve(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
        tab.goto(url)
        wait_idle(tab)
        log_in(tab, SECRETARIAT_EMAIL, DEMO_PASSWORD)
        go(tab, "Drawing of lots")
        see(tab, "The list of the Conference of the States Parties")
        with tab.expect_download() as download:
            tab.get_by_role("button", name="Download the list (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
        assert {r["party"]: (r["regional_reviewer"], r["other_reviewer"]) for r in rows} == {
            p: (r.regional_reviewer, r.other_reviewer) for p, r in before.items()}
        # Kenya's review stays at the stage "drawn" in the demo, where a redraw is still allowed
        choose(tab, "Party under review", "^KEN$", typed="KEN")
        seed_box = tab.get_by_label("Seed", exact=True).and_(tab.get_by_test_id("stTextInputField"))
        seed_box.fill("4242")
        seed_box.press("Enter")
        wait_idle(tab)
        click(tab, "Draw again")
        see(tab, "KEN: drawn again with seed 4242")
        browser.close()
    with open_store(db) as s:
        after = {r.party: r for r in lots.drawn_list(s, PUBLIC, "review-2026")}
        redrawn = [p for p in after if (after[p].regional_reviewer, after[p].other_reviewer)
                   != (before[p].regional_reviewer, before[p].other_reviewer)]
        assert redrawn == ["KEN"] and after["KEN"].redraws == 1 and after["KEN"].seed == 4242
        [entry] = [e for e in audit.entries(s, SETUP) if e.action == "peer.redraw"]
        assert entry.entity_id == f"review-2026/{redrawn[0]}" and entry.after["seed"] == 4242
