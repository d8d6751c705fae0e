"""`review notices`: queue the reminders that are due, deliver the outbox by SMTP, list what was told.

The app's background sender does the same while it runs (it owns the database file); these commands
are for an installation that runs them from cron while the app is stopped, or to look at the outbox.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from review.cli_context import command_actor, command_store
from review.i18n import t

# written here so that `review --help` imports none of the mail code; tests keep it equal to the library's
STATUSES = ("waiting", "sent", "failed")
# `send` exits with this when some due message was not sent (the server down or refusing)
NOT_ALL_SENT = 2


def _positive(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_remind(args) -> int:
    from review.notices import queue_reminders

    with command_store(args) as store:
        done = queue_reminders(store, command_actor(args), args.today)
    counts = {"deadline": done.deadline, "late": done.late, "stage_due": done.stage_due}
    if args.json:
        _print_json(counts)
    else:
        print(t("notices.cli.reminders", args.lang, **counts))
    return 0


def cmd_suggest(args) -> int:
    from review.notices import queue_suggestions

    with command_store(args) as store:
        count = queue_suggestions(store, command_actor(args), args.cycle)
    if args.json:
        _print_json({"match_suggested": count})
    else:
        print(t("notices.cli.suggested", args.lang, count=count))
    return 0


def cmd_send(args) -> int:
    from review.errors import ReviewError
    from review.notices import counts, send_due, smtp_from_env

    smtp = smtp_from_env()
    with command_store(args) as store:
        actor = command_actor(args)
        if smtp is None:
            raise ReviewError("notices.cli.not_configured", waiting=counts(store, actor)["waiting"])
        done = send_due(store, actor, smtp)
    result = {"sent": done.sent, "retried": done.retried, "failed": done.failed, "waiting": done.waiting}
    if args.json:
        _print_json(result)
    else:
        print(t("notices.cli.delivered", args.lang, **result), file=sys.stdout if not (done.retried or done.failed)
              else sys.stderr)
    return NOT_ALL_SENT if done.retried or done.failed else 0


def cmd_list(args) -> int:
    from review.notices import outbox

    with command_store(args) as store:
        found = outbox(store, command_actor(args), args.status, args.limit)
    rows = [{"id": n.id, "kind": n.kind, "status": n.status, "email": n.email, "language": n.language,
             "subject": n.subject, "about": n.about, "queued_at": n.queued_at, "attempts": n.attempts,
             "next_attempt_at": None if n.status != "waiting" else n.next_attempt_at, "sent_at": n.sent_at,
             "failed_at": n.failed_at, "last_error": n.last_error, "message_id": n.message_id} for n in found]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print(t("notices.cli.none", args.lang))
    for row in rows:
        print(f"{row['id']:>6}  {t('notices.statuses.' + row['status'], args.lang)}  {row['email']}  {row['subject']}")
    return 0


def register(sub) -> None:
    notices = sub.add_parser("notices", help="reminders and notices by e-mail: queue, send, list").add_subparsers(
        dest="action", required=True)
    p = notices.add_parser("remind", help="queue the deadline and peer review reminders due today (each once)")
    p.add_argument("--today", type=dt.date.fromisoformat, help="the day to compute reminders for (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_remind)
    p = notices.add_parser("suggest", help="tell each Party of the TA matches newly suggested for its needs (each once)")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_suggest)
    p = notices.add_parser("send", help="deliver the messages due through the SMTP server of $REVIEW_SMTP_HOST")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_send)
    p = notices.add_parser("list", help="the outbox, newest first")
    p.add_argument("--status", choices=STATUSES, help="only messages waiting, sent or failed")
    p.add_argument("--limit", type=_positive, default=100, help="at most this many (default 100)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
