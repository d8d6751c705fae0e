"""The user's language (issue 13): remembered on the account (m0086), chosen on the account page,
applied at login and when a reload resumes the session; a visitor's first language follows the
browser's Accept-Language when it names one of the six."""

from __future__ import annotations

import pytest

from review import users
from review.errors import ValidationFailed
from review.i18n import messages, preferred, t
from tests.test_login import log_in, open_login

KEN = "ken.focal@demo.example.org"


@pytest.mark.parametrize("header, expected", [
    ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
    ("ar-EG,ar;q=0.9", "ar"),
    ("de-DE, ja;q=0.9, ru;q=0.2", "ru"),  # the first of the six, whatever comes before
    ("en;q=0.5, zh-Hant-TW", "zh"),  # by weight, not by place
    ("es;q=0.8, es-MX;q=0.8, fr;q=0.8", "es"),  # equal weights: the first named
    ("de-DE,de;q=0.9", None),
    ("en;q=0, es;q=nonsense", None),
    ("", None),
    (None, None),
    ("fr," * 2000, None),  # longer than any browser's header: not parsed
])
def test_the_browsers_preferred_language(header, expected):
    assert preferred(header) == expected


def test_a_user_chooses_their_language_and_it_is_audited(demo_store):
    ken = users.find_by_email(demo_store, KEN)
    assert ken.language is None
    chosen = users.set_language(demo_store, ken.actor, "ar")
    assert chosen.language == "ar" and users.get_user(demo_store, ken.id).language == "ar"
    with demo_store.read() as cur:
        logged = cur.execute("SELECT actor, entity_id, before::VARCHAR, after::VARCHAR FROM audit_log WHERE action = 'user.language'").fetchall()
    assert logged == [(ken.id, ken.id, '{"language": null}', '{"language": "ar"}')]
    assert users.set_language(demo_store, ken.actor, "ar").language == "ar"  # unchanged: nothing logged
    with demo_store.read() as cur:
        assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'user.language'").fetchone()[0] == 1


def test_a_language_not_one_of_the_six_is_refused_naming_the_field(demo_store):
    ken = users.find_by_email(demo_store, KEN)
    with pytest.raises(ValidationFailed) as refused:
        users.set_language(demo_store, ken.actor, "de")
    problem = refused.value.problems[0]
    assert (problem.location, problem.key) == ("language", "lang.unknown_language")
    assert "de" in refused.value.message("fr") and "Langue" in refused.value.message("fr")
    assert users.get_user(demo_store, ken.id).language is None


def test_the_language_is_chosen_on_the_account_page_and_applied_at_the_next_login(app):
    open_login(app)
    log_in(app, KEN)
    app.switch_page("app/pages/account.py").run()
    app.selectbox(key="account_language").set_value("fr")
    app.button(key="save_language").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["lang"] == "fr" and app.title[0].value == t("accounts.account_title", "fr")
    assert any(t("lang.account.saved", "fr", language="Français") == s.value for s in app.success)
    # a new session, in another language, logs in: the account's language comes back
    from streamlit.testing.v1 import AppTest

    fresh = AppTest.from_file(app._script_path, default_timeout=90)
    fresh.session_state["lang"] = "zh"
    open_login(fresh)
    assert fresh.sidebar.selectbox(key="lang_picker").value == "zh"
    log_in(fresh, KEN)
    assert fresh.session_state["lang"] == "fr"
    assert fresh.sidebar.selectbox(key="lang_picker").value == "fr"
    assert messages("fr")["app.language"] in [s.label for s in fresh.sidebar.selectbox]


def test_the_sidebar_picker_changes_the_session_language_only(app):
    open_login(app)
    log_in(app, KEN)
    app.selectbox(key="lang_picker").set_value("ru").run()
    assert app.session_state["lang"] == "ru"
    from review.store import open_store
    import os

    store = open_store(os.environ["REVIEW_DB"], create=False)
    try:
        assert users.find_by_email(store, KEN).language is None
    finally:
        store.close()
