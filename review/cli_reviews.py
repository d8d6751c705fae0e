"""`review review-status`: where every peer review stands against its calendar (the secretariat's
dashboard, `review.peer.reviews.status_rows`): Parties, reviewing Parties and experts, the stage
reached, each stage's planned and completed dates, and whether it is late. Late ones first."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t


def cmd_review_status(args) -> int:
    from review.cycles import get_cycle
    from review.formats import date
    from review.peer.reviews import status_rows

    with command_store(args) as store:
        if args.cycle:
            get_cycle(store, args.cycle)  # an unknown cycle is refused, naming it
        rows = status_rows(store, command_actor(args), args.cycle)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("peer.cli.none", args.lang))
        return 0
    late = t("peer.cli.late", args.lang)
    for row in rows:
        reviewing = ", ".join(p["party"] for p in row["reviewing_parties"])
        nxt = row["next_stage"]
        planned = next((s["planned"] for s in row["stages"] if s["stage"] == nxt), None) if nxt else None
        when = t("peer.cli.planned", args.lang, date=date(dt.date.fromisoformat(planned), args.lang)) if planned else ""
        print(t("peer.cli.line", args.lang, cycle=row["cycle"], party=row["party"], reviewing=reviewing,
                stage=t(f"peer.stage.{row['stage']}", args.lang),
                next=t(f"peer.stage.{nxt}", args.lang) if nxt else "—", planned=when,
                experts=len(row["experts"])) + (f"  {late} ({row['days_late']})" if row["late"] else ""))
    return 0


def register(sub) -> None:
    p = sub.add_parser("review-status", help="where every peer review stands against its calendar, late ones first")
    p.add_argument("--cycle", help="only the reviews of this cycle")
    p.add_argument("--json", action="store_true",
                   help="each review: Parties, reviewing Parties, experts, stage, planned and completed dates, late")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of labels")
    p.set_defaults(func=cmd_review_status)
