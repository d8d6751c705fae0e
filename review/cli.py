"""The `review` command: a thin layer over the library, and the contract automation relies on.

Errors the user can fix (a wrong option included) are printed to stderr as clear lines and exit
with status 1; the operator running the CLI owns the database file and acts with the
secretariat's rights. Output piped into a command that stops reading (`| head`) ends quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

import duckdb

from review import (cli_analysis, cli_audit, cli_backup, cli_matching, cli_notices, cli_parties, cli_peer_lots, cli_steps,
                    cli_report, cli_reviews, cli_sessionrep, cli_workbook, cycles, parties)
from review.errors import ReviewError
from review.printable import written_out
from review.formats import date, number, percent
from review.i18n import LANGUAGES, label, t
from review.questionnaire import DefinitionError, Questionnaire, catalogue, load_file
from review.questionnaire.loader import QUESTIONNAIRES_DIR
from review.store import Store, default_path, failure_reason, open_store
from review.cli_context import command_actor, command_store
from review.submissions import cycle_status


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_init(args) -> int:
    from review.migrations import migrate

    store = Store(args.db)
    applied = migrate(store)
    count = parties.load_reference(store)
    for questionnaire in catalogue(args.questionnaires).values():
        cycles.register_questionnaire(store, command_actor(args), questionnaire)
    print(t("lang.cli.initialized", args.lang, path=store.path, migrations=number(len(applied), args.lang),
            parties=number(count, args.lang),
            questionnaires=number(len(cycles.registered_questionnaires(store)), args.lang)))
    return 0


def cmd_demo(args) -> int:
    from review import demo

    summary = demo.load_demo(open_store(args.db), seed=args.seed, replace=args.replace)
    states = ", ".join(f"{t('states.' + k, args.lang)}: {number(v, args.lang)}" for k, v in sorted(summary.states.items()))
    print(t("lang.cli.demo_loaded", args.lang, parties=number(summary.parties, args.lang), cycles=", ".join(summary.cycles),
            users=number(summary.users, args.lang), states=states))
    return 0


def cmd_questionnaire_validate(args) -> int:
    questionnaire = load_file(args.path)
    print(t("lang.cli.valid", args.lang, path=args.path, id=questionnaire.id, version=questionnaire.version,
            articles=number(len(questionnaire.articles), args.lang),
            provisions=number(sum(1 for _ in questionnaire.provisions()), args.lang), fingerprint=questionnaire.fingerprint))
    return 0


def _summary(q: Questionnaire, lang: str) -> dict:
    return {
        "id": q.id,
        "version": q.version,
        "title": label(q.title, lang),
        "instrument": q.instrument["id"],
        "fingerprint": q.fingerprint,
        "maps_from": {v: {old: list(new) for old, new in moves.items()} for v, moves in q.maps_from.items()},
        "chapters": [{"number": c.number, "title": label(c.title, lang), "articles": [c.first, c.last]} for c in q.chapters],
        "articles": [
            {
                "number": a.number,
                "chapter": a.chapter,
                "title": label(a.title, "en"),
                "title_local": label(a.title, lang),
                "obligation": a.obligation,
                "provisions": [
                    {"id": p.id, "ref": label(p.ref, lang), "obligation": p.obligation, "assessed": p.assessed,
                     "checked": p.checked, "questions": [qq.id for qq in p.questions]}
                    for p in a.provisions
                ],
            }
            for a in q.articles
        ],
    }


def cmd_questionnaire_summary(args) -> int:
    found = catalogue(args.questionnaires)
    if args.json:
        _print_json([_summary(q, args.lang) for q in found.values()])
    else:
        for q in found.values():
            assessed = sum(1 for p in q.provisions() if p.assessed)
            print(t("lang.cli.summary", args.lang, id=q.id, version=q.version, title=label(q.title, args.lang),
                    chapters=number(len(q.chapters), args.lang), articles=number(len(q.articles), args.lang),
                    provisions=number(sum(1 for _ in q.provisions()), args.lang), assessed=number(assessed, args.lang)))
    return 0


# The web server's settings, as .streamlit/config.toml gives them to `make run` in a checkout; `review
# serve` passes them as flags so an installed package needs no config file (tests/test_serve_settings.py
# keeps the two equal). runner.postScriptGC: Streamlit's default runs a full garbage collection after
# every page run, which walks every object of the process (every session's); at 50 users that was half
# the server's CPU (docs/benchmarks.md, "Many users on one server"). Python's own collector still runs.
SERVER_SETTINGS = {
    "server.headless": "true", "server.runOnSave": "false", "server.fileWatcherType": "none",
    "server.maxUploadSize": "20", "browser.gatherUsageStats": "false", "client.toolbarMode": "minimal",
    "runner.postScriptGC": "false",
}


def cmd_serve(args) -> int:
    """Run the web app of the installed package (the settings of .streamlit/config.toml as flags, so it
    works from any folder); REVIEW_DB names the database the app opens. The process becomes the server
    (exec, not a child): a service manager's or a container engine's stop signal reaches Streamlit, which
    closes the database and exits, instead of killing this command and leaving the server running."""
    import app

    env = dict(os.environ)
    if args.db:
        env["REVIEW_DB"] = str(Path(args.db).resolve())
    script = Path(app.__file__).resolve().parent.parent / "streamlit_app.py"
    flags = [word for name, value in SERVER_SETTINGS.items() for word in (f"--{name}", value)]
    flags += ["--server.port", str(args.port), "--server.address", args.address]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "streamlit", "run", str(script), *flags], env)


def cmd_status(args) -> int:
    with command_store(args) as store:
        cycle, rows = cycle_status(store, command_actor(args), args.cycle)
        names = parties.all_parties(store)
    data = {
        "cycle": cycle.id,
        "title": cycle.title,
        "deadline": cycle.deadline.isoformat(),
        "parties": [
            {
                "party": r.party,
                "name": names[r.party].name(args.lang) if r.party in names else r.party,
                "state": r.state,
                "completeness": round(r.completeness.ratio, 4),
                "late": r.late,
            }
            for r in rows
        ],
    }
    if args.json:
        _print_json(data)
        return 0
    print(t("lang.cli.status_head", args.lang, cycle=cycle.id, title=cycle.title, deadline=date(cycle.deadline, args.lang)))
    late = t("lang.cli.late", args.lang)
    for row in data["parties"]:
        print(f"  {row['party']:<4} {t('states.' + row['state'], args.lang):<28} "
              f"{percent(row['completeness'], args.lang):>6}{'  ' + late if row['late'] else ''}")
    return 0


Register = Callable[[argparse._SubParsersAction], None]


class CommandLine(argparse.ArgumentParser):
    """argparse, with a wrong command line reported as one line and status 1 like any user error."""

    lang = "en"

    def error(self, message: str):
        print(f"{self.prog}: {t('errors.command_line', CommandLine.lang, message=message)}", file=sys.stderr)
        raise SystemExit(1)


def _language(argv: list[str] | None) -> str:
    """The --lang asked for, read before the full parse so that its errors speak that language."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", default="en")
    chosen = early.parse_known_args(argv)[0].lang
    return chosen if chosen in LANGUAGES else "en"


