"""Peer review (issue 15), the reviewers' side: the governmental experts attached to a review, and
the desk review's threads (one per review and provision: reviewers' comments and questions, the
reviewed Party's answers, in order)."""

ID = "0074_peer_reviewers"

STATEMENTS = [
    # An expert (an account with the reviewer role) named by a reviewing Party for one review. A
    # removal keeps the row (removed_at/by) so that who reviewed what stays known.
    """CREATE TABLE peer_review_expert (
        review_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, reviewing_party VARCHAR NOT NULL,
        assigned_at TIMESTAMP NOT NULL, assigned_by VARCHAR NOT NULL,
        removed_at TIMESTAMP, removed_by VARCHAR,
        PRIMARY KEY (review_id, user_id))""",
    # One thread per review and provision, opened by the first comment or question on it.
    """CREATE TABLE desk_thread (
        id VARCHAR PRIMARY KEY, review_id VARCHAR NOT NULL, provision_id VARCHAR NOT NULL,
        opened_at TIMESTAMP NOT NULL, opened_by VARCHAR NOT NULL, UNIQUE (review_id, provision_id))""",
    # The messages of a thread, numbered in order: kind is comment or question (reviewers, the
    # secretariat) or answer (the reviewed Party); side says which side of the review wrote it.
    """CREATE TABLE desk_message (
        thread_id VARCHAR NOT NULL, number INTEGER NOT NULL, kind VARCHAR NOT NULL, side VARCHAR NOT NULL,
        author VARCHAR NOT NULL, body VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (thread_id, number))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
