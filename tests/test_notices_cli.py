"""`review notices remind|send|list`: the reminders queued once, the outbox delivered through a real
local SMTP server, and each error with its exit status."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from review import cli_notices, notices
from review.cli import main
from tests.actors import SETUP
from tests.test_notices import MailServer, free_port


@pytest.fixture
def db(tiny_cycle, store, tmp_path):
    """The tiny cycle's database, closed so that the CLI can own the file."""
    store.close()
    return str(store.path)


def run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:  # a wrong command line ends in argparse, as from a shell
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def mail_env(monkeypatch, port):
    monkeypatch.setenv("REVIEW_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REVIEW_SMTP_PORT", str(port))
    monkeypatch.setenv("REVIEW_SMTP_TLS", "none")
    monkeypatch.setenv("REVIEW_SMTP_FROM", "review@secretariat.example.org")


def test_remind_queues_each_reminder_once(db, capsys):
    code, out, _ = run(capsys, "--db", db, "notices", "remind", "--today", "2030-01-24", "--json")
    assert code == 0 and json.loads(out) == {"deadline": 3, "late": 0, "stage_due": 0}
    code, out, _ = run(capsys, "--db", db, "--lang", "fr", "notices", "remind", "--today", "2030-01-24")
    assert code == 0 and out.startswith("0 rappel(s) de date limite")


def test_send_delivers_through_smtp_and_list_shows_it_sent(db, capsys, monkeypatch):
    port = free_port()
    mail_env(monkeypatch, port)
    run(capsys, "--db", db, "notices", "remind", "--today", "2030-01-24")
    with MailServer(port) as inbox:
        code, out, _ = run(capsys, "--db", db, "notices", "send", "--json")
        assert code == 0 and json.loads(out) == {"sent": 3, "retried": 0, "failed": 0, "waiting": 0}
        code, out, _ = run(capsys, "--db", db, "notices", "send")
        assert code == 0 and out.startswith("0 message(s) sent")
    assert len(inbox.received) == 3
    code, out, _ = run(capsys, "--db", db, "notices", "list", "--status", "sent", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and {r["status"] for r in rows} == {"sent"}
    assert {r["email"] for r in rows} == {m["To"] for m in inbox.received}


def test_send_with_the_server_down_exits_2_and_the_messages_wait(db, capsys, monkeypatch):
    mail_env(monkeypatch, free_port())
    run(capsys, "--db", db, "notices", "remind", "--today", "2030-01-24")
    code, out, err = run(capsys, "--db", db, "notices", "send")
    assert code == cli_notices.NOT_ALL_SENT == 2 and "3 to be tried again" in err and "3 waiting" in err
    code, out, _ = run(capsys, "--db", db, "notices", "list", "--status", "waiting", "--json")
    assert [r["attempts"] for r in json.loads(out)] == [1, 1, 1]


def test_send_without_mail_settings_says_which_to_set(db, capsys, monkeypatch):
    monkeypatch.delenv("REVIEW_SMTP_HOST", raising=False)
    code, out, err = run(capsys, "--db", db, "notices", "send")
    assert code == 1 and "REVIEW_SMTP_HOST" in err and out == ""
    monkeypatch.setenv("REVIEW_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("REVIEW_SMTP_FROM", "review@example.org")
    monkeypatch.setenv("REVIEW_SMTP_PORT", "smtp")
    code, _, err = run(capsys, "--db", db, "notices", "send")
    assert code == 1 and "REVIEW_SMTP_PORT" in err and "smtp" in err


@pytest.mark.parametrize("args, needle", [
    (["notices", "list", "--status", "lost"], "lost"),
    (["notices", "list", "--limit", "0"], "0"),
    (["notices", "remind", "--today", "tomorrow"], "tomorrow"),
    (["notices", "teleport"], "teleport"),
])
def test_wrong_command_lines_exit_1_naming_what_is_wrong(db, capsys, args, needle):
    code, _, err = run(capsys, "--db", db, *args)
    assert code == 1 and needle in err


def test_a_missing_database_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "nope.duckdb"), "notices", "list")
    assert code == 1 and "nope.duckdb" in err


def test_the_cli_statuses_are_the_librarys():
    assert cli_notices.STATUSES == notices.STATUSES


def test_suggest_tells_each_party_once(demo_db, tmp_path, capsys):
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    code, out, _ = run(capsys, "--db", db, "notices", "suggest", "--cycle", "review-2026", "--json")
    assert code == 0 and json.loads(out)["match_suggested"] > 0
    code, out, _ = run(capsys, "--db", db, "notices", "suggest", "--cycle", "review-2026")
    assert code == 0 and out.startswith("0 message(s)")
    code, _, err = run(capsys, "--db", db, "notices", "suggest", "--cycle", "nope")
    assert code == 1 and "nope" in err