def _core_commands(sub) -> None:
    p = sub.add_parser("init", help="create or migrate the database, load reference data and questionnaires")
    p.add_argument("--questionnaires", type=Path, default=QUESTIONNAIRES_DIR, help="folder of definitions")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="load the synthetic demo")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--replace", action="store_true", help="replace the data already in the database")
    p.set_defaults(func=cmd_demo)

    q = sub.add_parser("questionnaire", help="questionnaire definitions").add_subparsers(dest="action", required=True)
    p = q.add_parser("validate", help="check a definition file; exit 1 and list errors if broken")
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_questionnaire_validate)
    p = q.add_parser("summary", help="the loaded definitions")
    p.add_argument("--json", action="store_true")
    p.add_argument("--questionnaires", type=Path, default=QUESTIONNAIRES_DIR, help="folder of definitions")
    p.set_defaults(func=cmd_questionnaire_summary)

    p = sub.add_parser("status", help="state and completeness of every Party in a cycle")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("serve", help="run the web app (behind a reverse proxy in production)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1", help="listen address (default: loopback only)")
    p.set_defaults(func=cmd_serve)


COMMANDS: list[Register] = [_core_commands, cli_workbook.register, cli_analysis.register, cli_matching.register,
                             cli_parties.register, cli_backup.register,
                             cli_audit.register, cli_report.register, cli_peer_lots.register, cli_reviews.register,
                             cli_notices.register, cli_steps.register, cli_sessionrep.register]


def parser() -> argparse.ArgumentParser:
    root = CommandLine(prog="review", description="Review of implementation of a UN convention.")
    root.add_argument("--db", type=Path, default=None, help=f"database file (default: $REVIEW_DB or {default_path()})")
    root.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages and labels")
    sub = root.add_subparsers(dest="command", required=True, parser_class=CommandLine)
    for register in COMMANDS:
        register(sub)
    return root


def terminal_text(text: str) -> str:
    """`text` as the terminal shows it, never acts on it: a Party's text reaches the operator inside
    messages (a workbook cell's value in an import refusal), where ESC sequences set the window title,
    write the clipboard (OSC 52), or erase lines and print others in their place. Every control
    character but tab and line feed is written out (`review.printable.written_out`, ESC as `\\u001b`),
    which also keeps JSON output valid JSON."""
    return written_out(text)


class _Shown:
    """A text stream that writes what it is given through `terminal_text`; the rest is the stream's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Run a command; everything it prints goes to the terminal as text, never as control sequences."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Shown(out), _Shown(err)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(argv: list[str] | None) -> int:
    CommandLine.lang = _language(argv)
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DefinitionError as error:
        print(error.message(args.lang), file=sys.stderr)
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1
    except ReviewError as error:
        for line in error.message(args.lang).splitlines():
            print(line, file=sys.stderr)
        return 1
    except duckdb.IOException as error:
        path = args.db or default_path()
        if "lock" in str(error).lower():
            print(t("errors.database_busy", args.lang, path=path), file=sys.stderr)
        else:
            print(t("errors.database_unreadable", args.lang, path=path, reason=failure_reason(error)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        print(t("errors.file_error", args.lang, path=error.filename or "", reason=error.strerror or error), file=sys.stderr)
        return 1
