"""`review review-report`: a country review report (or its executive summary) as Word or PDF.

The operator acts as the secretariat and may print a draft; `--public` prints only what the public
may read (refused, exit status 1, until the review is published, and for the full report until the
reviewed Party agreed to its publication).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review.access import PUBLIC
from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t

# written here so that `review --help` imports nothing heavy; tests/test_review_report.py keeps it
# equal to review.peer.documents.FORMATS
FORMATS = ("docx", "pdf")


def cmd_review_report(args) -> int:
    from review.peer.documents import render
    from review.peer.report import get_report

    what = "summary" if args.summary else "report"
    with command_store(args) as store:
        actor = PUBLIC if args.public else command_actor(args)
        data = render(store, actor, args.cycle, args.party, args.format, args.lang, what)
        items = len(get_report(store, actor, args.cycle, args.party).items) if what == "report" else 0
    out = args.out or Path(f"{what}-{args.party}-{args.cycle}-{args.lang}.{args.format}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(t("report.cli.written", args.lang, path=out, format=args.format.upper(), party=args.party, cycle=args.cycle,
            items=items))
    return 0


def register(sub) -> None:
    p = sub.add_parser("review-report", help="a country review report (or its executive summary) as Word or PDF")
    p.add_argument("--party", required=True, help="code of the reviewed Party (e.g. KEN)")
    p.add_argument("--cycle", required=True, help="cycle id of the review")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the document's labels")
    p.add_argument("--out", type=Path, help="file to write (default: <report|summary>-PARTY-CYCLE-LANG.FORMAT)")
    p.add_argument("--summary", action="store_true", help="the executive summary instead of the full report")
    p.add_argument("--public", action="store_true", help="only what the public may read (refused before publication)")
    p.set_defaults(func=cmd_review_report)
