"""`review audit`: the readable audit trail, filtered like the secretariat's page (`review.audit_trail`).

Dates are days (YYYY-MM-DD), both included; a date that is not one, an unknown Party, user or
action, or an end before the start is refused with the option named, exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t


def _day(args, name: str) -> dt.date | None:
    raw = getattr(args, name)
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _BadOption(t("audit_trail.bad_date", args.lang, option=f"--{name}", value=raw)) from None


class _BadOption(Exception):
    pass


def cmd_audit(args) -> int:
    from review.audit_trail import Filters, trail
    from review.formats import datetime

    try:
        filters = Filters(party=args.party, user=args.user, action=args.action, since=_day(args, "since"),
                          until=_day(args, "until"))
    except _BadOption as error:
        print(str(error), file=sys.stderr)
        return 1
    with command_store(args) as store:
        found = trail(store, command_actor(args), filters, lang=args.lang)
    if args.json:
        print(json.dumps(found.records(), ensure_ascii=False, indent=2, default=str))
        return 0
    if not found.lines:
        print(t("audit_trail.nothing", args.lang))
        return 0
    for line in found.lines:
        change = f"  {line.field}: {line.before!r} -> {line.after!r}" if (line.field or line.before or line.after) else ""
        party = f" [{line.party}]" if line.party else ""
        print(f"{line.entry:>6} {datetime(line.logged_at, args.lang, 'medium')} {line.user}{party} {line.action_label} "
              f"({line.subject}){change}")
    print(t("audit_trail.counted", args.lang, entries=found.entries, lines=len(found.lines)))
    return 0


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit trail, with before and after as labels; filters combine")
    p.add_argument("--party", help="a Party's code (entries about its submissions, requests, matches, offers, users)")
    p.add_argument("--user", help="the acting user's e-mail or id (or a system context, e.g. 'system:review demo')")
    p.add_argument("--action", help="an action (answers.save) or a family of actions (answers)")
    p.add_argument("--since", help="first day, YYYY-MM-DD (included)")
    p.add_argument("--until", help="last day, YYYY-MM-DD (included)")
    p.add_argument("--json", action="store_true", help="one JSON object per line of the trail")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of labels")
    p.set_defaults(func=cmd_audit)
