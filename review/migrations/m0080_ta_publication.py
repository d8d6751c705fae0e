"""Published TA needs and offers (issue 17): a Party publishes each of its TA needs or standalone
requests, a provider each of its offers, apart from the publication of a Party's answers. One row
per item once its owner chose; `published` false is a choice withdrawn (kept, as the audit log is)."""

ID = "0080_ta_publication"

STATEMENTS = [
    """CREATE TABLE ta_publication (
        kind VARCHAR NOT NULL, item VARCHAR NOT NULL, party VARCHAR, published BOOLEAN NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL, PRIMARY KEY (kind, item))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
