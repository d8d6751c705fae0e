"""Peer review (issue 15): the drawing of lots, the reviews it creates, their reviewing Parties and
the dated stages of each review. Shared by the lots, the reviewers' workspace and the reports; each
of those adds its own tables in a later migration rather than editing this one."""

ID = "0072_peer_review"

STATEMENTS = [
    # One row per draw or redraw: the seed and the COP's rule set it ran with, so it can be replayed.
    """CREATE TABLE review_draw (
        id VARCHAR PRIMARY KEY, cycle_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        seed BIGINT NOT NULL, rules JSON NOT NULL, party VARCHAR,
        drawn_at TIMESTAMP NOT NULL, drawn_by VARCHAR NOT NULL)""",
    # One review per Party under review in a cycle; `stage` is the latest stage reached.
    """CREATE TABLE peer_review (
        id VARCHAR PRIMARY KEY, cycle_id VARCHAR NOT NULL, party VARCHAR NOT NULL,
        draw_id VARCHAR NOT NULL, redraws INTEGER NOT NULL DEFAULT 0, stage VARCHAR NOT NULL,
        full_report_public BOOLEAN, created_at TIMESTAMP NOT NULL, UNIQUE (cycle_id, party))""",
    # The two reviewing Parties of a review; `same_region` marks the one from the reviewed Party's group.
    """CREATE TABLE peer_review_reviewer (
        review_id VARCHAR NOT NULL, reviewing_party VARCHAR NOT NULL, same_region BOOLEAN NOT NULL,
        PRIMARY KEY (review_id, reviewing_party))""",
    # The calendar: each stage's planned date, and when and by whom it was completed.
    """CREATE TABLE peer_review_stage (
        review_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, planned DATE, done_at TIMESTAMP,
        done_by VARCHAR, PRIMARY KEY (review_id, stage))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
