"""In a real browser, the whole path of a peer review (issue 15): the secretariat draws the lots of the
pilot cycle; a reviewer of the drawn reviewing Party asks in the desk review and Poland's focal point
answers; the dialogue is recorded; the report is drafted, agreed, its executive summary made ready and
published, each step the review's stage; the public reads the summary on Poland's country profile; in
the next cycle Poland's focal point gives a recommendation a follow-up status, which the
recommendations dashboard counts.

Prepared through the library before the app starts (it owns the database while it runs): the
reviewer's account of the Party the seed draws (the draw is computed on a scratch copy) and the rules
file the secretariat uploads (the demo records no treaty status: the States taking part review)."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from review import users
from review.access import PUBLIC, Role, system
from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.peer import lots
from review.peer import report as R
from review.peer import reviews as rv
from review.store import open_store
from tests.browser_app import CHROMIUM, FLAGS, choose, click, go, log_in, require_chromium, see, serve, wait_idle

pytestmark = pytest.mark.browser
PILOT, NEXT, PARTY, SEED = "pilot-2025", "review-2026", "POL", 1515
FOCAL = "pol.focal@demo.example.org"
EXPERT = "pol-pilot.expert@demo.example.org"
ARTICLE = re.compile(r"^Article \d+\.")


def _rules_file(tmp_path):
    rules = lots.Rules(**{**lots.default_rules().as_dict(), "reviewers": "cycle_participants"})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules.as_dict(), sort_keys=False), encoding="utf-8")
    return path, rules


@pytest.fixture
def prepared(demo_db, tmp_path):
    """The served copy of the demo with the expert's account, and the rules file to upload."""
    path, rules = _rules_file(tmp_path)
    scratch, db = tmp_path / "scratch.duckdb", tmp_path / "served.duckdb"
    shutil.copy(demo_db, scratch)
    with open_store(scratch) as s:  # what the seed draws, so that the reviewing Party's expert exists
        lots.draw(s, system("tests"), PILOT, seed=SEED, rules=rules)
        reviewing = next(r for r in lots.drawn_list(s, PUBLIC, PILOT) if r.party == PARTY).regional_reviewer
    shutil.copy(demo_db, db)
    with open_store(db) as s:
        users.create_user(s, system("tests"), email=EXPERT, name="Pilot expert", role=Role.REVIEWER, party=reviewing,
                          password_hash=users.hash_password(DEMO_PASSWORD))
    return db, path


def _tab(browser, url, email=None):
    tab = browser.new_page(viewport={"width": 1400, "height": 1500})
    tab.goto(url)
    wait_idle(tab)
    if email:
        log_in(tab, email, DEMO_PASSWORD)
    return tab


def _complete(tab, stage: str) -> None:
    click(tab, f"Complete: {stage}")
    see(tab, f"Completed: {stage}.")


def test_from_the_draw_to_a_published_summary_and_its_follow_up(prepared):
    from playwright.sync_api import sync_playwright

    require_chromium()
    db, rules_path = prepared
    with serve(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        _walk(browser, url, rules_path)
        browser.close()
    with open_store(db) as s:
        review = rv.get_review(s, system("tests"), PILOT, PARTY)
        assert review.stage == "published" and all(st.done_at for st in review.stages)
        assert R.published_summaries(s, PUBLIC, PARTY)[0].cycle_id == PILOT
        assert [d.seed for d in lots.draw_records(s, PUBLIC, PILOT)] == [SEED]


def _walk(browser, url, rules_path) -> None:
    """Every transition the issue names, each by whom acts, in its own logged-in tab."""
    sec = _tab(browser, url, SECRETARIAT_EMAIL)
    # the secretariat draws the pilot cycle's lots, with the rules uploaded and the seed read out
    go(sec, "Drawing of lots")
    choose(sec, "Cycle", "^Pilot review")
    sec.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(rules_path))
    seed_box = sec.get_by_label("Seed", exact=True)
    seed_box.fill(str(SEED))
    click(sec, "Draw the lots")
    see(sec, f"drawn with seed {SEED}")
    # ... attaches the expert to Poland's review and records the submitted self-assessment
    go(sec, "Peer reviews")
    choose(sec, "Review cycle", "^Pilot review")
    choose(sec, "Review", "^Poland, cycle Pilot review", typed="Pol")
    click(sec, "Attach")  # the one candidate of the reviewing Parties, offered first
    see(sec, "The expert is attached to the review.")
    _complete(sec, "Self-assessment submitted")

    expert = _tab(browser, url, EXPERT)  # the desk review: a question on a provision...
    go(expert, "My reviews")  # its one review
    expert.locator("[data-testid='stMain']").get_by_text(ARTICLE).first.click()
    wait_idle(expert)
    expert.locator("textarea").first.fill("Which court applied this provision in 2024?")
    expert.get_by_role("button", name="Send", exact=True).first.click()
    wait_idle(expert)
    see(expert, "Sent to the thread.")
    focal = _tab(browser, url, FOCAL)  # ... answered by the reviewed Party in the same thread
    go(focal, "Our peer review")
    choose(focal, "Review", "^Poland, cycle Pilot review")
    focal.get_by_label("Your answer").first.fill("The High Court, in two judgments.")
    click(focal, "Send the answer")
    see(focal, "Your answer is in the thread.")
    go(expert, "My reviews")
    _complete(expert, "Desk review")

    # the constructive dialogue, recorded and completed by the secretariat
    go(sec, "Peer reviews")
    choose(sec, "Review", "^Poland, cycle Pilot review", typed="Pol")
    sec.get_by_label("Place").fill("Warsaw")
    sec.get_by_label("Participants").fill("Experts of both reviewing Parties; the national authorities")
    click(sec, "Save the dialogue")
    see(sec, "The constructive dialogue is recorded.")
    _complete(sec, "Constructive dialogue")

    # the report: drafted by the expert (its stage), agreed by the Party, summary ready, published
    go(expert, "Country review reports")
    choose(expert, "Review cycle", "^Pilot review")
    click(expert, "Draft the report from the answers")
    see(expert, "Stage: Draft country report")
    go(focal, "Country review reports")
    choose(focal, "Review cycle", "^Pilot review")
    _complete(focal, "Agreed by the reviewed Party")
    go(sec, "Country review reports")
    choose(sec, "Reviewed State Party", "^Poland$", typed="Pol")
    _complete(sec, "Executive summary")
    _complete(sec, "Published")

    public = _tab(browser, url)  # the public reads the executive summary on the country profile
    go(public, "Country profile")
    choose(public, "Review cycle", "^Pilot review")
    choose(public, "Party", "^Poland$", typed="Pol")
    public.get_by_text("Executive summary (pilot-2025)").click()
    see(public, "Executive summary: Poland, Pilot review (synthetic demo)")

    # the next cycle: the focal point gives a recommendation a status; the dashboard counts it
    go(focal, "Follow-up of recommendations")
    choose(focal, "Review cycle", "^First review cycle")
    status = focal.locator("[data-testid='stSelectbox']").filter(has_text="Status").first
    status.click()
    focal.get_by_role("option", name="In progress").first.click()
    focal.get_by_label("Evidence (laws, measures, cases, documents)").first.fill("Bill 7/2026 before parliament.")
    focal.get_by_role("button", name="Save").first.click()
    wait_idle(focal)
    see(focal, "Saved.")
    go(focal, "Recommendations and follow-up")
    metric = focal.locator("[data-testid='stMetric']").filter(has_text="In progress")
    assert metric.locator("[data-testid='stMetricValue']").inner_text().strip() == "1"
