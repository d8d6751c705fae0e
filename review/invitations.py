"""Inviting a user: the secretariat creates the account and gets a one-time activation link.

The link carries a random token; only its SHA-256 is stored, so a copy of the database does not
let anyone activate an account. A token works once, until it expires, and only for an active
account; the activation sets the user's password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from review import audit, users
from review.access import Actor, Role, require
from review.errors import ReviewError, ValidationFailed
from review.store import Store

VALID_FOR = dt.timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    user: users.User
    token: str
    expires_at: dt.datetime


class InvalidLink(ReviewError):
    """The activation link is unknown, used or expired."""


def _digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _issue(cur, actor: Actor, user_id: str, now: dt.datetime, valid_for: dt.timedelta) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    expires = now + valid_for
    cur.execute("UPDATE invitation SET used_at = ? WHERE user_id = ? AND used_at IS NULL", [now, user_id])
    cur.execute("INSERT INTO invitation VALUES (?, ?, ?, ?, ?, NULL)", [_digest(token), user_id, actor.id, now, expires])
    audit.record(cur, actor, "user.invite", "user", user_id, after={"expires_at": expires.isoformat(timespec="minutes")})
    return token, expires


def invite(
    store: Store, actor: Actor, *, email: str, name: str, role: Role | str, party: str | None = None,
    provider: str | None = None, valid_for: dt.timedelta = VALID_FOR, now: dt.datetime | None = None,
) -> Invitation:
    """Create an account without a password and an activation link for it (secretariat only)."""
    require(actor, "user.manage")
    user = users.create_user(store, actor, email=email, name=name, role=role, party=party, provider=provider)
    return reissue(store, actor, user.id, valid_for=valid_for, now=now)


def reissue(store: Store, actor: Actor, user_id: str, *, valid_for: dt.timedelta = VALID_FOR,
            now: dt.datetime | None = None) -> Invitation:
    """A new activation link for an account (earlier unused links stop working)."""
    require(actor, "user.manage")
    user = users.get_user(store, user_id)
    with store.transaction() as cur:
        token, expires = _issue(cur, actor, user.id, now or dt.datetime.now(), valid_for)
    return Invitation(user, token, expires)


def _pending(cur, token: str, now: dt.datetime) -> str:
    row = cur.execute("SELECT user_id, expires_at, used_at FROM invitation WHERE token_hash = ?", [_digest(token)]).fetchone()
    if row is None or row[2] is not None:
        raise InvalidLink("accounts.link_invalid")
    if row[1] <= now:
        raise InvalidLink("accounts.link_expired")
    return row[0]


def invited_user(store: Store, token: str, now: dt.datetime | None = None) -> users.User:
    """Whose account this link activates (refused when the link cannot be used)."""
    with store.read() as cur:
        user_id = _pending(cur, token, now or dt.datetime.now())
    user = users.get_user(store, user_id)
    if not user.active:
        raise InvalidLink("accounts.deactivated")
    return user


def activate(store: Store, token: str, password: str, now: dt.datetime | None = None) -> users.User:
    """Set the invited user's password and use the link up; the user can then log in."""
    now = now or dt.datetime.now()
    user = invited_user(store, token, now)
    problems = users.password_problems(password, user.email)
    if problems:
        raise ValidationFailed(problems)
    with store.transaction() as cur:
        _pending(cur, token, now)
        users.set_password(cur, user.id, password)
        cur.execute("UPDATE invitation SET used_at = ? WHERE token_hash = ?", [now, _digest(token)])
        audit.record(cur, user.actor, "user.activate_account", "user", user.id)
    return users.get_user(store, user.id)
