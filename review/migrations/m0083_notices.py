"""Reminders and notices (issue 17): an outbox written in the same transaction as the event it tells
of, every delivery attempt, and what each user chose to receive and in which language."""

ID = "0083_notices"

STATEMENTS = [
    "CREATE SEQUENCE notice_id START 1",
    # One message to one recipient, rendered in their language when queued. `dedup_key` names a
    # reminder once (a deadline threshold for a user), so running the reminders twice queues nothing
    # new; events (a return, a validation) have none. Sent when `sent_at` is set; given up when
    # `failed_at` is (the server refused the address for good).
    """CREATE TABLE notice_outbox (
        id BIGINT PRIMARY KEY DEFAULT nextval('notice_id'), kind VARCHAR NOT NULL, dedup_key VARCHAR,
        user_id VARCHAR NOT NULL, email VARCHAR NOT NULL, language VARCHAR NOT NULL,
        subject VARCHAR NOT NULL, body VARCHAR NOT NULL, about VARCHAR,
        queued_at TIMESTAMP NOT NULL, queued_by VARCHAR NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TIMESTAMP NOT NULL, last_error VARCHAR,
        sent_at TIMESTAMP, message_id VARCHAR, failed_at TIMESTAMP)""",
    # Every attempt to deliver one message: sent, retry (server down or busy) or failed (refused).
    """CREATE TABLE notice_attempt (
        notice_id BIGINT NOT NULL, attempted_at TIMESTAMP NOT NULL, outcome VARCHAR NOT NULL,
        detail VARCHAR)""",
    # A user's choice: the language of their notices and the kinds they do not want.
    """CREATE TABLE notice_preference (
        user_id VARCHAR PRIMARY KEY, language VARCHAR NOT NULL, muted VARCHAR[] NOT NULL,
        updated_at TIMESTAMP NOT NULL)""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
