"""The TA matching pages: the secretariat's report and offers, a Party's needs and decisions, and
each role refused where it does not belong (menu and page both)."""

from __future__ import annotations

from tests.text_helpers import shown, shows_login

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from review import users
from review.access import ACTIONS, PUBLIC, Actor, Role
from review.demo import SECRETARIAT_EMAIL
from review.store import Store
from tests.test_dashboards import open_page as open_app_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
SECRETARIAT_PAGE = "app/pages/ta_matching.py"
PARTY_PAGE = "app/pages/ta_party.py"


@pytest.fixture(scope="module")
def people(demo_db):
    with Store(demo_db) as s:
        return {who: users.find_by_email(s, email).id for who, email in (
            ("secretariat", SECRETARIAT_EMAIL), ("nzl", "nzl.focal@demo.example.org"),
            ("nzl_observer", "nzl.observer@demo.example.org"))}


def open_page(page: str, user: str | None) -> AppTest:
    return open_app_page(AppTest.from_file(APP, default_timeout=120), page, user)


def test_the_secretariat_sees_every_view_and_registers_an_offer(db, people):
    app = open_page(SECRETARIAT_PAGE, people["secretariat"])
    assert app.title[0].value == "Technical assistance matching"
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Matched"]) > 0 and int(metrics["Unmet"]) > 0
    assert [t.label for t in app.tabs] == ["Suggested matches", "Per provider", "Per Party", "Unmet needs",
                                           "Unmet needs summary", "Offers"]
    assert "Why unmet" in app.dataframe[3].value.columns
    app.text_input(key="offer_provider").input("Commonwealth Secretariat")
    app.selectbox(key="offer_kind").set_value("organization")
    app.multiselect(key="offer_types").set_value(["legislative_drafting"])
    app.multiselect(key="offer_regions").set_value(["AFR"])
    submit = next(b for b in app.button if b.label == "Save")
    submit.click().run()
    assert any("registered" in s.value for s in app.success), [e.value for e in app.error]


def test_a_party_sees_its_needs_and_accepts_a_partner(db, people):
    app = open_page(PARTY_PAGE, people["nzl"])
    assert app.title[0].value == "Our technical assistance"
    table = app.dataframe[0].value
    assert len(table) > 0
    options = app.selectbox(key="party_pick").options
    suggested = next(o for o in options if "(Suggested)" in o)
    app.selectbox(key="party_pick").set_value(suggested)
    app.selectbox(key="party_step").set_value("accept")
    next(b for b in app.button if b.label == "Apply").click().run()
    assert any("Accepted by the Party" in s.value for s in app.success), [e.value for e in app.error]


def test_a_partys_observer_may_look_but_is_offered_nothing_to_do(db, people):
    app = open_page(PARTY_PAGE, people["nzl_observer"])
    assert len(app.dataframe[0].value) > 0, "the needs are shown"
    keys = {w.key for kind in ("selectbox", "multiselect", "text_area") for w in getattr(app, kind)}
    assert not keys & {"party_pick", "party_step", "party_languages", "request_type", "poffer_types"}, keys
    assert not [b for b in app.button if b.label in ("Apply", "Save")]
    assert not app.error
    assert app.subheader[-1].value == "Our offers", "the page is whole"


def test_a_refusal_names_the_action_and_role_in_words():
    from review.errors import PermissionDenied

    from review.i18n import LANGUAGES

    for lang in LANGUAGES:
        for action in ACTIONS:
            message = PermissionDenied("errors.permission_denied", action=action, role="observer").message(lang)
            assert action not in message and "observer" not in message, message
    assert PermissionDenied("errors.permission_denied", action="match.decide", role="observer").message() == (
        "You are not allowed to accept or decline a suggested match (your role: Observer).")


def test_a_contributor_may_file_a_request_but_not_decide(db, demo_db):
    with Store(demo_db) as s:
        contributor = users.find_by_email(s, "ken.contributor@demo.example.org").id
    app = open_page(PARTY_PAGE, contributor)
    keys = {w.key for w in app.selectbox}
    assert "request_type" in keys and not {"party_pick", "party_step"} & keys
    assert "poffer_types" not in {w.key for w in app.multiselect}, "only the focal point offers in the Party's name"


def test_each_role_is_refused_where_it_does_not_belong(db, people):
    """Left out of the menu, and refused when opened by its address anyway."""
    for page, user in ((SECRETARIAT_PAGE, None), (PARTY_PAGE, None), (SECRETARIAT_PAGE, people["nzl"]),
                       (PARTY_PAGE, people["secretariat"])):
        app = AppTest.from_file(APP, default_timeout=120)
        if user:
            app.session_state["user_id"] = user
        app.run()
        actor = Actor(user, Role.FOCAL_POINT, "NZL") if user == people["nzl"] else (
            Actor(user, Role.SECRETARIAT) if user else PUBLIC)
        assert page not in [spec.path for spec in navigation.menu(actor)], page
        app.switch_page(page)
        app.run()
        if user is None:
            assert shows_login(app), page
        else:
            assert [e.value for e in app.error] == ["You are not allowed to open this page."], page


def test_the_pages_speak_chinese(db, people):
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["user_id"] = people["secretariat"]
    app.session_state["lang"] = "zh"
    app.run()
    app.switch_page(SECRETARIAT_PAGE)
    app.run()
    assert app.title[0].value == "技术援助匹配"
    assert "未满足原因" in app.dataframe[3].value.columns


def test_the_secretariat_imports_offers_from_a_workbook(db, people):
    from tests.test_matching_service import GOOD_ROW, _workbook

    app = open_page(SECRETARIAT_PAGE, people["secretariat"])
    broken = list(GOOD_ROW)
    broken[11] = "many"
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    app.get("file_uploader")[0].set_value(("offers.xlsx", _workbook([broken]), mime))
    app.run()
    next(b for b in app.button if b.label == "Import").click().run()
    assert any("Offers!L3" in shown(e.value) for e in app.error), [e.value for e in app.error]
    app.get("file_uploader")[0].set_value(("offers.xlsx", _workbook([GOOD_ROW]), mime))
    app.run()
    next(b for b in app.button if b.label == "Import").click().run()
    assert any("1 offer(s) registered" in s.value for s in app.success), [e.value for e in app.error]
