"""Logging in: with a password (throttled), or as the e-mail an OpenID Connect provider vouches for.

Failed attempts are kept in the database, so a restart does not reset the count: after
`MAX_FAILURES` failures within `WINDOW`, that e-mail is locked for `LOCK` (a success clears the
count). Each attempt is counted *before* its password is checked, in the same transaction as the
look at the count, so parallel guesses cannot all slip in under the limit. A refusal never says
whether the e-mail or the password was wrong, and takes as long for an unknown e-mail as for a
known one (a dummy hash is verified); the password itself is never stored, logged or audited.

A password session survives a browser reload through a session token: random, given to the
browser in a cookie, only its hash kept here; it ends at logout, when the account is deactivated,
and after `session_timeout()` idle. An identity provider's login is accepted only for a verified
e-mail, unless the operator says the provider does not send the claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import secrets
from functools import cache

from review import audit, users
from review.errors import ReviewError
from review.store import Store

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
TIMEOUT_VARIABLE = "REVIEW_SESSION_MINUTES"
DEFAULT_TIMEOUT_MINUTES = 30
# set to "true" for an identity provider that never sends `email_verified` (an explicit `false` is
# refused whatever this says)
UNVERIFIED_EMAIL_VARIABLE = "REVIEW_OIDC_ACCEPT_UNVERIFIED_EMAIL"
# how often a session's last activity is written (a write on every page rerun would be wasted)
TOUCH_EVERY = dt.timedelta(minutes=1)


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
    with store.read() as cur:
        return _locked_until(cur, email, now or dt.datetime.now())


def _locked_until(cur, email: str, now: dt.datetime) -> dt.datetime | None:
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


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the e-mail is unknown, so that it costs what a known one does."""
    return users.hash_password(secrets.token_urlsafe(16))


def login(store: Store, email: str, password: str, now: dt.datetime | None = None) -> users.User:
    """The active user with this e-mail and password; `LoginRefused` otherwise (and when locked)."""
    now = now or dt.datetime.now()
    email = _normal(email)
    with store.transaction() as cur:
        until = _locked_until(cur, email, now)
        if until is None:
            # counted as a failure now; a success below clears the count
            cur.execute("INSERT INTO login_attempt VALUES (?, ?, false)", [email, now])
    if until is not None:
        raise LoginRefused("accounts.locked", minutes=max(1, math.ceil((until - now).total_seconds() / 60)),
                           until=until.time())
    found = users.credentials(store, email)
    matches = users.password_matches(found[1] if found else _dummy_hash(), password or "")
    if found is None or not matches:
        raise LoginRefused("accounts.login_failed")
    user = found[0]
    if not user.active:
        raise LoginRefused("accounts.deactivated")
    _attempt(store, email, True, now, user)
    return user


def accepts_unverified_email() -> bool:
    """Whether the operator said the identity provider sends no `email_verified` claim."""
    return os.environ.get(UNVERIFIED_EMAIL_VARIABLE, "").strip().lower() in ("1", "true", "yes")


def login_with_identity(store: Store, email: str | None, verified: bool | None = None,
                        now: dt.datetime | None = None) -> users.User:
    """Our active user for the e-mail an identity provider vouched for; an unknown one is refused,
    and so is an e-mail the provider does not say it verified (`email_verified`), unless the
    operator set `REVIEW_OIDC_ACCEPT_UNVERIFIED_EMAIL` for a provider that never sends the claim."""
    if verified is not True and not (verified is None and accepts_unverified_email()):
        raise LoginRefused("accounts.unverified_identity", email=email or "?")
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, user: users.User, now: dt.datetime | None = None) -> str:
    """A new session token for a user who just logged in: give it to the browser (a cookie); only its
    hash is kept."""
    token = secrets.token_urlsafe(32)
    now = now or dt.datetime.now()
    with store.transaction() as cur:
        cur.execute("INSERT INTO session_token VALUES (?, ?, ?, ?, NULL)", [_digest(token), user.id, now, now])
    return token


def resume(store: Store, token: str | None, now: dt.datetime | None = None) -> users.User | None:
    """The user whose live session `token` is (after a reload, say); None when the token is unknown,
    revoked, idle longer than `session_timeout()`, or its account is gone or deactivated."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or dt.datetime.now()
    with store.read() as cur:
        row = cur.execute("SELECT user_id, last_seen FROM session_token WHERE token_hash = ? AND revoked_at IS NULL",
                          [_digest(token)]).fetchone()
    if row is None or now - row[1] > session_timeout():
        return None
    try:
        user = users.get_user(store, row[0])
    except ReviewError:
        user = None
    if user is None or not user.active:
        revoke(store, token, now)
        return None
    if now - row[1] >= TOUCH_EVERY:
        with store.transaction() as cur:
            cur.execute("UPDATE session_token SET last_seen = ? WHERE token_hash = ?", [now, _digest(token)])
    return user


def revoke(store: Store, token: str | None, now: dt.datetime | None = None) -> None:
    """End the session of `token` (logout, expiry): it can never be resumed again."""
    if not isinstance(token, str) or not token:
        return
    with store.transaction() as cur:
        cur.execute("UPDATE session_token SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                    [now or dt.datetime.now(), _digest(token)])
