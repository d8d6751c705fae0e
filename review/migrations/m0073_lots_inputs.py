"""The drawing of lots (issue 15): each draw keeps everything it depended on (who was under review,
who could review, the regional groups, what was already drawn) and what it drew, so that anyone can
replay it from its seed and see the same result."""

ID = "0073_lots_inputs"

STATEMENTS = [
    "ALTER TABLE review_draw ADD COLUMN inputs JSON",
    "ALTER TABLE review_draw ADD COLUMN result JSON",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
