"""`review cycles|users|submission|profile`: every secretariat step from a script, with the app's
rules, audit entries and notices, each error naming what is wrong and exiting 1 with nothing changed."""

from __future__ import annotations

import json
import shutil

import pytest

from review import audit, cli_steps, notices, submissions
from review.access import Role
from review.cli import main
from review.store import open_store
from tests.actors import SETUP


@pytest.fixture
def db(submitted, store):
    """KEN submitted, FRA draft, CHN not started; the file closed so that the CLI owns it."""
    store.close()
    return str(store.path)


def run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def trail(db, action):
    with open_store(db) as store:
        return [e for e in audit.entries(store, SETUP) if e.action == action]


def test_cycles_list_and_create_and_extend(db, capsys):
    code, out, _ = run(capsys, "--db", db, "cycles", "list", "--json")
    assert code == 0 and [c["id"] for c in json.loads(out)] == ["tiny-1"] and json.loads(out)[0]["parties"] == 3
    code, out, _ = run(capsys, "--db", db, "cycles", "create", "--id", "tiny-2", "--title", "Second", "--questionnaire",
                       "tiny-treaty", "--chapters", "I", "--parties", "KEN,FRA", "--deadline", "2031-06-30", "--json")
    assert code == 0 and json.loads(out)["parties"] == 2 and json.loads(out)["chapters"] == ["I"]
    assert trail(db, "cycle.create")[0].actor == "system:review cycles create"
    code, out, _ = run(capsys, "--db", db, "--lang", "fr", "cycles", "extend", "tiny-2", "--deadline", "2031-09-30")
    assert code == 0 and "30 sept. 2031" in out
    entry = trail(db, "cycle.deadline")[0]
    assert (entry.before, entry.after, entry.actor) == ({"deadline": "2031-06-30"}, {"deadline": "2031-09-30"},
                                                       "system:review cycles extend")
    code, out, _ = run(capsys, "--db", db, "cycles", "list")
    assert code == 0 and "tiny-2: Second - deadline Sep 30, 2031, 2 Parties, chapters I" in out


