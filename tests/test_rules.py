"""Each domain rule has one definition; its Python and SQL forms agree on every case."""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb

from review import rules
from review.submissions import STATES

DEADLINE = dt.date(2030, 1, 31)
DAYS = [DEADLINE - dt.timedelta(days=1), DEADLINE, DEADLINE + dt.timedelta(days=1)]


def test_late_in_python_and_in_sql_agree():
    con = duckdb.connect()
    for state, today in itertools.product(STATES, DAYS):
        in_sql = con.execute(f"SELECT {rules.late_sql('$state')}",
                             {"state": state, "deadline": DEADLINE, "today": today}).fetchone()[0]
        assert in_sql == rules.is_late(state, DEADLINE, today), (state, today)
    assert rules.is_late("draft", DEADLINE, DAYS[2]) and not rules.is_late("draft", DEADLINE, DEADLINE)
    assert not rules.is_late("submitted", DEADLINE, DAYS[2])


def test_public_in_python_and_in_sql_agree():
    con = duckdb.connect()
    con.execute("CREATE TABLE submission (state VARCHAR, consent_publication BOOLEAN, published_revision INTEGER)")
    cases = list(itertools.product(STATES, [True, False, None], [None, 1]))
    con.executemany("INSERT INTO submission VALUES (?, ?, ?)", [list(c) for c in cases])
    rows = con.execute(f"SELECT state, consent_publication, published_revision, {rules.public_sql('s')} "
                       "FROM submission s").fetchall()
    assert len(rows) == len(cases)
    for state, consent, revision, public in rows:
        assert public == rules.is_public(state, consent, revision), (state, consent, revision)
    assert [c for c in cases if rules.is_public(*c)] == [("published", True, 1)]


def test_a_stage_late_in_python_and_in_sql_agree():
    con = duckdb.connect()
    planned_days = [None, DEADLINE]
    done = [None, dt.datetime(2030, 1, 15, 9, 0)]
    for planned, done_at, today in itertools.product(planned_days, done, DAYS):
        in_sql = con.execute(f"SELECT {rules.stage_late_sql('$planned::DATE', '$done::TIMESTAMP')}",
                             {"planned": planned, "done": done_at, "today": today}).fetchone()[0]
        assert bool(in_sql) == rules.stage_late(planned, done_at, today), (planned, done_at, today)
    assert rules.stage_late(DEADLINE, None, DAYS[2]) and not rules.stage_late(DEADLINE, None, DEADLINE)
    assert not rules.stage_late(None, None, DAYS[2]) and not rules.stage_late(DEADLINE, done[1], DAYS[2])
