"""Accounts: who a user is, their role and Party, and their password (argon2-hashed, never stored plain).

The secretariat manages accounts (creates, changes role and Party or provider organization,
deactivates); every account maps onto an `Actor` that services check. Passwords never reach the audit log, a log line or a page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from review import audit
from review.access import PARTY_ROLES, Actor, Role, require
from review.errors import NotFound, Problem, ValidationFailed
from review.store import Store

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: Role
    party: str | None
    active: bool
    created_at: dt.datetime
    must_change_password: bool = False
    # the organization a provider user acts for (None for every other role)
    provider: str | None = None
    # a reviewer's assigned reviews, (cycle id, reviewed Party), read from peer_review_expert with
    # the account on every run, so an assignment or a removal applies at the next click
    reviews: frozenset[tuple[str, str]] = frozenset()
    # the interface language the user chose (review.i18n.LANGUAGES), applied at login; None: not chosen
    language: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.party, self.name, self.provider, self.reviews)


# a reviewer's live assignments, with the account (peer review: review/peer/reviews.py)
_REVIEWS = ("(SELECT list([r.cycle_id, r.party]) FROM peer_review_expert e JOIN peer_review r ON r.id = e.review_id "
            "WHERE e.user_id = app_user.id AND e.removed_at IS NULL AND app_user.role = 'reviewer')")
_COLUMNS = (f"id, email, name, role, party, active, created_at, coalesce(must_change_password, false), provider, {_REVIEWS}, "
            "language")
_WIDTH = 11
# roles whose account names a Party: its own (a Party's users) or the one it reviews for (a reviewer)
NAMES_PARTY = PARTY_ROLES | {Role.REVIEWER}
MIN_PASSWORD = 10
MIN_STRENGTH = 3
MAX_PROVIDER = 200


def _user(row) -> User:
    reviews = frozenset((cycle, party) for cycle, party in row[9] or ())
    return User(row[0], row[1], row[2], Role(row[3]), row[4], row[5], row[6], row[7], row[8], reviews, row[10])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, email: str = "") -> list[Problem]:
    """What is wrong with a new password (never echoing it back): too short, the e-mail itself, or
    too easy to guess (zxcvbn, which knows repeats, sequences, keyboard patterns, common words and
    passwords, and the user's own e-mail, scores it below `MIN_STRENGTH` on its 0-4 scale)."""
    problems = []
    if len(password or "") < MIN_PASSWORD:
        problems.append(Problem("password", "accounts.password_too_short", {"min": MIN_PASSWORD}))
    elif email and password.strip().lower() == email.strip().lower():
        problems.append(Problem("password", "accounts.password_is_email", {}))
    elif _strength(password, email) < MIN_STRENGTH:
        problems.append(Problem("password", "accounts.password_weak", {}))
    return problems


def _strength(password: str, email: str) -> int:
    from zxcvbn import zxcvbn

    hints = [part for part in re.split(r"[@.+_-]", email or "") if part]
    return zxcvbn(password[:100], user_inputs=hints)["score"]


def _role_problems(cur, role: Role | str, party: str | None, provider: str | None = None,
                   account: str | None = None, known: "_Known | None" = None,
                   ) -> tuple[Role | None, str | None, str | None, list[Problem]]:
    """The role, Party and provider organization an account (`account`, None for a new one) may hold
    together, and what is wrong (what it reads, from `known` when given, else from `cur`)."""
    try:
        role = Role(role)
    except ValueError:
        return None, None, None, [Problem("role", "users.bad_role", {"value": str(role)})]
    problems = []
    provider = (provider or "").strip() or None
    if role is Role.PROVIDER and not provider:
        problems.append(Problem("provider", "users.provider_needed", {}))
    if provider and len(provider) > MAX_PROVIDER:
        problems.append(Problem("provider", "values.too_long", {"length": len(provider), "limit": MAX_PROVIDER}))
    if role is not Role.PROVIDER:
        provider = None
    if role is Role.PUBLIC:
        problems.append(Problem("role", "users.bad_role", {"value": role.value}))
    if role in NAMES_PARTY and not party:
        problems.append(Problem("party", "users.party_needed", {}))
    if role not in NAMES_PARTY:
        party = None
    if party and not (party in known.parties if known else cur.execute("SELECT 1 FROM party WHERE code = ?", [party]).fetchone()):
        problems.append(Problem("party", "users.unknown_party", {"value": party}))
    elif role is Role.FOCAL_POINT and party:
        problems += known.focal_point_taken(party) if known else _focal_point_taken(cur, party, account)
    return role, party, provider, problems


def _focal_point_taken(cur, party: str, account: str | None) -> list[Problem]:
    """One focal point per Party (it alone submits and signs off): another active focal point of
    `party` than `account` is a problem naming it."""
    other = cur.execute(
        "SELECT name, email FROM app_user WHERE role = 'focal_point' AND party = ? AND active AND id IS DISTINCT FROM ? "
        "ORDER BY created_at LIMIT 1", [party, account]).fetchone()
    return [Problem("role", "ux.users.one_focal_point", {"name": other[0], "email": other[1]})] if other else []


class _Known:
    """What the checks of new accounts read, read once for many (`create_users`), kept up to date
    with the accounts checked so far, so the batch is checked as if created one after another."""

    def __init__(self, cur, parties: list[str], emails: list[str]) -> None:
        self.parties = {r[0] for r in cur.execute("SELECT code FROM party WHERE list_contains(?::VARCHAR[], code)",
                                                  [parties]).fetchall()}
        self.focal: dict[str, tuple[str, str]] = {}
        for party, name, email in cur.execute(
                "SELECT party, name, email FROM app_user WHERE role = 'focal_point' AND active "
                "AND list_contains(?::VARCHAR[], party) ORDER BY created_at", [parties]).fetchall():
            self.focal.setdefault(party, (name, email))
        self.emails = {r[0] for r in cur.execute("SELECT email FROM app_user WHERE list_contains(?::VARCHAR[], email)",
                                                 [emails]).fetchall()}

    def focal_point_taken(self, party: str) -> list[Problem]:
        other = self.focal.get(party)
        return [Problem("role", "ux.users.one_focal_point", {"name": other[0], "email": other[1]})] if other else []


@dataclass(frozen=True)
class NewAccount:
    """One account for `create_users` (the arguments of `create_user`)."""

    email: str
    name: str
    role: Role | str
    party: str | None = None
    password: str | None = None
    password_hash: str | None = None
    must_change_password: bool = False
    provider: str | None = None


def create_user(
    store: Store, actor: Actor, *, email: str, name: str, role: Role | str, party: str | None = None,
    password: str | None = None, password_hash: str | None = None, must_change_password: bool = False,
    provider: str | None = None,
) -> User:
    """Create an account (secretariat only). Party roles need a Party, a reviewer the Party it
    reviews for, a provider user its organization (`provider`, as its offers name it); the
    secretariat has neither.

    With `must_change_password`, `password` is a first-login password the user must replace.
    """
    return create_users(store, actor, [NewAccount(email, name, role, party, password, password_hash, must_change_password,
                                                  provider)])[0]


def create_users(store: Store, actor: Actor, accounts: list[NewAccount]) -> list[User]:
    """`create_user` for several accounts in one transaction and a few statements (a bulk load such
    as the demo's), each checked as if created after the ones before it; any refusal refuses all."""
    require(actor, "user.manage")
    if not accounts:
        return []
    rows, entries = [], []
    with store.read() as cur:
        known = _Known(cur, sorted({a.party for a in accounts if a.party}),
                       sorted({(a.email or "").strip().lower() for a in accounts}))
        for account in accounts:
            email = (account.email or "").strip().lower()
            problems = []
            if not EMAIL.match(email):
                problems.append(Problem("email", "users.bad_email", {"value": email}))
            if not (account.name or "").strip():
                problems.append(Problem("name", "values.required", {}))
            if account.password is not None:
                problems += password_problems(account.password, email)
            role, party, provider, found = _role_problems(cur, account.role, account.party, account.provider, known=known)
            problems += found
            if email in known.emails:
                problems.append(Problem("email", "users.email_taken", {"value": email}))
            if problems:
                raise ValidationFailed(problems)
            name = account.name.strip()
            known.emails.add(email)
            if role is Role.FOCAL_POINT and party:
                known.focal.setdefault(party, (name, email))
            user_id = uuid.uuid4().hex[:12]
            digest = account.password_hash or (hash_password(account.password) if account.password else None)
            rows.append([user_id, email, name, role.value, party, digest, account.must_change_password, provider])
            entries.append(("user.create", "user", user_id,
                            None, {"email": email, "name": name, "role": role.value, "party": party,
                                   **({"provider": provider} if provider else {}),
                                   "first_password": bool(account.password) and account.must_change_password}))
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO app_user (id, email, name, role, party, active, password_hash, created_at, must_change_password, "
            "provider) VALUES " + ", ".join(["(?, ?, ?, ?, ?, true, ?, current_timestamp, ?, ?)"] * len(rows)),
            [value for row in rows for value in row],
        )
        audit.record_all(cur, actor, entries)
    with store.read() as cur:
        found = {row[0]: _user(row) for row in cur.execute(
            f"SELECT {_COLUMNS} FROM app_user WHERE list_contains(?::VARCHAR[], id)", [[row[0] for row in rows]]).fetchall()}
    return [found[row[0]] for row in rows]


def set_role(store: Store, actor: Actor, user_id: str, role: Role | str, party: str | None = None,
             provider: str | None = None) -> User:
    """Give an account another role and Party or provider organization (secretariat only; not
    one's own, to keep a way back)."""
    require(actor, "user.manage")
    before = get_user(store, user_id)
    with store.read() as cur:
        role, party, provider, problems = _role_problems(cur, role, party, provider, account=user_id)
    if not problems and before.id == actor.id and role is not before.role:
        problems.append(Problem("role", "accounts.not_yourself", {}))
    if problems:
        raise ValidationFailed(problems)
    if (role, party, provider) == (before.role, before.party, before.provider):
        return before
    with store.transaction() as cur:
        cur.execute("UPDATE app_user SET role = ?, party = ?, provider = ? WHERE id = ?",
                    [role.value, party, provider, user_id])
        was, now = {"role": before.role.value, "party": before.party}, {"role": role.value, "party": party}
        if before.provider or provider:
            was["provider"], now["provider"] = before.provider, provider
        audit.record(cur, actor, "user.role", "user", user_id, before=was, after=now)
    return get_user(store, user_id)


def set_active(store: Store, actor: Actor, user_id: str, active: bool) -> User:
    """Deactivate (the user can no longer log in, and an open session ends) or reactivate an account."""
    require(actor, "user.manage")
    before = get_user(store, user_id)
    if before.id == actor.id and not active:
        raise ValidationFailed([Problem("active", "accounts.not_yourself", {})])
    if before.active == active:
        return before
    if active and before.role is Role.FOCAL_POINT and before.party:
        with store.read() as cur:
            taken = _focal_point_taken(cur, before.party, before.id)
        if taken:
            raise ValidationFailed(taken)
    with store.transaction() as cur:
        cur.execute("UPDATE app_user SET active = ? WHERE id = ?", [active, user_id])
        if not active:  # every session of the account ends with it
            cur.execute("UPDATE session_token SET revoked_at = current_timestamp WHERE user_id = ? AND revoked_at IS NULL",
                        [user_id])
        audit.record(cur, actor, "user.activate" if active else "user.deactivate", "user", user_id,
                     before={"active": before.active}, after={"active": active})
    return get_user(store, user_id)


def set_password(cur, user_id: str, password: str) -> None:
    """Store a new password (hashed) in the caller's transaction; it no longer has to be changed.
    Every open session of the account ends with the old password (one opened by someone who knew
    it must not outlive the change); the app opens a new one for the user who changed it."""
    cur.execute("UPDATE app_user SET password_hash = ?, must_change_password = false WHERE id = ?",
                [hash_password(password), user_id])
    cur.execute("UPDATE session_token SET revoked_at = current_timestamp WHERE user_id = ? AND revoked_at IS NULL",
                [user_id])


def change_password(store: Store, actor: Actor, current: str, new: str) -> User:
    """The logged-in user replaces their password, proving they know the current one."""
    user = get_user(store, actor.id)
    with store.read() as cur:
        digest = cur.execute("SELECT password_hash FROM app_user WHERE id = ?", [user.id]).fetchone()[0]
    if not user.active or not password_matches(digest, current):
        raise ValidationFailed([Problem("current_password", "accounts.wrong_current_password", {})])
    problems = password_problems(new, user.email)
    if new == current:
        problems.append(Problem("password", "accounts.password_unchanged", {}))
    if problems:
        raise ValidationFailed(problems)
    with store.transaction() as cur:
        set_password(cur, user.id, new)
        audit.record(cur, actor, "user.password_change", "user", user.id)
    return get_user(store, user.id)


def set_language(store: Store, actor: Actor, language: str) -> User:
    """The logged-in user chooses the language of their interface (their own account only; anyone
    with an account may). A language that is not one of the six is refused, naming the field."""
    from review.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise ValidationFailed([Problem("language", "lang.unknown_language",
                                        {"value": language, "allowed": ", ".join(LANGUAGES)})])
    user = get_user(store, actor.id)
    if not user.active:
        raise NotFound("errors.user_not_found", user=actor.id)
    if user.language == language:
        return user
    with store.transaction() as cur:
        cur.execute("UPDATE app_user SET language = ? WHERE id = ?", [language, user.id])
        audit.record(cur, actor, "user.language", "user", user.id, {"language": user.language}, {"language": language})
    return get_user(store, user.id)


def get_user(store: Store, user_id: str) -> User:
    with store.read() as cur:
        row = cur.execute(f"SELECT {_COLUMNS} FROM app_user WHERE id = ?", [user_id]).fetchone()
    if row is None:
        raise NotFound("errors.user_not_found", user=user_id)
    return _user(row)


def find_by_email(store: Store, email: str) -> User | None:
    with store.read() as cur:
        row = cur.execute(f"SELECT {_COLUMNS} FROM app_user WHERE email = ?", [(email or "").strip().lower()]).fetchone()
    return _user(row) if row else None


def list_users(store: Store, actor: Actor) -> list[User]:
    require(actor, "user.manage")
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_COLUMNS} FROM app_user ORDER BY role, party NULLS FIRST, email").fetchall()
    return [_user(r) for r in rows]


def credentials(store: Store, email: str) -> tuple[User, str | None] | None:
    """The account with this e-mail and its password hash, for the login check only."""
    with store.read() as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS}, password_hash FROM app_user WHERE email = ?", [(email or "").strip().lower()]
        ).fetchone()
    return None if row is None else (_user(row[:_WIDTH]), row[_WIDTH])
