"""The peer review pages on the demo (AppTest): the reviewer's workspace reads the reviewed Party's
unpublished answers and asks in a provision's thread; every other page a reviewer types the address
of refuses it or shows only what the public sees; the reviewed Party answers; the secretariat sees
progress late first and completes its stages; the public calendar, also from a public replica."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import users
from review.access import system
from review.analysis.snapshot import write_snapshot
from review.demo import SECRETARIAT_EMAIL, demo_accounts
from review.peer import reviews as rv
from review.peer.demo import reviewer_email
from review.store import Store
from review.submissions import current_answers, get_submission
from app.text import as_markdown_text
from tests.test_dashboards import open_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
REFUSED = "You are not allowed to open this page."


@pytest.fixture(scope="module")
def facts(demo_db):
    """Who reviews NZL (at its desk review in the demo), its focal point, the secretariat."""
    with Store(demo_db) as s:
        context = system("tests")
        nzl = rv.get_review(s, context, "review-2026", "NZL")
        expert = users.find_by_email(s, reviewer_email(nzl.reviewing[0][0]))
        other = next(r for r in rv.reviews_for(s, context, "review-2026") if r.party not in ("NZL",) and r.experts
                     and expert.id not in {e.user_id for e in r.experts})
        answers = current_answers(s, context, "review-2026", "NZL")
        return {"reviewer": expert.id, "reviewer_email": expert.email, "reviewing": nzl.reviewing[0][0],
                "focal": users.find_by_email(s, "nzl.focal@demo.example.org").id,
                "secretariat": users.find_by_email(s, SECRETARIAT_EMAIL).id, "other_party": other.party,
                "state": get_submission(s, "review-2026", "NZL").state, "answers": answers,
                "accounts": [a.email for a in demo_accounts(s)],
                "agreed": next(r.id for r in rv.reviews_for(s, context) if r.stage == "agreed")}


def test_the_demo_holds_a_review_at_every_stage_and_lists_the_reviewers_on_the_login_page(demo_store, facts):
    from review.peer import STAGES

    found = {r.stage for r in rv.reviews_for(demo_store, system("tests"), "review-2026")}
    assert found == set(STAGES)
    assert facts["reviewer_email"] in facts["accounts"]
    assert any(r.late for r in rv.reviews_for(demo_store, system("tests")))


def test_the_reviewer_reads_the_unpublished_submission_and_asks_in_a_thread(app, facts):
    assert facts["state"] == "submitted", "NZL's answers are not published"
    open_page(app, "app/pages/peer_reviewer.py", facts["reviewer"])
    assert not app.error
    assert app.title[0].value == "My reviews"
    assert app.selectbox(key="peer_reviewer_review").options == [
        o for o in app.selectbox(key="peer_reviewer_review").options if "New Zealand" in o]
    shown = " ".join(m.value for m in app.markdown)
    assert "Implemented" in shown or "implemented" in shown.lower(), "the answers are read"
    provision = next(k.removeprefix("ask_body_") for k in (t.key for t in app.text_area) if k.startswith("ask_body_"))
    app.text_area(key=f"ask_body_{provision}").input("Which *authority* applies it? <b>x</b>")
    app.button(key=f"ask_send_{provision}").click().run()
    assert not app.exception and not app.error
    assert any("Sent to the thread" in s.value for s in app.success)
    typed = as_markdown_text("Which *authority* applies it? <b>x</b>")
    assert "\\*" in typed and any(m.value == typed for m in app.markdown), "shown as text, escaped"


PAGES = ["app/pages/secretariat_submission.py", "app/pages/secretariat_reviews.py", "app/pages/secretariat_inbox.py",
         "app/pages/secretariat_users.py", "app/pages/party_questionnaire.py", "app/pages/party_review.py",
         "app/pages/party_cycle.py", "app/pages/party_history.py", "app/pages/dashboard_evidence.py",
         "app/pages/ta_party.py", "app/pages/ta_matching.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_other_page_a_reviewer_types_the_address_of_is_refused(app, facts, page):
    open_page(app, page, facts["reviewer"])
    assert any(REFUSED in e.value for e in app.error) or any("not allowed" in e.value for e in app.error), page


def test_the_dashboards_show_a_reviewer_only_what_the_public_sees(app, facts):
    open_page(app, "app/pages/country_profile.py", facts["reviewer"])
    assert "New Zealand" not in list(app.selectbox(key="profile_party").options)
    captions = [c.value for c in app.caption]
    assert "Published answers of Parties that consented to publication." in captions
    assert not any("Your Party's own answers" in c for c in captions), "a reviewer's Party is not its sight"


def test_a_party_user_is_refused_the_reviewers_workspace(app, facts):
    open_page(app, "app/pages/peer_reviewer.py", facts["focal"])
    assert any(REFUSED in e.value for e in app.error)


def test_the_reviewed_party_answers_the_question_waiting(app, facts):
    open_page(app, "app/pages/party_review.py", facts["focal"])
    assert not app.error
    waiting = [t.key for t in app.text_area if t.key.startswith("answer_body_")]
    assert len(waiting) == 1, "one question waits in the demo"
    app.text_area(key=waiting[0]).input("The Ministry of Justice.")
    app.button(key=waiting[0].replace("answer_body_", "answer_send_")).click().run()
    assert not app.error
    assert any("Your answer is in the thread" in s.value for s in app.success)
    assert not [t.key for t in app.text_area if t.key.startswith("answer_body_")]
    assert any("0 question thread(s) waiting" in c.value for c in app.caption)


def test_an_empty_answer_is_refused_naming_the_field_and_kept(app, facts):
    open_page(app, "app/pages/party_review.py", facts["focal"])
    key = next(t.key for t in app.text_area if t.key.startswith("answer_body_"))
    app.text_area(key=key).input("   ")
    app.button(key=key.replace("answer_body_", "answer_send_")).click().run()
    assert any("Message" in e.value for e in app.error)


def test_the_secretariat_sees_late_reviews_first_and_completes_its_stage(app, facts):
    open_page(app, "app/pages/secretariat_reviews.py", facts["secretariat"])
    assert not app.error
    progress = app.dataframe[0].value
    assert progress["Days late"].iloc[0] > 0 and list(progress["Days late"]) == sorted(progress["Days late"], reverse=True)
    workload = app.dataframe[1].value
    assert workload["Reviews"].sum() == 2 * len(progress)
    agreed = facts["agreed"]
    app.selectbox(key="peer_manage_review").set_value(agreed).run()
    app.button(key=f"advance_{agreed}_summary").click().run()
    assert not app.error
    assert any("Completed: Executive summary" in m.value for m in app.success)
    assert f"advance_{agreed}_summary" not in [b.key for b in app.button]


def test_the_calendar_is_public_and_a_replica_serves_it(app, demo_db, tmp_path, monkeypatch):
    open_page(app, "app/pages/peer_calendar.py")
    assert app.title[0].value == "Calendar of peer reviews"
    table = app.dataframe[0].value
    assert len(table) >= 8 and "Reviewing Parties" in table.columns
    assert app.download_button
    working = tmp_path / "working.duckdb"
    shutil.copy(demo_db, working)
    with Store(working) as s:
        write_snapshot(s, system("tests"), tmp_path / "snapshot")
    monkeypatch.setenv("REVIEW_SNAPSHOT", str(tmp_path / "snapshot"))
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "absent" / "review.duckdb"))
    replica = AppTest.from_file(APP, default_timeout=90)
    open_page(replica, "app/pages/peer_calendar.py")
    assert not replica.error
    assert replica.dataframe[0].value.equals(table)
    assert not (tmp_path / "absent").exists()
    from review.analysis.snapshot import open_snapshot

    with open_snapshot(tmp_path / "snapshot") as snap, snap.read() as cur:
        done, named = cur.execute("SELECT count(done_at), count(done_by) FROM peer_review_stage").fetchone()
        tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert done > 0 and named == 0, "when a stage was completed is public, who completed it is not"
    assert not {"peer_review_expert", "desk_thread", "desk_message", "peer_dialogue"} & tables
