"""Follow-up of recommendations (issue 15): in a later cycle the reviewed Party says, for each
recommendation of its earlier country review report, where it stands (status) and why (evidence).
One row per recommendation and cycle of follow-up; `seq` counts its changes (a stale save is refused)."""

ID = "0077_recommendation_followup"

STATEMENTS = [
    """CREATE TABLE recommendation_followup (
        item_id VARCHAR NOT NULL, cycle_id VARCHAR NOT NULL, party VARCHAR NOT NULL,
        status VARCHAR NOT NULL, evidence VARCHAR NOT NULL, seq INTEGER NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL, PRIMARY KEY (item_id, cycle_id))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
