"""The drawing of lots (issue 15): each draw keeps everything it depended on (who was under review,
who could review, the regional groups, what was already drawn) and what it drew, so that anyone can
replay it from its seed and see the same result. A table of its own beside review_draw (m0072), so
that rows written to review_draw with its own columns stay valid."""

ID = "0073_lots_inputs"

STATEMENTS = [
    """CREATE TABLE review_draw_detail (
        draw_id VARCHAR PRIMARY KEY, inputs JSON NOT NULL, result JSON NOT NULL)""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
