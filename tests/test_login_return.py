"""A page that needs a login, opened by someone not logged in (logged out, or a link opened in a new
browser), shows the login, and after it the user is back on that page and section (issue 12, item 5).
Before, it showed a red "You are not allowed to open this page." with no way forward."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from review.demo import DEMO_PASSWORD
from tests.test_party_workspace import APP, choose_section, open_page
from tests.text_helpers import shows_login

FOCAL = "ken.focal@demo.example.org"
QUESTIONNAIRE = "app/pages/party_questionnaire.py"


def log_in(app: AppTest, email: str = FOCAL) -> AppTest:
    app.text_input(key="login_email").input(email)
    app.text_input(key="login_password").input(DEMO_PASSWORD)
    app.button(key="login_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_link_opened_logged_out_asks_for_the_login_then_opens_the_page(db):
    app = AppTest.from_file(APP, default_timeout=90)
    app.run()
    app.switch_page("app/pages/party_history.py")
    app.query_params["party"] = "KEN"
    app.run()
    assert shows_login(app) and not app.error
    assert app.title[0].value == "History", "the login is shown in the page's place"
    log_in(app)
    assert app.title[0].value == "History", [t.value for t in app.title]
    assert "login_email" not in [w.key for w in app.text_input]
    assert app.query_params.get("party") in ("KEN", ["KEN"]), "the address is kept"
    assert not app.error


def test_logging_out_shows_the_login_and_logging_in_again_returns_to_the_section(db):
    from review import users
    from review.store import open_store

    with open_store(db) as s:
        focal = users.find_by_email(s, FOCAL).actor
    app = choose_section(open_page(QUESTIONNAIRE, focal), 8)
    app.button(key="logout").click().run()
    assert shows_login(app) and not app.error, "logged out: the login, not a refusal"
    log_in(app)
    assert app.title[0].value == "Questionnaire" and "login_email" not in [w.key for w in app.text_input]
    assert app.header[0].value.startswith("Article 8:"), "back on the section they were on"
