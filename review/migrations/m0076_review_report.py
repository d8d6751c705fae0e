"""The country review report (issue 15): its texts per part (the general part and each article),
its structured items (observations and recommendations: provision, kind, priority, text) and the
executive summary per language (the text drafted from the data beside the text as edited).

Every row carries the report's change counter (`seq`) at which it was last written, so an edit
started from an older counter is refused when someone else changed the same text or item since."""

ID = "0076_review_report"

STATEMENTS = [
    # One report per review (peer_review.id); `lang` is the language it was drafted in.
    """CREATE TABLE review_report (
        review_id VARCHAR PRIMARY KEY, lang VARCHAR NOT NULL, seq INTEGER NOT NULL,
        drafted_at TIMESTAMP NOT NULL, drafted_by VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL)""",
    # `part` is 'general' or an article number; `section` one of report.SECTIONS.
    """CREATE TABLE review_report_text (
        review_id VARCHAR NOT NULL, part VARCHAR NOT NULL, section VARCHAR NOT NULL, body VARCHAR NOT NULL,
        seq INTEGER NOT NULL, updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL,
        PRIMARY KEY (review_id, part, section))""",
    # Removed items stay (removed = TRUE): the audit log and a follow-up may refer to them.
    """CREATE TABLE review_report_item (
        id VARCHAR PRIMARY KEY, review_id VARCHAR NOT NULL, provision_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, priority VARCHAR NOT NULL, body VARCHAR NOT NULL, position INTEGER NOT NULL,
        removed BOOLEAN NOT NULL DEFAULT FALSE, seq INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL)""",
    # The executive summary per language: `drafted` from the data, `edited` as the secretariat wrote it.
    """CREATE TABLE review_summary (
        review_id VARCHAR NOT NULL, lang VARCHAR NOT NULL, drafted VARCHAR NOT NULL, edited VARCHAR,
        seq INTEGER NOT NULL, drafted_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL,
        updated_by VARCHAR NOT NULL, PRIMARY KEY (review_id, lang))""",
]


def apply(cur) -> None:
    for statement in STATEMENTS:
        cur.execute(statement)
