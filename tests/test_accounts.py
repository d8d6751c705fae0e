"""Accounts in the library: invitations, first-login passwords, roles, deactivation, throttled
login and identity-provider mapping. Every refusal is checked here, without the UI."""

from __future__ import annotations

import datetime as dt

import pytest

from review import audit, demo, invitations, sessions, settings, users
from review.access import PUBLIC, Role
from tests.actors import SETUP
from review.errors import NotFound, PermissionDenied, ValidationFailed
from review.store import open_store

NOW = dt.datetime(2030, 1, 10, 9, 0)
GOOD = "correct horse battery"


@pytest.fixture
def people(tiny_cycle, store):
    """The tiny cycle's users, each with a real password."""
    _, actors = tiny_cycle
    with store.transaction() as cur:
        for who in actors.values():
            users.set_password(cur, who.id, GOOD)
    return actors


def keys(error) -> list[str]:
    return [p.key for p in error.value.problems]


def test_the_right_password_logs_in_and_is_never_recorded(people, store):
    user = sessions.login(store, "  FP@example.org ", GOOD, now=NOW)
    assert user.id == people["focal"].id and user.role is Role.FOCAL_POINT
    with store.read() as cur:
        logged = " ".join(str(r) for r in cur.execute("SELECT * FROM audit_log").fetchall())
        stored = " ".join(str(r) for r in cur.execute("SELECT * FROM app_user").fetchall())
    assert "user.login" in logged and GOOD not in logged and GOOD not in stored


@pytest.mark.parametrize("email, password", [("fp@example.org", "wrong password"), ("nobody@example.org", GOOD)])
def test_a_wrong_password_and_an_unknown_email_get_the_same_refusal(people, store, email, password):
    with pytest.raises(sessions.LoginRefused) as refused:
        sessions.login(store, email, password, now=NOW)
    assert refused.value.key == "accounts.login_failed"
    assert "e-mail or the password is not right" in refused.value.message("en")


def test_five_failures_lock_the_email_for_fifteen_minutes_even_across_restarts(people, store, tmp_path):
    for minute in range(5):
        with pytest.raises(sessions.LoginRefused):
            sessions.login(store, "fp@example.org", "guess", now=NOW + dt.timedelta(minutes=minute))
    store.close()
    reopened = open_store(tmp_path / "review.duckdb")
    with pytest.raises(sessions.LoginRefused) as refused:
        sessions.login(reopened, "fp@example.org", GOOD, now=NOW + dt.timedelta(minutes=5))
    assert refused.value.key == "accounts.locked"
    assert "locked until 9:19\u202fAM" in refused.value.message("en")
    assert sessions.login(reopened, "c@example.org", GOOD, now=NOW + dt.timedelta(minutes=5))  # others unaffected
    assert sessions.login(reopened, "fp@example.org", GOOD, now=NOW + dt.timedelta(minutes=20)).role is Role.FOCAL_POINT
    reopened.close()


def test_a_success_clears_earlier_failures(people, store):
    for minute in range(4):
        with pytest.raises(sessions.LoginRefused):
            sessions.login(store, "fp@example.org", "guess", now=NOW + dt.timedelta(minutes=minute))
    sessions.login(store, "fp@example.org", GOOD, now=NOW + dt.timedelta(minutes=4))
    with pytest.raises(sessions.LoginRefused) as refused:
        sessions.login(store, "fp@example.org", "guess", now=NOW + dt.timedelta(minutes=5))
    assert refused.value.key == "accounts.login_failed"


def test_a_deactivated_user_cannot_log_in_until_reactivated(people, store):
    users.set_active(store, people["secretariat"], people["observer"].id, False)
    with pytest.raises(sessions.LoginRefused) as refused:
        sessions.login(store, "o@example.org", GOOD, now=NOW)
    assert refused.value.key == "accounts.deactivated"
    users.set_active(store, people["secretariat"], people["observer"].id, True)
    assert sessions.login(store, "o@example.org", GOOD, now=NOW).active
    actions = [e.action for e in audit.entries(store, SETUP, "user", people["observer"].id)]
    assert "user.deactivate" in actions and "user.activate" in actions


