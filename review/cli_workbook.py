"""`review template` and `review import`: the offline workbook from the command line.

The secretariat uses these to prepare workbooks and to migrate answers collected by e-mail; the
JSON output is the contract for scripts (one object per file, exit 1 unless every file imported).
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t


def cmd_template(args) -> int:
    from review.workbook import write_template

    with command_store(args) as store:
        if args.all:
            return _template_all(store, args)
        data = write_template(store, command_actor(args), args.cycle, args.party.upper(), args.lang)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(t("workbook.cli.written", args.lang, path=args.out, party=args.party.upper(), cycle=args.cycle,
            size=len(data) // 1024))
    return 0


def _template_all(store, args) -> int:
    """Every participating Party's workbook, as one zip in the directory `--out`."""
    from review.workbook import write_templates

    def progress(done, total, party):
        print(t("workbook.cli.template_progress", args.lang, done=done, total=total, party=party), file=sys.stderr)

    data = write_templates(store, command_actor(args), args.cycle, args.lang, progress=progress)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.cycle}-workbooks-{args.lang}.zip"
    path.write_bytes(data)
    print(t("workbook.cli.written_all", args.lang, path=path, count=len(zipfile.ZipFile(path).namelist()),
            cycle=args.cycle, size=len(data) // 1024))
    return 0


def cmd_import(args) -> int:
    from review.workbook import import_workbooks

    files = [(path.name, path) for path in args.files]

    def progress(done, total, name, report):
        if total > 1:
            print(t("workbook.cli.progress", args.lang, done=done, total=total, file=name, status=report.status),
                  file=sys.stderr)

    with command_store(args) as store:
        reports = import_workbooks(store, command_actor(args), files, take_workbook=args.take_workbook,
                                   progress=progress, expect_party=args.party, expect_cycle=args.cycle)
    if args.json:
        print(json.dumps([r.as_dict(args.lang) for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            if report.imported:
                print(t("workbook.cli.imported", args.lang, file=report.file, party=report.party, cycle=report.cycle,
                        revision=report.revision, changed=report.changed))
                continue
            print(t("workbook.cli.rejected", args.lang, file=report.file))
            for error in report.errors:
                where = "!".join(x for x in (error.sheet, error.cell) if x)
                print(f"  {where + ': ' if where else ''}{error.message(args.lang)}")
        print(t("workbook.cli.summary", args.lang, imported=sum(r.imported for r in reports), total=len(reports)))
    return 0 if all(r.imported for r in reports) else 1


def register(sub) -> None:
    p = sub.add_parser("template", help="write a Party's questionnaire workbook, pre-filled with its answers")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--party", help="ISO 3166 alpha-3 code of the Party")
    which.add_argument("--all", action="store_true",
                       help="every participating Party's workbook, as one zip in the directory --out")
    p.add_argument("--cycle", required=True, help="cycle id")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the workbook")
    p.add_argument("--out", type=Path, required=True, help="the .xlsx file to write (with --all: a directory)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="import filled workbooks: each file whole or not at all")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    p.add_argument("--take-workbook", action="store_true",
                   help="take the workbook's values over answers changed online since it was made (logged)")
    p.add_argument("--party", type=str.upper, default=None,
                   help="refuse any file that is not this Party's workbook (ISO code)")
    p.add_argument("--cycle", default=None, help="refuse any file that is not for this cycle")
    p.set_defaults(func=cmd_import)
