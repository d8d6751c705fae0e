"""Provider accounts: a user of an organization that offers TA names that organization, as its
offers name it (`ta_offer.provider`)."""

ID = "0008_provider_accounts"

STATEMENTS = [
    "ALTER TABLE app_user ADD COLUMN provider VARCHAR",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
