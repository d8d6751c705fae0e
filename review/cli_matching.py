"""`review match` and `review offers`: the TA matching report as a file, and offers from a workbook.

The operator acts as the secretariat: the report covers every need and every offer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t

# the choices the command line offers, written here so that the light commands import none of the
# matching (the solver, fpdf, openpyxl): tests/test_cli_startup.py keeps them equal to the library's
FORMATS = ("xlsx", "json", "csv", "pdf")
VIEWS = ("matches", "providers", "parties", "unmet", "unmet_summary")


def cmd_match(args) -> int:
    from review.matching.files import write_report
    from review.matching.report import match_report

    with command_store(args) as store:
        report = match_report(store, command_actor(args), args.cycle, lang=args.lang)
    write_report(report, args.out, args.format, args.view)
    print(t("matching.written", args.lang, path=args.out, **report.totals))
    return 0


def cmd_offers_template(args) -> int:
    from review.matching.offer_workbook import offer_template

    args.out.write_bytes(offer_template(args.lang))
    print(t("matching.template_written", args.lang, path=args.out))
    return 0


def cmd_offers_import(args) -> int:
    from review.matching.offer_workbook import import_offers

    with command_store(args) as store:
        result = import_offers(store, command_actor(args), args.path.name, args.path)
    if result.errors:
        print(t("matching.import_refused", args.lang, file=args.path.name, count=len(result.errors)), file=sys.stderr)
        for problem in result.errors:
            print(f"  {problem.where}: {problem.message(args.lang)}", file=sys.stderr)
        return 1
    print(t("matching.imported", args.lang, file=args.path.name, count=len(result.offers)))
    return 0


def register(sub) -> None:
    p = sub.add_parser("match", help="match TA needs with offers; write the report (Excel, JSON, CSV or PDF)")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the extension of --out)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.add_argument("--view", choices=VIEWS, default="matches", help="the view written as CSV")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of labels")
    p.set_defaults(func=cmd_match)

    offers = sub.add_parser("offers", help="TA offers").add_subparsers(dest="action", required=True)
    p = offers.add_parser("template", help="an empty offers workbook to fill in")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the headers")
    p.set_defaults(func=cmd_offers_template)
    p = offers.add_parser("import", help="register every offer of a filled workbook (all or none)")
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_offers_import)
