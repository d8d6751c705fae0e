"""The language a user chose for the interface (one of the six UN languages), applied at login;
NULL until they choose, when the browser's preferred language is used."""

ID = "0086_user_language"

STATEMENTS = [
    "ALTER TABLE app_user ADD COLUMN language VARCHAR",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
