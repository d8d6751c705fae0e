"""What the notices already told of, for notices that gather many things into one message (the
matches suggested for a Party's needs): one row per thing told, so each is told once."""

ID = "0084_notice_marks"


def apply(cur) -> None:
    cur.execute("CREATE TABLE notice_mark (key VARCHAR PRIMARY KEY, marked_at TIMESTAMP NOT NULL)")
