"""Logging in and out through the app: the form, the throttle, demo accounts only in demo mode,
the activation link, session expiry, a first-login password, and identity-provider login."""

from __future__ import annotations

from tests.text_helpers import shows_login

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from review import invitations, settings, users
from review.access import PUBLIC
from tests.actors import SETUP
from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.i18n import t
from review.store import open_store

LOGIN = "app/pages/login.py"
KEN = "ken.focal@demo.example.org"


def open_login(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(LOGIN)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def log_in(app: AppTest, email: str, password: str = DEMO_PASSWORD) -> AppTest:
    app.text_input(key="login_email").input(email)
    app.text_input(key="login_password").input(password)
    app.button(key="login_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def menu(app: AppTest) -> list[str]:
    """The titles in the menu of whoever the session belongs to (after its last run)."""
    user_id = app.session_state["user_id"] if "user_id" in app.session_state else None
    who = users.get_user(_store(), user_id) if user_id else None
    if who is not None and who.must_change_password:
        return ["My account"]
    return [t(spec.title_key) for spec in navigation.menu(who.actor if who else PUBLIC)]


def sidebar_text(app: AppTest) -> str:
    return " ".join(c.value for c in app.sidebar.caption)


def test_the_demo_login_page_lists_the_demo_accounts_and_the_password(app):
    open_login(app)
    listed = app.dataframe[0].value
    assert SECRETARIAT_EMAIL in set(listed["E-mail"]) and KEN in set(listed["E-mail"])
    assert {"Secretariat", "Focal point", "Contributor", "Observer"} <= set(listed["Role"])
    assert "password 'demo'" in " ".join(c.value for c in app.caption)


def test_outside_demo_mode_no_account_is_ever_listed(db, app):
    with open_store(db) as s:
        with s.transaction() as cur:
            settings.put(cur, settings.DEMO, "false")
    open_login(app)
    assert not app.dataframe
    assert "demo" not in " ".join(c.value for c in app.caption).lower()
    assert "Demo accounts" not in [h.value for h in app.subheader]


def test_the_secretariat_logs_in_sees_its_menu_and_logs_out(app):
    open_login(app)
    assert "Inbox" not in menu(app)
    log_in(app, SECRETARIAT_EMAIL)
    assert "Logged in as Demo Secretariat Officer (Secretariat)" in sidebar_text(app)
    assert {"Inbox", "Review a submission", "Cycles", "Users", "My account"} <= set(menu(app))
    assert "Log in" not in menu(app)
    assert "You are logged in as Demo Secretariat Officer." in app.success[0].value
    app.sidebar.button(key="logout").click().run()
    assert "user_id" not in app.session_state
    assert "Log in" in menu(app) and "Inbox" not in menu(app)


def test_a_focal_point_logs_in_without_the_secretariat_menu(app):
    log_in(open_login(app), KEN)
    assert "Logged in as Focal point, Kenya (Focal point, KEN)" in sidebar_text(app)
    assert "Inbox" not in menu(app) and "Users" not in menu(app) and "My account" in menu(app)


def test_a_wrong_password_is_refused_without_saying_which_part(app):
    log_in(open_login(app), KEN, "not the password")
    assert "The e-mail or the password is not right" in app.error[0].value
    assert "user_id" not in app.session_state
    assert "not the password" not in " ".join(e.value for e in app.error)


def test_repeated_failures_lock_the_email_with_a_clear_message(app):
    open_login(app)
    for _ in range(5):
        log_in(app, KEN, "guess")
    log_in(app, KEN, DEMO_PASSWORD)
    assert "Too many failed attempts" in app.error[0].value and "locked until" in app.error[0].value
    assert "user_id" not in app.session_state


def test_a_deactivated_user_cannot_log_in_and_an_open_session_ends(db, app):
    log_in(open_login(app), KEN)
    ken = users.find_by_email(_store(), KEN)
    users.set_active(_store(), SETUP, ken.id, False)
    app.run()
    assert "user_id" not in app.session_state
    assert "no longer active" in app.warning[0].value
    log_in(app, KEN)
    assert "This account is deactivated" in app.error[0].value


def _store():
    from app.context import store

    return store()


def test_an_idle_session_expires_and_says_so(app):
    log_in(open_login(app), SECRETARIAT_EMAIL)
    app.session_state["last_seen"] = time.time() - 31 * 60
    app.run()
    assert "user_id" not in app.session_state
    assert "Inbox" not in menu(app)
    assert "ended after a period of inactivity" in app.warning[0].value


def test_an_active_session_does_not_expire(app):
    log_in(open_login(app), SECRETARIAT_EMAIL)
    app.session_state["last_seen"] = time.time() - 29 * 60
    app.run()
    assert "Inbox" in menu(app)


def test_the_activation_link_sets_a_password_without_login(app):
    app.run()
    invitation = invitations.invite(_store(), SETUP, email="newcomer@example.org", name="New Comer",
                                    role="observer", party="KEN")
    app.query_params["token"] = invitation.token
    app.switch_page("app/pages/activate.py")
    app.run()
    assert "Choose a password for **New Comer**" in app.markdown[0].value
    app.text_input(key="activate_password").input("my new password")
    app.text_input(key="activate_repeat").input("my new password")
    app.button(key="activate_submit").click().run()
    assert "The account newcomer@example.org is active" in app.success[0].value
    app.switch_page(LOGIN)
    app.run()
    log_in(app, "newcomer@example.org", "my new password")
    assert "Logged in as New Comer (Observer, KEN)" in sidebar_text(app)


def test_an_activation_link_that_differs_or_expired_is_refused(app):
    app.run()
    invitation = invitations.invite(_store(), SETUP, email="late@example.org", name="Late", role="observer",
                                    party="KEN")
    with _store().transaction() as cur:
        cur.execute("UPDATE invitation SET expires_at = TIMESTAMP '2000-01-01'")
    app.query_params["token"] = invitation.token
    app.switch_page("app/pages/activate.py")
    app.run()
    assert "This activation link has expired" in app.error[0].value
    assert not app.text_input
    app.query_params["token"] = "forged"
    app.run()
    assert "This activation link is not valid" in app.error[0].value


def test_a_mismatched_repeat_changes_nothing(app):
    app.run()
    invitation = invitations.invite(_store(), SETUP, email="typo@example.org", name="Typo", role="observer",
                                    party="KEN")
    app.query_params["token"] = invitation.token
    app.switch_page("app/pages/activate.py")
    app.run()
    app.text_input(key="activate_password").input("my new password")
    app.text_input(key="activate_repeat").input("my new pasword")
    app.button(key="activate_submit").click().run()
    assert "not the same" in app.error[0].value
    assert invitations.invited_user(_store(), invitation.token).email == "typo@example.org"


def test_a_first_login_password_must_be_changed_before_anything_else(app):
    app.run()
    users.create_user(_store(), SETUP, email="first@example.org", name="First", role="contributor", party="KEN",
                      password="temporary pass", must_change_password=True)
    app.switch_page(LOGIN)
    app.run()
    log_in(app, "first@example.org", "temporary pass")
    assert menu(app) == ["My account"]
    assert "choose your own" in app.warning[0].value
    app.text_input(key="current_password").input("temporary pass")
    app.text_input(key="new_password").input("my own password")
    app.text_input(key="repeat_password").input("my own password")
    app.button(key="change_password").click().run()
    assert not app.exception
    assert "Your password was changed." in app.success[0].value
    assert "Overview" in menu(app) and "My account" in menu(app)


def test_the_account_page_refuses_the_public(app):
    app.run()
    app.switch_page("app/pages/account.py")
    app.run()
    assert shows_login(app) and not app.error


def test_an_identity_provider_offers_its_button_and_maps_the_email(app):
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "google": {"client_id": "id", "client_secret": "s",
                                      "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}}
    open_login(app)
    assert app.button(key="login_oidc_google").label == "Log in with Google"
    app.user = {"is_logged_in": True, "email": KEN, "email_verified": True}
    app.run()
    assert "Logged in as Focal point, Kenya" in sidebar_text(app)


def test_an_unknown_identity_is_refused_clearly(app):
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "id", "client_secret": "s",
                           "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
    app.user = {"is_logged_in": True, "email": "stranger@example.org", "email_verified": True}
    open_login(app)
    assert "user_id" not in app.session_state
    assert "stranger@example.org has no account here" in app.warning[0].value
    assert app.button(key="login_oidc_default").label == "Log in with single sign-on"
    app.button(key="logout_oidc").click().run()
    assert not app.exception and not app.user.get("is_logged_in")
    assert "user_id" not in app.session_state


@pytest.mark.parametrize("email", [SECRETARIAT_EMAIL, KEN, "ken.contributor@demo.example.org",
                                   "ken.observer@demo.example.org"])
def test_every_role_has_its_account_page_and_no_second_login(app, email):
    log_in(open_login(app), email)
    assert "login_email" not in [w.key for w in app.text_input]
    app.switch_page("app/pages/account.py")
    app.run()
    assert email in app.markdown[0].value and not app.error
    app.query_params["token"] = "not-a-link"
    app.switch_page("app/pages/activate.py")
    app.run()
    assert "This activation link is not valid" in app.error[0].value
    assert app.session_state["user_id"] == users.find_by_email(_store(), email).id


def test_a_session_ended_elsewhere_ends_in_every_open_window(app):
    """Logging out in another window, or a password change, revokes the session's token: an open
    window of the same session is logged out at its next click, saying why."""
    from review import sessions

    log_in(open_login(app), KEN)
    sessions.revoke(_store(), app.session_state["session_token"])
    app.run()
    assert "user_id" not in app.session_state
    assert "you logged out in another window, or the password was changed" in app.warning[0].value


def test_a_busy_session_keeps_its_token_alive_for_a_reload(app):
    """Each click records the activity on the server (at most once a minute), so a reload after a
    long, busy session still resumes it; before, the token's clock stopped at login."""
    from review import sessions

    log_in(open_login(app), KEN)
    token = app.session_state["session_token"]
    with _store().transaction() as cur:  # as if logged in 25 minutes ago, busy since
        cur.execute("UPDATE session_token SET last_seen = last_seen - INTERVAL 25 MINUTE")
    app.run()
    later = dt.datetime.now() + dt.timedelta(minutes=20)  # 45 minutes after login, 20 after the last click
    assert sessions.resume(_store(), token, now=later).email == KEN
