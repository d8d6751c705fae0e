"""The account page: each user chooses the notices they receive and their language; the library
records it and the next notice follows the choice. The app starts a sender only when mail is set."""

from __future__ import annotations

import pytest

from review import formats, notices, users
from review.store import open_store
from tests.actors import SETUP
from tests.test_matching_provider import opened

ACCOUNT = "app/pages/account.py"


def test_a_focal_point_chooses_notices_and_a_language_on_the_account_page(db):
    with open_store(db) as store:
        focal = users.find_by_email(store, "ken.focal@demo.example.org")
    app = opened(ACCOUNT, focal.id)
    assert "Notices by e-mail" in [s.value for s in app.subheader]
    assert app.checkbox(key="notice_returned").value and app.checkbox(key="notice_deadline").value
    app.checkbox(key="notice_validated").uncheck()
    app.checkbox(key="notice_published").uncheck()
    app.selectbox(key="notice_language").select("ru")
    app.button(key="save_notices").click().run()
    assert not app.exception and "Your choice of notices is saved." in [s.value for s in app.success]
    again = opened(ACCOUNT, focal.id)  # a new session reads the choice back from the database
    assert not again.checkbox(key="notice_validated").value and again.checkbox(key="notice_returned").value
    assert again.selectbox(key="notice_language").value == "ru"


def test_a_provider_is_offered_only_the_notices_of_its_role(db):
    with open_store(db) as store:
        provider = next(u for u in users.list_users(store, SETUP) if u.role.value == "provider")
    app = opened(ACCOUNT, provider.id)
    assert [c.key for c in app.checkbox] == ["notice_match_accepted"]


def test_the_app_starts_a_sender_only_when_mail_is_configured(tmp_path):
    with open_store(tmp_path / "r.duckdb") as store:
        assert notices.sender_from_env(store, {}) is None
        sender = notices.sender_from_env(store, {"REVIEW_SMTP_HOST": "127.0.0.1", "REVIEW_SMTP_FROM": "r@example.org",
                                                 "REVIEW_NOTICES_EVERY": "30"})
        assert sender.every == 30 and sender.actor.id == "system:notice sender" and not sender.is_alive()
        with pytest.raises(Exception) as refused:
            notices.sender_from_env(store, {"REVIEW_SMTP_HOST": "h", "REVIEW_SMTP_FROM": "r@x", "REVIEW_NOTICES_EVERY": "0"})
        assert "REVIEW_NOTICES_EVERY" in str(refused.value)


def test_the_secretariat_extends_a_deadline_on_the_cycles_page(db):
    import datetime as dt

    from review import audit, cycles

    with open_store(db) as store:
        secretariat = next(u for u in users.list_users(store, SETUP) if u.role.value == "secretariat")
        before = cycles.get_cycle(store, "review-2026").deadline
    app = opened("app/pages/secretariat_cycles.py", secretariat.id)
    app.selectbox(key="extend_cycle").select("review-2026")
    app.button(key="extend_button").click().run()
    assert not app.exception and any("Deadline" in e.value for e in app.error)  # no date chosen: named
    later = before + dt.timedelta(days=30)
    app.date_input(key="extend_deadline").set_value(later)
    app.button(key="extend_button").click().run()
    assert not app.exception and any(formats.date(later, "en") in s.value for s in app.success)  # as English writes it
    app.date_input(key="extend_deadline").set_value(before)
    app.button(key="extend_button").click().run()
    assert any("can only be extended" in e.value for e in app.error)
    with open_store(db) as store:
        assert cycles.get_cycle(store, "review-2026").deadline == later
        entry = next(e for e in audit.entries(store, SETUP) if e.action == "cycle.deadline")
        assert entry.actor == secretariat.id and entry.after == {"deadline": later.isoformat()}