def test_an_invitation_link_activates_the_account_once(people, store):
    sec = people["secretariat"]
    invitation = invitations.invite(store, sec, email="new@example.org", name="New Person", role="contributor",
                                    party="FRA", now=NOW)
    assert invitation.expires_at == NOW + invitations.VALID_FOR and len(invitation.token) >= 40
    with pytest.raises(sessions.LoginRefused):
        sessions.login(store, "new@example.org", "", now=NOW)
    assert invitations.invited_user(store, invitation.token, now=NOW).email == "new@example.org"
    invitations.activate(store, invitation.token, "a fine new password", now=NOW + dt.timedelta(hours=1))
    assert sessions.login(store, "new@example.org", "a fine new password", now=NOW).party == "FRA"
    with pytest.raises(invitations.InvalidLink) as used:
        invitations.activate(store, invitation.token, "another password!", now=NOW + dt.timedelta(hours=2))
    assert used.value.key == "accounts.link_invalid"
    with store.read() as cur:
        assert not cur.execute("SELECT 1 FROM invitation WHERE token_hash = ?", [invitation.token]).fetchone()


def test_an_expired_or_replaced_link_does_not_work(people, store):
    sec = people["secretariat"]
    first = invitations.invite(store, sec, email="late@example.org", name="Late", role="observer", party="KEN",
                               valid_for=dt.timedelta(days=1), now=NOW)
    with pytest.raises(invitations.InvalidLink) as expired:
        invitations.activate(store, first.token, "a fine new password", now=NOW + dt.timedelta(days=2))
    assert expired.value.key == "accounts.link_expired"
    second = invitations.reissue(store, sec, first.user.id, now=NOW + dt.timedelta(days=2))
    with pytest.raises(invitations.InvalidLink):
        invitations.invited_user(store, first.token, now=NOW)
    assert invitations.activate(store, second.token, "a fine new password", now=NOW + dt.timedelta(days=2)).active
    with pytest.raises(invitations.InvalidLink):
        invitations.invited_user(store, "made-up-token", now=NOW)


def test_activation_refuses_a_short_password_and_a_deactivated_account(people, store):
    sec = people["secretariat"]
    invitation = invitations.invite(store, sec, email="x@example.org", name="X", role="observer", party="KEN", now=NOW)
    with pytest.raises(ValidationFailed) as short:
        invitations.activate(store, invitation.token, "short", now=NOW)
    assert keys(short) == ["accounts.password_too_short"]
    users.set_active(store, sec, invitation.user.id, False)
    with pytest.raises(invitations.InvalidLink) as inactive:
        invitations.activate(store, invitation.token, "a fine new password", now=NOW)
    assert inactive.value.key == "accounts.deactivated"


def test_a_first_login_password_must_be_changed(people, store):
    user = users.create_user(store, people["secretariat"], email="first@example.org", name="First", role="focal_point",
                             party="CHN", password="temporary pass 1", must_change_password=True)
    assert user.must_change_password
    logged = sessions.login(store, "first@example.org", "temporary pass 1", now=NOW)
    with pytest.raises(ValidationFailed) as wrong:
        users.change_password(store, logged.actor, "not it", "my own password")
    assert keys(wrong) == ["accounts.wrong_current_password"]
    with pytest.raises(ValidationFailed) as same:
        users.change_password(store, logged.actor, "temporary pass 1", "temporary pass 1")
    assert keys(same) == ["accounts.password_unchanged"]
    changed = users.change_password(store, logged.actor, "temporary pass 1", "my own password")
    assert not changed.must_change_password
    assert sessions.login(store, "first@example.org", "my own password", now=NOW).id == user.id


def test_a_role_and_party_change_is_audited_and_checked(people, store):
    sec = people["secretariat"]
    moved = users.set_role(store, sec, people["observer"].id, Role.CONTRIBUTOR, "FRA")
    assert (moved.role, moved.party) == (Role.CONTRIBUTOR, "FRA")
    entry = audit.entries(store, SETUP, "user", moved.id)[0]
    assert entry.action == "user.role" and entry.before == {"role": "observer", "party": "KEN"}
    assert users.set_role(store, sec, moved.id, Role.SECRETARIAT, "FRA").party is None
    with pytest.raises(ValidationFailed) as no_party:
        users.set_role(store, sec, moved.id, Role.FOCAL_POINT, None)
    assert keys(no_party) == ["users.party_needed"]
    with pytest.raises(ValidationFailed) as unknown:
        users.set_role(store, sec, moved.id, "king", None)
    assert keys(unknown) == ["users.bad_role"]
    with pytest.raises(ValidationFailed) as nowhere:
        users.set_role(store, sec, moved.id, Role.OBSERVER, "XXX")
    assert keys(nowhere) == ["users.unknown_party"]


