"""In a real browser, the whole review of one Party: its focal point logs in, answers a provision,
saves, uploads the workbook that answers the rest, and submits; the secretariat then logs in,
validates and publishes. The database file the app served says the same afterwards."""

from __future__ import annotations

import shutil

import pytest

from review import submissions, users
from tests.actors import SETUP
from review.cycles import cycle_questionnaire, get_cycle
from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.store import open_store
from review.workbook import write_template
from tests.browser_app import CHROMIUM, FLAGS, choose, click, go, log_in, require_chromium, see, serve, wait_idle
from tests.workbook_helpers import fill

pytestmark = pytest.mark.browser

CYCLE, PARTY = "review-2026", "KEN"
FOCAL_POINT = "ken.focal@demo.example.org"
ANSWERED_ONLINE = ("7.1", "status")


def _value(q, question):
    """What a Party would answer for a required question still missing."""
    if question.type == "choice":
        codes = q.code_lists[question.code_list].codes
        return "not_applicable" if "not_applicable" in codes else codes[0]
    if question.type == "table":
        return [{c.id: _value(q, c) for c in question.columns if c.required}]
    return {"multi_choice": ["other"], "integer": 1, "year": 2020, "url": "https://example.org"}.get(question.type, "Described.")


def _rest_of_the_answers(scratch) -> dict:
    """Every answer Kenya still lacks once provision 7.1 is answered online, found on a scratch copy."""
    with open_store(scratch) as s:
        focal = users.find_by_email(s, FOCAL_POINT).actor
        q = cycle_questionnaire(s, get_cycle(s, CYCLE))
        given = {ANSWERED_ONLINE: "not_applicable"}
        submissions.save_answers(s, focal, CYCLE, PARTY, submissions.get_submission(s, CYCLE, PARTY).seq, given)
        rest: dict = {}
        for _ in range(3):
            missing = submissions.submission_completeness(s, focal, CYCLE, PARTY).missing
            if not missing:
                return rest
            changes = {(p, qid): _value(q, q.provision(p).question(qid)) for p, qid in missing}
            submissions.save_answers(s, focal, CYCLE, PARTY, submissions.get_submission(s, CYCLE, PARTY).seq, changes)
            rest.update(changes)
    raise AssertionError("the scratch copy could not be completed")


@pytest.fixture
def setting(demo_db, tmp_path):
    """The served database, and Kenya's workbook filled with the answers the browser does not give."""
    require_chromium()
    scratch, served = tmp_path / "scratch.duckdb", tmp_path / "served.duckdb"
    shutil.copy(demo_db, scratch)
    shutil.copy(demo_db, served)
    rest = _rest_of_the_answers(scratch)
    with open_store(served) as s:
        focal = users.find_by_email(s, FOCAL_POINT).actor
        q = cycle_questionnaire(s, get_cycle(s, CYCLE))
        workbook = tmp_path / "KEN.xlsx"
        workbook.write_bytes(fill(write_template(s, focal, CYCLE, PARTY), q, rest))
    return served, workbook, len(rest)


def test_a_party_submits_and_the_secretariat_publishes(setting):
    from playwright.sync_api import sync_playwright

    served, workbook, imported = setting
    with serve(served) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1600})
        tab.goto(url)
        wait_idle(tab)

        log_in(tab, FOCAL_POINT, DEMO_PASSWORD)
        go(tab, "Questionnaire")
        choose(tab, "Section", r"Art\. 7 ")
        click(tab, "Open section")
        status = tab.locator("[data-testid='stRadio']").filter(has_text="Has your State implemented the provision?").first
        status.get_by_text("Not applicable", exact=True).click()
        click(tab, "Save section")
        see(tab, "Saved: 1 answer(s) changed")

        go(tab, "Offline workbook")
        tab.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(workbook))
        wait_idle(tab)
        click(tab, "Import the workbook")
        see(tab, f"KEN.xlsx imported: {imported} answer(s) changed")

        go(tab, "Submit")
        tab.get_by_text("Yes: the full answers may be published", exact=False).click()
        wait_idle(tab)
        click(tab, "Submit")
        click(tab, "Confirm submission")
        see(tab, "Submitted. The answers are frozen as revision")

        click(tab, "Log out")
        log_in(tab, SECRETARIAT_EMAIL, DEMO_PASSWORD)
        go(tab, "Review a submission")
        choose(tab, "Party", "^Kenya$", typed="Kenya")
        click(tab, "Validate")
        see(tab, "The submission is validated.")
        click(tab, "Publish")
        see(tab, "Publish the submission of Kenya?")  # publishing asks first
        click(tab, "Yes, publish")
        see(tab, "The submission is published")
        browser.close()

    with open_store(served) as s:
        sub = submissions.get_submission(s, CYCLE, PARTY)
        assert (sub.state, sub.consent_publication) == ("published", True)
        published = submissions.published_answers(s, CYCLE, PARTY)
        assert published[ANSWERED_ONLINE] == "not_applicable"
        assert submissions.submission_completeness(s, SETUP, CYCLE, PARTY).missing == []
