"""A login that holds under attack: parallel guesses are counted, an unknown e-mail takes as long as
a known one, the identity provider's e-mail must be verified, weak passwords are refused, and a
password session is a revocable server-side token."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from review import sessions, users
from review.errors import ValidationFailed
from tests.test_accounts import GOOD, NOW, people  # noqa: F401 (fixture)


def test_thirty_parallel_wrong_guesses_are_counted_and_most_are_answered_locked(people, store):
    outcomes = []

    def guess():
        try:
            sessions.login(store, "fp@example.org", "wrong password 123", now=NOW)
        except sessions.LoginRefused as refused:
            outcomes.append(refused.key)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accounts.login_failed") == sessions.MAX_FAILURES
    assert outcomes.count("accounts.locked") == 30 - sessions.MAX_FAILURES
    with pytest.raises(sessions.LoginRefused) as locked:
        sessions.login(store, "fp@example.org", GOOD, now=NOW)
    assert locked.value.key == "accounts.locked"


def test_an_unknown_email_is_checked_against_a_password_hash_like_a_known_one(people, store, monkeypatch):
    """Timing: the refusal of an unknown e-mail verifies a (dummy) argon2 hash, as a known one does."""
    checked = []
    real = users.password_matches
    monkeypatch.setattr(users, "password_matches", lambda digest, password: checked.append(digest) or real(digest, password))
    for email in ("fp@example.org", "nobody@example.org"):
        with pytest.raises(sessions.LoginRefused) as refused:
            sessions.login(store, email, "wrong password 123", now=NOW)
        assert refused.value.key == "accounts.login_failed"
    assert len(checked) == 2 and all(digest.startswith("$argon2") for digest in checked)


def test_a_success_clears_the_pending_count(people, store):
    for _ in range(sessions.MAX_FAILURES - 1):
        with pytest.raises(sessions.LoginRefused):
            sessions.login(store, "fp@example.org", "wrong password 123", now=NOW)
    assert sessions.login(store, "fp@example.org", GOOD, now=NOW).email == "fp@example.org"
    with pytest.raises(sessions.LoginRefused) as again:
        sessions.login(store, "fp@example.org", "wrong password 123", now=NOW + dt.timedelta(seconds=1))
    assert again.value.key == "accounts.login_failed"


@pytest.mark.parametrize("verified", [False, None])
def test_an_identity_providers_unverified_email_is_refused(people, store, verified, monkeypatch):
    monkeypatch.delenv(sessions.UNVERIFIED_EMAIL_VARIABLE, raising=False)
    with pytest.raises(sessions.LoginRefused) as refused:
        sessions.login_with_identity(store, "c@example.org", verified, now=NOW)
    assert refused.value.key == "accounts.unverified_identity"


def test_the_operator_may_accept_a_provider_that_sends_no_claim_but_never_an_explicit_false(people, store, monkeypatch):
    monkeypatch.setenv(sessions.UNVERIFIED_EMAIL_VARIABLE, "true")
    assert sessions.login_with_identity(store, "c@example.org", None, now=NOW).email == "c@example.org"
    with pytest.raises(sessions.LoginRefused):
        sessions.login_with_identity(store, "c@example.org", False, now=NOW)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "qwertyuiop", "password123", "Password2026", "welcome2026"])
def test_a_password_easy_to_guess_is_refused_saying_why(people, store, password):
    with pytest.raises(ValidationFailed) as weak:
        users.create_user(store, people["secretariat"], email="w@example.org", name="W", role="observer", party="KEN",
                          password=password, must_change_password=True)
    assert [p.key for p in weak.value.problems] in (["accounts.password_weak"], ["accounts.password_too_short"])
    assert users.find_by_email(store, "w@example.org") is None


def test_a_session_token_resumes_until_logout_deactivation_or_idle(people, store):
    user = users.get_user(store, people["contributor"].id)
    token = sessions.open_session(store, user, now=NOW)
    assert len(token) >= 40
    with store.read() as cur:
        stored = [r[0] for r in cur.execute("SELECT token_hash FROM session_token").fetchall()]
    assert token not in stored and len(stored) == 1
    assert sessions.resume(store, token, now=NOW + dt.timedelta(minutes=5)).id == user.id
    assert sessions.resume(store, "forged" + token, now=NOW) is None
    assert sessions.resume(store, token, now=NOW + dt.timedelta(minutes=5) + sessions.session_timeout()
                           + dt.timedelta(seconds=1)) is None
    sessions.revoke(store, token)
    assert sessions.resume(store, token, now=NOW + dt.timedelta(minutes=6)) is None
    other = sessions.open_session(store, user, now=NOW)
    users.set_active(store, people["secretariat"], user.id, False)
    assert sessions.resume(store, other, now=NOW + dt.timedelta(minutes=1)) is None


def test_a_password_change_ends_every_open_session_of_the_account(people, store):
    """A session opened by whoever knew the old password must not outlive the change."""
    user = users.get_user(store, people["contributor"].id)
    stolen, own = sessions.open_session(store, user), sessions.open_session(store, user)
    users.change_password(store, user.actor, GOOD, GOOD + " and more")
    assert sessions.resume(store, stolen) is None and sessions.resume(store, own) is None
    assert sessions.resume(store, sessions.open_session(store, user)).id == user.id
