"""Accounts: invitations (activation links, stored hashed), a first password to be changed, and
login attempts, kept in the database so that throttling survives a restart."""

ID = "0003_accounts"

STATEMENTS = [
    "ALTER TABLE app_user ADD COLUMN must_change_password BOOLEAN DEFAULT false",
    """CREATE TABLE invitation (
        token_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, used_at TIMESTAMP)""",
    """CREATE TABLE login_attempt (
        email VARCHAR NOT NULL, attempted_at TIMESTAMP NOT NULL, succeeded BOOLEAN NOT NULL)""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
