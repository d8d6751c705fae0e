"""`review gap`, `review change` and `review publish-snapshot`: the analysis as files, for reports and public replicas.

The operator acts as the secretariat: `gap` covers every submission of the cycle unless
`--published-only` asks for exactly what the public sees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.errors import ReviewError
from review.i18n import LANGUAGES, t

# the choices the command line offers, written here so that `review --help` and the light commands
# import none of the analysis (polars, fpdf...): tests/test_cli_startup.py keeps them equal to the
# library's own
GROUPINGS = ("party", "article", "chapter", "region")
FORMATS = ("csv", "json", "xlsx", "parquet")
CHANGE_BY = ("provision", "party", "chapter", "article")


STDOUT = "-"


def _format(args) -> str:
    """The output format: named, or taken from the file's extension (standard output needs it named)."""
    from review.export import format_for

    if str(args.out) == STDOUT and not args.format:
        raise ReviewError("analysis.format_for_stdout", allowed=", ".join(FORMATS))
    return format_for(args.out, args.format)


def _write_out(args, fmt: str, table, title: str, headers: dict[str, str]) -> int:
    """A table to standard output, or to its file with a line saying where and how many rows."""
    from review.export import to_bytes, write_table

    if str(args.out) == STDOUT:
        data = to_bytes(table, fmt, title, headers)
        if fmt in ("csv", "json") and sys.stdout.isatty():
            # on a terminal, through the command line's text filter (review.cli.terminal_text), so a
            # Party's text cannot act on the terminal; to a pipe or a file, the bytes exactly
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    write_table(table, args.out, fmt, title=title, headers=headers)
    print(t("analysis.gap_written", args.lang, rows=table.height, path=args.out))
    return 0


def cmd_gap(args) -> int:
    from review.analysis.gap_tables import gap_table

    fmt = _format(args)
    with command_store(args) as store:
        table = gap_table(store, command_actor(args), args.by, args.cycle, published_only=args.published_only, lang=args.lang)
    headers = {c: t(f"analysis.columns.{c}", args.lang) for c in table.columns}
    title = t("analysis.sheet_title", args.lang, by=t(f"analysis.by.{args.by}", args.lang))
    return _write_out(args, fmt, table, title, headers)


def cmd_change(args) -> int:
    """Change between two cycles, across questionnaire versions through the later version's map."""
    from review.analysis.change import cycle_change, change_summary

    fmt = _format(args)
    with command_store(args) as store:
        rows = cycle_change(store, command_actor(args), args.before, args.after, published_only=args.published_only, lang=args.lang)
    table = rows if args.by == "provision" else change_summary(rows, by=args.by)
    headers = {c: t(f"q11.change_columns.{c}", args.lang) for c in table.columns}
    title = t("q11.change_title", args.lang, before=args.before, after=args.after)
    return _write_out(args, fmt, table, title, headers)


def cmd_publish_snapshot(args) -> int:
    from review.analysis.snapshot import write_snapshot

    with command_store(args) as store:
        manifest = write_snapshot(store, command_actor(args), args.directory)
    print(t("analysis.snapshot_written", args.lang, path=args.directory, files=len(manifest["files"]),
            cycles=len(manifest["cycles"])))
    return 0


def register(sub) -> None:
    p = sub.add_parser("gap", help="gap analysis by Party, article, chapter or regional group, as a file")
    p.add_argument("--by", choices=GROUPINGS, default="party")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the extension of --out)")
    p.add_argument("--out", type=Path, required=True, help="file to write, or - for standard output (with --format)")
    p.add_argument("--published-only", action="store_true", help="only what the public sees")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of labels")
    p.set_defaults(func=cmd_gap)

    p = sub.add_parser("change", help="change between two cycles (also across questionnaire versions), as a file")
    p.add_argument("--from", dest="before", required=True, help="the earlier cycle's id")
    p.add_argument("--to", dest="after", required=True, help="the later cycle's id")
    p.add_argument("--by", choices=CHANGE_BY, default="provision", help="Party x provision rows, or counts per Party, chapter or article")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the extension of --out)")
    p.add_argument("--out", type=Path, required=True, help="file to write, or - for standard output (with --format)")
    p.add_argument("--published-only", action="store_true", help="only what the public sees")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of labels")
    p.set_defaults(func=cmd_change)

    p = sub.add_parser("publish-snapshot", help="write the published data as Parquet files plus a manifest")
    p.add_argument("directory", type=Path)
    p.set_defaults(func=cmd_publish_snapshot)
