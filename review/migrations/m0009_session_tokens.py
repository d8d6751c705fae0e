"""Password sessions that survive a browser reload: a random token in a cookie, only its hash here."""

ID = "0009_session_tokens"


def apply(cur) -> None:
    cur.execute(
        """CREATE TABLE session_token (
            token_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL, revoked_at TIMESTAMP)"""
    )
