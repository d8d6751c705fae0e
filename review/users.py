"""Accounts: who a user is, their role and Party, and their password (argon2-hashed, never stored plain).

The secretariat manages accounts; every account maps onto an `Actor` that services check.
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

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.party, self.name)


_COLUMNS = "id, email, name, role, party, active, created_at"


def _user(row) -> User:
    return User(row[0], row[1], row[2], Role(row[3]), row[4], row[5], row[6])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    store: Store, actor: Actor, *, email: str, name: str, role: Role | str, party: str | None = None,
    password: str | None = None, password_hash: str | None = None,
) -> User:
    """Create an account (secretariat only). Party roles need a Party; the secretariat has none."""
    require(actor, "user.manage")
    role = Role(role)
    email = (email or "").strip().lower()
    problems = []
    if not EMAIL.match(email):
        problems.append(Problem("email", "users.bad_email", {"value": email}))
    if not (name or "").strip():
        problems.append(Problem("name", "values.required", {}))
    if role is Role.PUBLIC:
        problems.append(Problem("role", "users.bad_role", {"value": role.value}))
    if role in PARTY_ROLES and not party:
        problems.append(Problem("party", "users.party_needed", {}))
    if role not in PARTY_ROLES:
        party = None
    with store.read() as cur:
        if cur.execute("SELECT 1 FROM app_user WHERE email = ?", [email]).fetchone():
            problems.append(Problem("email", "users.email_taken", {"value": email}))
        if party and not cur.execute("SELECT 1 FROM party WHERE code = ?", [party]).fetchone():
            problems.append(Problem("party", "users.unknown_party", {"value": party}))
    if problems:
        raise ValidationFailed(problems)
    user_id = uuid.uuid4().hex[:12]
    digest = password_hash or (hash_password(password) if password else None)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO app_user VALUES (?, ?, ?, ?, ?, true, ?, current_timestamp)",
            [user_id, email, name.strip(), role.value, party, digest],
        )
        audit.record(cur, actor, "user.create", "user", user_id,
                     after={"email": email, "name": name.strip(), "role": role.value, "party": party})
    return get_user(store, user_id)


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


def authenticate(store: Store, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (never says which part was wrong)."""
    with store.read() as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS}, password_hash FROM app_user WHERE email = ?", [(email or "").strip().lower()]
        ).fetchone()
    if row is None or not row[5] or not password_matches(row[7], password):
        return None
    return _user(row[:7])
