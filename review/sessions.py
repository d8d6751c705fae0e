"""Logging in: with a password (throttled), or as the e-mail an OpenID Connect provider vouches for.

Failed attempts are kept in the database, so a restart does not reset the count: after
`MAX_FAILURES` failures within `WINDOW`, that e-mail is locked for `LOCK` (a success clears the
count). A refusal never says whether the e-mail or the password was wrong; the password itself is
never stored, logged or audited. How long a session may stay idle is `session_timeout()`.
"""

from __future__ import annotations

import datetime as dt
import math
import os

from review import audit, users
from review.errors import ReviewError
from review.store import Store

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
TIMEOUT_VARIABLE = "REVIEW_SESSION_MINUTES"
DEFAULT_TIMEOUT_MINUTES = 30


class LoginRefused(ReviewError):
    """The login did not succeed; the message says what the user can do about it."""


def session_timeout() -> dt.timedelta:
    """Idle time after which a session ends: $REVIEW_SESSION_MINUTES, 30 minutes by default."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "")
    minutes = float(raw) if raw.replace(".", "", 1).isdigit() and float(raw) > 0 else DEFAULT_TIMEOUT_MINUTES
    return dt.timedelta(minutes=minutes)


def _normal(email: str) -> str:
    return (email or "").strip().lower()


def locked_until(store: Store, email: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on this e-mail ends, or None when it is not locked."""
    now = now or dt.datetime.now()
    with store.read() as cur:
        rows = cur.execute(
            "SELECT attempted_at FROM login_attempt WHERE email = ? AND NOT succeeded AND attempted_at > ? "
            "AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempt WHERE email = ? AND succeeded), "
            "TIMESTAMP '1970-01-01') ORDER BY attempted_at DESC LIMIT ?",
            [_normal(email), now - WINDOW, _normal(email), MAX_FAILURES],
        ).fetchall()
    if len(rows) < MAX_FAILURES:
        return None
    until = rows[0][0] + LOCK
    return until if until > now else None


def _attempt(store: Store, email: str, succeeded: bool, now: dt.datetime, user: users.User | None = None, how: str = "password") -> None:
    with store.transaction() as cur:
        cur.execute("INSERT INTO login_attempt VALUES (?, ?, ?)", [email, now, succeeded])
        if succeeded and user is not None:
            audit.record(cur, user.actor, "user.login", "user", user.id, after={"method": how})


def login(store: Store, email: str, password: str, now: dt.datetime | None = None) -> users.User:
    """The active user with this e-mail and password; `LoginRefused` otherwise (and when locked)."""
    now = now or dt.datetime.now()
    email = _normal(email)
    until = locked_until(store, email, now)
    if until is not None:
        raise LoginRefused("accounts.locked", minutes=max(1, math.ceil((until - now).total_seconds() / 60)),
                           until=until.strftime("%H:%M"))
    found = users.credentials(store, email)
    if found is None or not users.password_matches(found[1], password or ""):
        _attempt(store, email, False, now)
        raise LoginRefused("accounts.login_failed")
    user = found[0]
    if not user.active:
        _attempt(store, email, False, now)
        raise LoginRefused("accounts.deactivated")
    _attempt(store, email, True, now, user)
    return user


def login_with_identity(store: Store, email: str | None, now: dt.datetime | None = None) -> users.User:
    """Our active user for the e-mail an identity provider vouched for; an unknown one is refused."""
    user = users.find_by_email(store, email or "")
    if user is None:
        raise LoginRefused("accounts.unknown_identity", email=email or "?")
    if not user.active:
        raise LoginRefused("accounts.deactivated")
    _attempt(store, user.email, True, now or dt.datetime.now(), user, "oidc")
    return user


def expired(last_seen: float | None, now: float, timeout: dt.timedelta | None = None) -> bool:
    """Whether a session last active at `last_seen` (seconds) has been idle too long at `now`."""
    if last_seen is None:
        return False
    return now - last_seen > (timeout or session_timeout()).total_seconds()
