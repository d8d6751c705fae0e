"""The public side, without login: where a cycle stands (overview, response tracker) and the
published answers of the Parties that consented, for every role alike."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import menu
from review import cycles, users
from review.access import PUBLIC
from tests.actors import SETUP
from review.parties import all_parties
from review.submissions import list_submissions
from review.tracking import cycle_overview

PUBLISHED = "app/pages/published_answers.py"
ROLES = {"public": None, "focal": "ken.focal", "contributor": "ken.contributor", "observer": "ken.observer",
         "secretariat": "secretariat"}


def store():
    from app.context import store as app_store

    return app_store()


def open_page(app: AppTest, page: str, who: str | None = None) -> AppTest:
    app.run()
    if who:
        app.session_state["user_id"] = users.find_by_email(store(), f"{who}@demo.example.org").id
        app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def names() -> dict[str, str]:
    return {code: party.name() for code, party in all_parties(store()).items()}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_published_answers_list_only_consenting_published_parties_for_every_role(app, role):
    open_page(app, PUBLISHED, ROLES[role])
    subs = list_submissions(store(), "review-2026")
    shown = {names()[s.party] for s in subs if s.public}
    hidden = {names()[s.party] for s in subs if s.state == "published" and not s.consent_publication}
    offered = set(app.selectbox(key="published_party").options)
    assert offered == shown and hidden and not offered & hidden


def test_published_answers_read_with_labels_chapter_by_chapter(app):
    open_page(app, PUBLISHED)
    app.selectbox(key="published_chapter").set_value("II").run()
    text = " ".join(m.value for m in app.markdown)
    assert "Art. 7(1)" in text and "Obligation: Mandatory" in text
    assert any(label in text for label in ("Fully implemented", "Partially implemented", "Not implemented"))
    assert "Published on" in " ".join(c.value for c in app.caption)
    assert not app.text_area and "publish_submission" not in [b.key for b in app.button]


def test_a_cycle_with_nothing_published_says_so(app):
    q = cycles.registered_questionnaires(store())[0]
    cycles.create_cycle(store(), SETUP, cycle_id="next-2030", title="Next", questionnaire_id=q[0],
                        questionnaire_version=q[1], chapters=["II"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    app.query_params["cycle"] = "next-2030"  # not opened by default (nothing published): chosen by its link
    open_page(app, PUBLISHED)
    assert "No Party has published its answers with consent in this cycle yet." in app.info[0].value


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_status_tracker_is_the_same_for_everyone(app, role):
    open_page(app, "app/pages/overview.py", ROLES[role])
    view = cycle_overview(store(), "review-2026")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Participating Parties": str(view.participating), "Submitted so far": str(view.submitted),
                       "Published": str(view.published), "Late": str(view.late)}
    open_page(app, "app/pages/dashboard_tracker.py", ROLES[role])
    listed = app.dataframe[-1].value
    assert len(listed) == view.participating and listed["Late"].sum() == view.late


def test_the_public_menu_has_the_tracker_and_published_answers_but_no_workspace():
    titles = [spec.path for spec in menu(PUBLIC)]
    assert {"app/pages/overview.py", "app/pages/dashboard_tracker.py", PUBLISHED, "app/pages/login.py"} <= set(titles)
    assert not any("secretariat_" in path for path in titles)
