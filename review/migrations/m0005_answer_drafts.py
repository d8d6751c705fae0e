"""Unsaved answers kept per user on the server, so a draft survives leaving the page or the browser."""

ID = "0005_answer_drafts"


def apply(cur) -> None:
    cur.execute(
        """CREATE TABLE answer_draft (
            user_id VARCHAR NOT NULL, submission_id VARCHAR NOT NULL, provision_id VARCHAR NOT NULL,
            question_id VARCHAR NOT NULL, value JSON, base_value JSON, base_seq INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (user_id, submission_id, provision_id, question_id))"""
    )