@pytest.mark.parametrize("args, needles", [
    (["--id", "Bad Id!", "--chapters", "I"], ["Bad Id!"]),
    (["--id", "tiny-3\n", "--chapters", "I"], ["tiny-3"]),  # a cycle id names files: no line break
    (["--id", "tiny-1", "--chapters", "I"], ["tiny-1"]),
    (["--id", "tiny-3", "--chapters", "IX"], ["IX"]),
    (["--id", "tiny-3", "--chapters", "I", "--parties", "KEN,XXX"], ["XXX"]),
])
def test_a_wrong_cycle_is_refused_naming_the_value(db, capsys, args, needles):
    base = {"--title": "T", "--questionnaire": "tiny-treaty", "--parties": "KEN", "--deadline": "2031-01-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    code, out, err = run(capsys, "--db", db, "cycles", "create", *[x for kv in base.items() for x in kv])
    assert code == 1 and out == "" and all(n in err for n in needles)
    code, out, _ = run(capsys, "--db", db, "cycles", "list", "--json")
    assert [c["id"] for c in json.loads(out)] == ["tiny-1"]


def test_without_parties_a_cycle_takes_the_states_that_are_parties_on_its_opening_day(db, capsys):
    import datetime as dt

    from review import cycles, participation

    with open_store(db) as store:
        for party, in_force in (("KEN", dt.date(2029, 1, 1)), ("CHN", dt.date(2030, 6, 1)), ("FRA", dt.date(2030, 6, 2))):
            participation.record(store, SETUP, "tiny-2030", party, consent_date=in_force - dt.timedelta(days=30),
                                 consent_kind="ratification", in_force_date=in_force)
        participation.record(store, SETUP, "tiny-2030", "BRA", signature_date=dt.date(2029, 1, 1))
        rule = cycles.parties_on_opening(store, "tiny-treaty", "1", dt.date(2030, 6, 1))
    assert rule == ["CHN", "KEN"]  # FRA not yet a Party that day, BRA only a signatory
    base = ["--db", db, "cycles", "create", "--title", "T", "--questionnaire", "tiny-treaty", "--chapters", "I",
            "--deadline", "2031-01-01", "--json"]
    code, out, err = run(capsys, *base, "--id", "tiny-2", "--opens", "2030-06-01")
    assert (code, err) == (0, "") and json.loads(out)["parties"] == 2
    with open_store(db) as store:
        assert sorted(cycles.participants(store, "tiny-2")) == rule
    # opening now (before any State is a Party): refused, naming the day and how to name the Parties
    code, out, err = run(capsys, *base, "--id", "tiny-3")
    assert code == 1 and out == "" and "--parties" in err and str(dt.date.today().year) in err
    code, out, _ = run(capsys, "--db", db, "cycles", "list", "--json")
    assert [c["id"] for c in json.loads(out)] == ["tiny-2", "tiny-1"]


def test_every_party_on_a_day_with_no_party_says_so_in_each_language(db):
    """The cycles page's "every Party" on a day nobody is a Party said "Parties: this field is required":
    the library now says what is wrong, with the day written in the reader's language."""
    import datetime as dt

    from review import cycles
    from review.errors import ValidationFailed
    from review.i18n import LANGUAGES, t

    with open_store(db) as store, pytest.raises(ValidationFailed) as refused:
        cycles.create_cycle(store, SETUP, cycle_id="tiny-4", title="T", questionnaire_id="tiny-treaty",
                            questionnaire_version="1", chapters=["I"], parties=[], deadline=dt.date(2031, 1, 1),
                            opens=dt.date(2020, 5, 1), every_party=True)
    assert [(p.location, p.key) for p in refused.value.problems] == [("parties", "pol3.cycles.no_parties_on")]
    assert "2020年5月1日" in refused.value.message("zh") and "1 mai 2020" in refused.value.message("fr")
    for lang in LANGUAGES:
        assert t("values.required", lang) not in refused.value.message(lang)


def test_a_deadline_is_only_extended(db, capsys):
    code, _, err = run(capsys, "--db", db, "cycles", "extend", "tiny-1", "--deadline", "2029-12-31")
    assert code == 1 and "Dec 31, 2029" in err and "Deadline" in err and trail(db, "cycle.deadline") == []
    code, _, err = run(capsys, "--db", db, "cycles", "extend", "nope", "--deadline", "2035-01-01")
    assert code == 1 and "nope" in err
    code, _, err = run(capsys, "--db", db, "cycles", "extend", "tiny-1", "--deadline", "soon")
    assert code == 1 and "soon" in err


def test_users_invite_list_and_deactivate(db, capsys, monkeypatch):
    monkeypatch.setenv("REVIEW_BASE_URL", "https://review.example.org/")
    code, out, _ = run(capsys, "--db", db, "users", "invite", "--email", "New@Example.org", "--name", "Nia",
                       "--role", "contributor", "--party", "KEN", "--json")
    made = json.loads(out)
    assert code == 0 and made["email"] == "new@example.org" and made["link"] == f"https://review.example.org/activate?token={made['token']}"
    from review.invitations import invited_user

    with open_store(db) as store:
        assert invited_user(store, made["token"]).email == "new@example.org"
    assert trail(db, "user.invite")[0].actor == "system:review users invite"
    code, out, _ = run(capsys, "--db", db, "users", "list", "--party", "KEN", "--role", "contributor", "--json")
    assert code == 0 and {u["email"] for u in json.loads(out)} == {"c@example.org", "new@example.org"}
    code, out, _ = run(capsys, "--db", db, "users", "deactivate", "new@example.org")
    assert code == 0 and "new@example.org" in out
    code, out, _ = run(capsys, "--db", db, "users", "list", "--json")
    assert next(u for u in json.loads(out) if u["email"] == "new@example.org")["active"] is False


@pytest.mark.parametrize("args, needle", [
    (["invite", "--email", "fp@example.org", "--name", "Twice", "--role", "observer", "--party", "KEN"], "fp@example.org"),
    (["invite", "--email", "x@example.org", "--name", "X", "--role", "focal_point"], "Party"),
    (["invite", "--email", "x@example.org", "--name", "X", "--role", "king"], "king"),
    (["invite", "--email", "not-an-address", "--name", "X", "--role", "secretariat"], "not-an-address"),
    (["deactivate", "ghost@example.org"], "ghost@example.org"),
    (["list", "--party", "XXX"], "XXX"),
    (["list", "--role", "king"], "king"),
])
def test_user_errors_name_what_is_wrong(db, capsys, args, needle):
    code, out, err = run(capsys, "--db", db, "users", *args)
    assert code == 1 and out == "" and needle in err


def test_workflow_steps_with_the_apps_audit_entries_and_notices(db, capsys):
    code, out, _ = run(capsys, "--db", db, "submission", "validate", "--cycle", "tiny-1", "--party", "KEN", "--json")
    assert code == 0 and json.loads(out) == {"cycle": "tiny-1", "party": "KEN", "state": "validated"}
    assert trail(db, "submission.validate")[0].actor == "system:review submission validate"
    code, out, _ = run(capsys, "--db", db, "--lang", "fr", "submission", "return", "--cycle", "tiny-1", "--party", "KEN",
                       "--comment", "Merci de préciser.", "--provision-comment", "1.1=Quelle loi ?")
    assert code == 0 and "KEN" in out
    with open_store(db) as store:
        assert {c.body for c in submissions.comments(store, SETUP, "tiny-1", "KEN")} == {"Merci de préciser.", "Quelle loi ?"}
        assert {n.kind for n in notices.outbox(store, SETUP)} == {"validated", "returned"}
    code, _, err = run(capsys, "--db", db, "submission", "publish", "--cycle", "tiny-1", "--party", "FRA")
    assert code == 1 and err


@pytest.mark.parametrize("extra, needle", [
    (["--provision-comment", "99.9=Where?"], "99.9"),
    (["--provision-comment", "no equals sign"], "no equals sign"),
    ([], "comment"),
])
def test_a_return_without_usable_comments_changes_nothing(db, capsys, extra, needle):
    code, _, err = run(capsys, "--db", db, "submission", "return", "--cycle", "tiny-1", "--party", "KEN", *extra)
    assert code == 1 and needle in err.lower()
    with open_store(db) as store:
        assert submissions.get_submission(store, "tiny-1", "KEN").state == "submitted"
        assert notices.outbox(store, SETUP) == []


def test_the_country_profile_pdf(demo_db, tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    out_file = tmp_path / "ken.pdf"
    code, out, _ = run(capsys, "--db", db, "profile", "--party", "KEN", "--cycle", "review-2026", "--out", out_file)
    assert code == 0 and out_file.read_bytes().startswith(b"%PDF") and "ken.pdf" in out
    code, _, err = run(capsys, "--db", db, "profile", "--party", "ZZZ", "--cycle", "review-2026", "--out", tmp_path / "z.pdf")
    assert code == 1 and not (tmp_path / "z.pdf").exists()


def test_the_cli_roles_are_the_librarys():
    assert set(cli_steps.ROLES) == {r.value for r in Role} - {"public", "system"}


@pytest.mark.parametrize("lang", ["zh", "ru", "ar"])
def test_the_new_commands_speak_the_language(demo_db, tmp_path, capsys, lang):
    from tests.test_cli_languages import _data_words, _english_in

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    allowed = (_data_words(db, tmp_path) | {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}  # chapter numbers
               | {"ken", "observer", "demo", "example", "org"})  # the e-mail address named
    for command in [("cycles", "list"), ("cycles", "extend", "review-2026", "--deadline", "2040-01-01"),
                    ("notices", "remind", "--today", "2026-01-01"), ("notices", "list", "--status", "failed"),
                    ("users", "deactivate", "ken.observer@demo.example.org")]:
        code, out, err = run(capsys, "--lang", lang, "--db", db, *command)
        assert code == 0 and not _english_in(out + err, lang, allowed), (command, out + err)


@pytest.mark.parametrize("args, needle", [
    (["validate", "--party", "FRA"], "Draft"),  # a draft is not submitted: the state named
    (["publish", "--party", "KEN"], "Submitted"),  # submitted, not yet validated
    (["validate", "--party", "XXX"], "XXX"),
    (["validate", "--party", "KEN", "--cycle", "nope"], "nope"),
])
def test_a_step_the_state_does_not_allow_exits_1_and_changes_nothing(db, capsys, args, needle):
    code, out, err = run(capsys, "--db", db, "submission", *args[:1], "--cycle", "tiny-1", *args[1:])
    assert code == 1 and out == "" and needle in err
    with open_store(db) as store:
        assert [submissions.get_submission(store, "tiny-1", p).state for p in ("KEN", "FRA")] == ["submitted", "draft"]
        assert notices.outbox(store, SETUP) == []


@pytest.mark.parametrize("args, needle", [
    (["--from", "nope", "--to", "tiny-1", "--out", "{tmp}/c.csv"], "nope"),
    (["--from", "tiny-1", "--to", "gone", "--out", "{tmp}/c.csv"], "gone"),
    (["--from", "tiny-1", "--to", "tiny-1", "--out", "-"], "--format"),
    (["--from", "tiny-1", "--to", "tiny-1", "--out", "{tmp}/c.txt"], "txt"),
    (["--from", "tiny-1", "--to", "tiny-1", "--by", "region", "--out", "{tmp}/c.csv"], "region"),
    # the same cycle twice: nothing to compare (every row 'unchanged'); refused by the library, naming --to
    (["--from", "tiny-1", "--to", "tiny-1", "--out", "{tmp}/c.csv"], "The later cycle (--to) is the earlier cycle (--from) again, tiny-1"),
])
def test_change_between_cycles_refuses_with_exit_1_and_writes_nothing(db, capsys, tmp_path, args, needle):
    code, out, err = run(capsys, "--db", db, "change", *[a.format(tmp=tmp_path) for a in args])
    assert code == 1 and out == "" and needle in err
    assert not list(tmp_path.glob("c.*"))


# every command of issue 17 on a database that is not there: exit 1, the file named, nothing created
ISSUE_17_COMMANDS = [
    ["cycles", "list"], ["cycles", "create", "--id", "x-1", "--title", "X", "--questionnaire", "q", "--chapters", "I",
                         "--deadline", "2031-01-01"],
    ["cycles", "extend", "x-1", "--deadline", "2031-01-01"], ["users", "list"],
    ["users", "invite", "--email", "a@example.org", "--name", "A", "--role", "secretariat"],
    ["users", "deactivate", "a@example.org"], ["submission", "validate", "--cycle", "c", "--party", "KEN"],
    ["submission", "return", "--cycle", "c", "--party", "KEN", "--comment", "Why?"],
    ["submission", "publish", "--cycle", "c", "--party", "KEN"],
    ["profile", "--party", "KEN", "--out", "{tmp}/p.pdf"], ["change", "--from", "a", "--to", "b", "--out", "{tmp}/c.csv"],
    ["audit", "--json"], ["notices", "remind"], ["notices", "suggest"], ["notices", "send"], ["notices", "list"],
    ["report", "thematic", "--cycle", "c", "--chapter", "I", "--out", "{tmp}/t.docx"],
    ["report", "regional", "--cycle", "c", "--group", "AFR", "--out", "{tmp}/r.docx"],
    ["report", "submission", "--cycle", "c", "--party", "KEN", "--out", "{tmp}/s.docx"],
]


@pytest.mark.parametrize("args", ISSUE_17_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_new_command_on_a_missing_database_exits_1_naming_it(tmp_path, capsys, monkeypatch, args):
    monkeypatch.setenv("REVIEW_SMTP_HOST", "127.0.0.1")  # `notices send` reaches the database, not the mail settings
    monkeypatch.setenv("REVIEW_SMTP_FROM", "review@example.org")
    code, out, err = run(capsys, "--db", tmp_path / "absent.duckdb", *[a.format(tmp=tmp_path) for a in args])
    assert code == 1 and out == "" and "absent.duckdb" in err
    assert list(tmp_path.iterdir()) == []


def test_every_command_closes_its_database_through_one_context_manager():
    """~30 copies of `store = open_store(...); try: ... finally: store.close()` in review/cli*.py are
    one `with command_store(args) as store:` (review/cli_context.py) now: no command closes by hand."""
    from pathlib import Path

    import review

    by_hand = [f"{path.name}:{n}" for path in sorted(Path(review.__file__).parent.glob("cli*.py"))
               for n, line in enumerate(path.read_text().splitlines(), 1)
               if "store.close()" in line or ("open_store(args.db, create=False)" in line and path.name != "cli_context.py")]
    assert not by_hand


def test_a_table_written_to_a_terminal_cannot_act_on_it(monkeypatch):
    """`review gap -o -` (and `change`): on a terminal the CSV passes the command line's text filter; to
    a pipe or a file the bytes are exact."""
    import argparse
    import io

    import polars as pl

    from review import cli, cli_analysis

    class Terminal(io.StringIO):
        def __init__(self, tty: bool) -> None:
            super().__init__()
            self.buffer, self.tty = io.BytesIO(), tty

        def isatty(self) -> bool:
            return self.tty

    table = pl.DataFrame({"party": ["\x1b]0;owned\x07Kenya"]})
    for tty in (True, False):
        screen = Terminal(tty)
        monkeypatch.setattr(cli_analysis.sys, "stdout", cli._Shown(screen))
        assert cli_analysis._write_out(argparse.Namespace(out="-"), "csv", table, "t", {"party": "Party"}) == 0
        if tty:
            assert "\\u001b]0;owned\\u0007Kenya" in screen.getvalue() and "\x1b" not in screen.getvalue()
        else:
            assert b"\x1b]0;owned\x07Kenya" in screen.buffer.getvalue() and screen.getvalue() == ""
