"""The cycle each page opens on (issue 12, item 4): one definition in the library
(`cycles.default_cycle`), a Party's working cycle rather than the newest opened, the latest with
published answers for the public, and a chosen cycle that follows the user across pages and sits in
the address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import cycles, submissions, users
from review.access import PUBLIC
from review.demo import SECRETARIAT_EMAIL
from review.store import open_store
from tests.actors import SETUP

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
TODAY = dt.date(2029, 6, 1)


def _open_second(store, tiny, parties=("FRA", "KEN", "CHN"), opens=None):
    return cycles.create_cycle(
        store, SETUP, cycle_id="tiny-2", title="Tiny cycle two", questionnaire_id=tiny.id,
        questionnaire_version=tiny.version, chapters=["I", "II"], parties=list(parties),
        deadline=dt.date(2031, 1, 31), opens=opens,
    )


def test_a_party_keeps_the_cycle_it_is_working_on_when_a_new_one_opens(store, tiny, submitted):
    a = submitted  # KEN submitted tiny-1, FRA has a draft, CHN has not started
    _open_second(store, tiny)
    pick = lambda who, party=None: cycles.default_cycle(store, who, party, today=TODAY).id  # noqa: E731
    assert pick(a["other_focal"]) == "tiny-1", "a draft in hand comes first"
    assert pick(a["focal"]) == "tiny-2", "once sent, the next open cycle is the work"
    assert pick(a["secretariat"], "FRA") == "tiny-1", "the same rule for a Party the secretariat opens"
    assert pick(a["observer"]) == pick(a["focal"]) == "tiny-2", "every member of a Party sees the same"


def test_a_cycle_not_yet_open_does_not_take_a_party_off_what_it_sent(store, tiny, submitted):
    a = submitted
    _open_second(store, tiny, opens=dt.date(2030, 6, 1))
    assert cycles.default_cycle(store, a["focal"], today=TODAY).id == "tiny-1"
    assert cycles.default_cycle(store, a["focal"], today=dt.date(2030, 6, 1)).id == "tiny-2", "open from its first day"


def test_the_public_gets_the_latest_cycle_with_published_answers(store, tiny, submitted):
    a = submitted
    _open_second(store, tiny)
    assert cycles.default_cycle(store, PUBLIC).id == "tiny-2", "nothing published: the newest"
    assert cycles.default_cycle(store, a["secretariat"]).id == "tiny-1", "the secretariat: the latest with a submission"
    submissions.validate(store, a["secretariat"], "tiny-1", "KEN")
    submissions.publish(store, a["secretariat"], "tiny-1", "KEN")
    assert cycles.default_cycle(store, PUBLIC).id == "tiny-1"
    provider = users.create_user(store, SETUP, email="p@example.org", name="P", role=users.Role.PROVIDER,
                                 provider="UNODC").actor
    assert cycles.default_cycle(store, provider).id == "tiny-1"


def test_no_cycle_at_all_is_none(store):
    assert cycles.default_cycle(store, PUBLIC) is None


# --- the app ---------------------------------------------------------------------------------

@pytest.fixture
def store_of_db(db):
    s = open_store(db)
    yield s
    s.close()


def _app(user_id: str | None = None, **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    if user_id:
        app.session_state["user_id"] = user_id
    for key, value in params.items():
        app.query_params[key] = value
    return app


def _visit(app: AppTest, page: str) -> AppTest:
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _shown(app: AppTest, key: str) -> str:
    box = app.selectbox(key=key)
    return box.options[box.index]


def test_opening_a_new_cycle_moves_neither_a_party_nor_the_public(store_of_db, db):
    secretariat = users.find_by_email(store_of_db, SECRETARIAT_EMAIL).actor
    cycles.create_cycle(store_of_db, secretariat, cycle_id="review-2028", title="Second cycle",
                        questionnaire_id="uncc-self-assessment", questionnaire_version="1.0", chapters=["II"],
                        parties=["KEN", "VNM", "POL"], deadline=dt.date(2028, 10, 31))
    focal = users.find_by_email(store_of_db, "ken.focal@demo.example.org").id
    store_of_db.close()
    app = _app(focal)
    app.run()
    _visit(app, "app/pages/party_cycle.py")
    assert _shown(app, "cycle_cycle") == "First review cycle (synthetic demo)", "Kenya's draft, not the new cycle"
    public = _app()
    public.run()
    assert _shown(public, "overview_cycle") == "First review cycle (synthetic demo)", "published answers, not 0%"


def test_a_chosen_cycle_follows_the_user_and_sits_in_the_address(db):
    app = _app()
    app.run()
    app.selectbox(key="overview_cycle").set_value("pilot-2025").run()
    assert app.query_params["cycle"] in ("pilot-2025", ["pilot-2025"])
    for page, key in (("app/pages/dashboard_map.py", "map_cycle"), ("app/pages/dashboard_tracker.py", "tracker_cycle"),
                      ("app/pages/published_answers.py", "published_cycle")):
        _visit(app, page)
        assert _shown(app, key) == "Pilot review (synthetic demo)", page
        assert app.query_params["cycle"] in ("pilot-2025", ["pilot-2025"]), page


def test_a_shared_link_opens_its_cycle_and_a_code_is_never_shown(db):
    app = _app(cycle="pilot-2025")
    app.run()
    assert _shown(app, "overview_cycle") == "Pilot review (synthetic demo)"
    assert not any("pilot-2025" in option or "review-2026" in option for option in app.selectbox(key="overview_cycle").options)
    unknown = _app(cycle="no-such-cycle")
    unknown.run()
    assert _shown(unknown, "overview_cycle") == "First review cycle (synthetic demo)", "an unknown id falls back"


def test_the_workspace_takes_the_users_cycle_when_the_party_is_in_it(store_of_db, db):
    with store_of_db.read() as cur:
        both = cur.execute("SELECT party FROM submission GROUP BY party HAVING count(*) = 2 ORDER BY party LIMIT 1").fetchone()[0]
        main_only = cur.execute("SELECT party FROM submission GROUP BY party HAVING count(*) = 1 "
                                "AND min(cycle_id) = 'review-2026' ORDER BY party LIMIT 1").fetchone()[0]
    ids = {p: users.find_by_email(store_of_db, f"{p.lower()}.focal@demo.example.org").id for p in (both, main_only)}
    store_of_db.close()
    app = _app(ids[both], cycle="pilot-2025")
    app.run()
    _visit(app, "app/pages/party_cycle.py")
    assert _shown(app, "cycle_cycle") == "Pilot review (synthetic demo)"
    app = _app(ids[main_only], cycle="pilot-2025")
    app.run()
    _visit(app, "app/pages/party_cycle.py")
    assert _shown(app, "cycle_cycle") == "First review cycle (synthetic demo)", "a cycle the Party is not in: its own"
    assert app.query_params["cycle"] in ("review-2026", ["review-2026"])