def test_the_secretariat_cannot_demote_or_deactivate_itself(people, store):
    sec = people["secretariat"]
    with pytest.raises(ValidationFailed) as demote:
        users.set_role(store, sec, sec.id, Role.OBSERVER, "KEN")
    assert keys(demote) == ["accounts.not_yourself"]
    with pytest.raises(ValidationFailed):
        users.set_active(store, sec, sec.id, False)


@pytest.mark.parametrize("who", ["focal", "contributor", "observer", "public"])
def test_only_the_secretariat_manages_accounts(people, store, who):
    actor = PUBLIC if who == "public" else people[who]
    calls = [
        lambda: invitations.invite(store, actor, email="y@example.org", name="Y", role="observer", party="KEN"),
        lambda: invitations.reissue(store, actor, people["observer"].id),
        lambda: users.set_role(store, actor, people["observer"].id, Role.SECRETARIAT),
        lambda: users.set_active(store, actor, people["observer"].id, False),
        lambda: users.list_users(store, actor),
        lambda: users.create_user(store, actor, email="z@example.org", name="Z", role="secretariat"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert users.find_by_email(store, "y@example.org") is None and users.get_user(store, people["observer"].id).active


def test_a_weak_first_password_is_refused_and_nothing_is_created(people, store):
    with pytest.raises(ValidationFailed) as weak:
        users.create_user(store, people["secretariat"], email="w@example.org", name="W", role="observer", party="KEN",
                          password="w@example.org", must_change_password=True)
    assert keys(weak) == ["accounts.password_is_email"]
    assert users.find_by_email(store, "w@example.org") is None


def test_an_identity_provider_email_maps_onto_an_active_user_only(people, store):
    assert sessions.login_with_identity(store, "C@Example.org", True, now=NOW).id == people["contributor"].id
    with pytest.raises(sessions.LoginRefused) as unknown:
        sessions.login_with_identity(store, "stranger@example.org", True, now=NOW)
    assert "stranger@example.org has no account here" in unknown.value.message("en")
    users.set_active(store, people["secretariat"], people["contributor"].id, False)
    with pytest.raises(sessions.LoginRefused) as inactive:
        sessions.login_with_identity(store, "c@example.org", True, now=NOW)
    assert inactive.value.key == "accounts.deactivated"


def test_a_session_expires_after_the_configured_idle_time(monkeypatch):
    assert sessions.session_timeout() == dt.timedelta(minutes=30)
    assert not sessions.expired(1000.0, 1000.0 + 29 * 60) and sessions.expired(1000.0, 1000.0 + 31 * 60)
    monkeypatch.setenv(sessions.TIMEOUT_VARIABLE, "5")
    assert sessions.expired(1000.0, 1000.0 + 6 * 60)
    monkeypatch.setenv(sessions.TIMEOUT_VARIABLE, "nonsense")
    assert sessions.session_timeout() == dt.timedelta(minutes=30)


def test_demo_accounts_are_listed_only_in_demo_mode(demo_store):
    listed = demo.demo_accounts(demo_store)
    assert listed[0].email == demo.SECRETARIAT_EMAIL
    assert {u.role for u in listed} == {Role.SECRETARIAT, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER,
                                          Role.PROVIDER, Role.REVIEWER}
    with demo_store.transaction() as cur:
        settings.put(cur, settings.DEMO, "false")
    assert demo.demo_accounts(demo_store) == []


def test_a_missing_user_is_not_found(store):
    with pytest.raises(NotFound):
        users.set_active(store, SETUP, "nobody", False)


def test_one_focal_point_per_party(people, store):
    """Issue 12, item 7: a second focal point for a Party was accepted though the guide says one."""
    sec = people["secretariat"]
    with pytest.raises(ValidationFailed) as second:
        users.create_user(store, sec, email="second@example.org", name="Second", role="focal_point", party="KEN")
    assert keys(second) == ["ux.users.one_focal_point"] and second.value.problems[0].params["email"] == "fp@example.org"
    assert "Only one focal point per Party" in second.value.message("en")
    with pytest.raises(ValidationFailed):
        users.set_role(store, sec, people["contributor"].id, Role.FOCAL_POINT, "KEN")
    assert users.set_role(store, sec, people["focal"].id, Role.FOCAL_POINT, "KEN").role is Role.FOCAL_POINT, "itself"
    users.set_active(store, sec, people["focal"].id, False)
    replacement = users.set_role(store, sec, people["contributor"].id, Role.FOCAL_POINT, "KEN")
    assert replacement.role is Role.FOCAL_POINT, "once the first is deactivated, another may take over"
    with pytest.raises(ValidationFailed):
        users.set_active(store, sec, people["focal"].id, True)
