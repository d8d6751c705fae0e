"""Issue 12, items 7, 9 and 14 (what was left): the submit page's missing answers open their
sections; the focal point is told when a colleague's save replaced its answer; the inbox filters by
submission state and, separately, by Party; the TA page says that needs kept in a draft are not
counted yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import drafts, submissions, users, workspace
from review.demo import SECRETARIAT_EMAIL
from review.inbox import inbox
from review.store import open_store
from tests.text_helpers import shown

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
CYCLE = "review-2026"


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture
def people(store):
    emails = {"focal": "ken.focal@demo.example.org", "contributor": "ken.contributor@demo.example.org",
              "secretariat": SECRETARIAT_EMAIL}
    return {name: users.find_by_email(store, email).actor for name, email in emails.items()}


def open_page(page: str, user) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["user_id"] = user.id
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_each_article_with_missing_answers_opens_its_section(store, people):
    missing = workspace.missing_answers(store, people["focal"], CYCLE, "KEN", "en")
    first = missing[0].article
    store.close()
    app = open_page("app/pages/party_submit.py", people["focal"])
    go = app.button(key=f"ws_goto_{first}")
    assert go.label == f"Art. {first}"
    assert {b.key for b in app.button if b.key and b.key.startswith("ws_goto_")} == {f"ws_goto_{m.article}" for m in missing}
    go.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Questionnaire"
    assert app.query_params["section"] in (str(first), [str(first)])


def _colleague_replaces(store, people) -> tuple[str, str, str]:
    """The contributor saves another status over one the focal point saved; returns the provision."""
    saved = submissions.current_answers(store, people["focal"], CYCLE, "KEN")
    key = next(k for k in saved if k[1] == "status")
    mine = saved[key]
    theirs = "not_implemented" if mine != "not_implemented" else "implemented"
    seq = submissions.get_submission(store, CYCLE, "KEN").seq
    submissions.save_answers(store, people["contributor"], CYCLE, "KEN", seq, {key: theirs})
    return key, mine, theirs


def test_the_focal_point_is_told_when_a_colleague_replaced_its_answer(store, people):
    assert workspace.replaced_answers(store, people["focal"], CYCLE, "KEN", "en") == []
    key, _, _ = _colleague_replaces(store, people)
    ref = workspace.where(workspace.cycle_questionnaire(store, workspace.get_cycle(store, CYCLE)), f"{key[0]} status", "en")
    ref = ref.split(" — ")[0]
    replaced = workspace.replaced_answers(store, people["focal"], CYCLE, "KEN", "en")
    assert [(r.provision, r.who) for r in replaced] == [(ref, "Contributor, Kenya")]
    assert workspace.replaced_answers(store, people["contributor"], CYCLE, "KEN", "en") == [], "not the colleague"
    store.close()
    app = open_page("app/pages/party_questionnaire.py", people["focal"])
    assert any("1 of your saved answers were since saved differently by a colleague" in w.value for w in app.warning)
    assert any("Contributor, Kenya" in m.value and ref in shown(m.value) for m in app.markdown)


def test_saving_the_answer_again_ends_the_notice(store, people):
    key, mine, _ = _colleague_replaces(store, people)
    seq = submissions.get_submission(store, CYCLE, "KEN").seq
    submissions.save_answers(store, people["focal"], CYCLE, "KEN", seq, {key: mine})
    assert workspace.replaced_answers(store, people["focal"], CYCLE, "KEN", "en") == []


def test_the_inbox_filters_by_submission_state_and_by_party(store, people):
    rows = inbox(store, people["secretariat"], parties=["KEN", "VNM"])
    assert {r.party for r in rows} == {"KEN", "VNM"}
    store.close()
    app = open_page("app/pages/secretariat_inbox.py", people["secretariat"])
    assert app.multiselect(key="inbox_states").label == "Submission state"
    app.multiselect(key="inbox_parties").set_value(["KEN"]).run()
    assert set(app.dataframe[0].value["Party"]) == {"Kenya"}


def test_the_ta_page_says_drafted_needs_are_not_counted_yet(store, people):
    sub = submissions.get_submission(store, CYCLE, "KEN")
    drafts.keep_draft(store, people["focal"], CYCLE, "KEN", {("18", "ta_needs"): drafts.DraftAnswer(
        [{"type": "legal_advice", "priority": "high", "description": "Drafted, not saved"}], None, sub.seq)})
    store.close()
    app = open_page("app/pages/ta_party.py", people["focal"])
    assert any("1 TA need table(s) typed in a section and kept as a draft are not counted above" in c.value
               for c in app.caption)
