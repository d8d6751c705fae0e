"""The core schema: Parties, questionnaire definitions, cycles, users, submissions, answers,
revisions, comments and the append-only audit log."""

ID = "0001_core"

STATEMENTS = [
    """CREATE TABLE party (
        code VARCHAR PRIMARY KEY, iso2 VARCHAR, iso_numeric VARCHAR, kind VARCHAR NOT NULL,
        regional_group VARCHAR, ldc BOOLEAN NOT NULL, lldc BOOLEAN NOT NULL, sids BOOLEAN NOT NULL,
        name_en VARCHAR NOT NULL, name_fr VARCHAR, name_es VARCHAR, name_ru VARCHAR,
        name_zh VARCHAR, name_ar VARCHAR, signature_date DATE, ratification_date DATE)""",
    """CREATE TABLE questionnaire (
        id VARCHAR NOT NULL, version VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL,
        definition JSON NOT NULL, registered_at TIMESTAMP NOT NULL, PRIMARY KEY (id, version))""",
    """CREATE TABLE cycle (
        id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, questionnaire_id VARCHAR NOT NULL,
        questionnaire_version VARCHAR NOT NULL, chapters VARCHAR[] NOT NULL, opens DATE,
        deadline DATE NOT NULL, created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL)""",
    """CREATE TABLE app_user (
        id VARCHAR PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, name VARCHAR NOT NULL,
        role VARCHAR NOT NULL, party VARCHAR, active BOOLEAN NOT NULL, password_hash VARCHAR,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE submission (
        id VARCHAR PRIMARY KEY, cycle_id VARCHAR NOT NULL, party VARCHAR NOT NULL,
        state VARCHAR NOT NULL, seq INTEGER NOT NULL, consent_publication BOOLEAN,
        published_revision INTEGER, updated_at TIMESTAMP, updated_by VARCHAR,
        submitted_at TIMESTAMP, validated_at TIMESTAMP, published_at TIMESTAMP,
        UNIQUE (cycle_id, party))""",
    """CREATE TABLE answer (
        submission_id VARCHAR NOT NULL, provision_id VARCHAR NOT NULL, question_id VARCHAR NOT NULL,
        value JSON, seq INTEGER NOT NULL, saved_by VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL,
        PRIMARY KEY (submission_id, provision_id, question_id))""",
    """CREATE TABLE revision (
        submission_id VARCHAR NOT NULL, number INTEGER NOT NULL, seq INTEGER NOT NULL,
        kind VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        note VARCHAR, PRIMARY KEY (submission_id, number))""",
    """CREATE TABLE revision_answer (
        submission_id VARCHAR NOT NULL, revision INTEGER NOT NULL, provision_id VARCHAR NOT NULL,
        question_id VARCHAR NOT NULL, value JSON NOT NULL,
        PRIMARY KEY (submission_id, revision, provision_id, question_id))""",
    "CREATE SEQUENCE comment_id START 1",
    """CREATE TABLE comment (
        id BIGINT PRIMARY KEY DEFAULT nextval('comment_id'), submission_id VARCHAR NOT NULL,
        provision_id VARCHAR, author VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        body VARCHAR NOT NULL)""",
    "CREATE SEQUENCE audit_id START 1",
    """CREATE TABLE audit_log (
        id BIGINT PRIMARY KEY DEFAULT nextval('audit_id'), logged_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL, action VARCHAR NOT NULL, entity VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL, before JSON, after JSON)""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
