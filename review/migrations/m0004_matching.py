"""Technical-assistance matching: offers, standalone requests, a Party's languages for TA, and the
matches a Party has acted on (suggestions themselves are computed, never stored)."""

ID = "0004_matching"

STATEMENTS = [
    """CREATE TABLE ta_offer (
        id VARCHAR PRIMARY KEY, provider VARCHAR NOT NULL, provider_kind VARCHAR NOT NULL, provider_party VARCHAR,
        role VARCHAR NOT NULL, types VARCHAR[] NOT NULL, provisions VARCHAR[] NOT NULL, articles INTEGER[] NOT NULL,
        chapters VARCHAR[] NOT NULL, languages VARCHAR[] NOT NULL, regions VARCHAR[] NOT NULL,
        countries VARCHAR[] NOT NULL, capacity INTEGER NOT NULL, modalities VARCHAR[] NOT NULL, starts DATE,
        ends DATE, description VARCHAR NOT NULL, active BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL,
        created_by VARCHAR NOT NULL)""",
    """CREATE TABLE ta_request (
        id VARCHAR PRIMARY KEY, party VARCHAR NOT NULL, type VARCHAR NOT NULL, priority VARCHAR NOT NULL,
        article INTEGER, chapter VARCHAR, description VARCHAR NOT NULL, languages VARCHAR[] NOT NULL,
        modality VARCHAR, needed_by DATE, open BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL,
        created_by VARCHAR NOT NULL)""",
    """CREATE TABLE ta_preference (
        party VARCHAR PRIMARY KEY, languages VARCHAR[] NOT NULL, updated_at TIMESTAMP NOT NULL,
        updated_by VARCHAR NOT NULL)""",
    """CREATE TABLE ta_match (
        need_key VARCHAR NOT NULL, offer_id VARCHAR NOT NULL, party VARCHAR NOT NULL, state VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL, PRIMARY KEY (need_key, offer_id))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
