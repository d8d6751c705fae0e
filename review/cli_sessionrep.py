"""`review report thematic|regional`: the reports for a session of the Conference, as Word or PDF.

The operator acts as the secretariat (every working answer); `--public` prints what the public
sees (published answers of consenting Parties). Imports of the report modules are lazy, so that
`review --help` stays light (tests/test_cli_startup.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review.access import PUBLIC
from review.cli_context import command_actor, command_store
from review.i18n import LANGUAGES, t

# written here so that `review --help` imports nothing heavy; tests/test_session_reports.py keeps it
# equal to review.reports.session_documents.FORMATS
FORMATS = ("docx", "pdf")
REGIONS = ("AFR", "APG", "EEG", "GRULAC", "WEOG")  # = review.analysis.scope.REGIONS (tested)


def _write(args, data: bytes, default: str) -> Path:
    out = args.out or Path(default)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def _write_report(args, reports, render) -> Path:
    """The document, and beside it the open-data file of the answers behind its figures, which the
    document's notes name (`session_documents.answers_name`)."""
    from review.reports.session_documents import answers_csv, answers_name, document_name

    out = args.out or Path(document_name(reports, args.format, args.lang))
    beside = out.with_name(answers_name(out.name))
    data = render(args.format, args.lang, beside.name)
    out = _write(args, data, str(out))
    beside.write_bytes(answers_csv(reports))
    print(t("sess2.cli_answers", args.lang, path=beside))
    return out


def cmd_report_chapter(args) -> int:
    from review.reports.session_documents import render_thematic
    from review.reports.thematic import thematic

    with command_store(args) as store:
        actor = PUBLIC if args.public else command_actor(args)
        report = thematic(store, actor, args.cycle, args.chapter, lang=args.lang)
    out = _write_report(args, [report], lambda fmt, lang, name: render_thematic(report, fmt, lang, name))
    print(t("sessionrep.cli.written", args.lang, path=out, format=args.format.upper(), cycle=args.cycle,
            chapter=args.chapter, articles=report.articles.height))
    return 0


def cmd_report_regional(args) -> int:
    from review.reports.session_documents import render_regional
    from review.reports.thematic import regional

    with command_store(args) as store:
        actor = PUBLIC if args.public else command_actor(args)
        reports = regional(store, actor, args.cycle, args.group, lang=args.lang)
    out = _write_report(args, reports, lambda fmt, lang, name: render_regional(reports, fmt, lang, name))
    print(t("sessionrep.cli.written_regional", args.lang, path=out, format=args.format.upper(), cycle=args.cycle,
            group=args.group, chapters=len(reports)))
    return 0


def cmd_report_submission(args) -> int:
    from review.reports.submission_document import render_submission

    with command_store(args) as store:
        data = render_submission(store, command_actor(args), args.cycle, args.party, args.format, args.lang)
    out = _write(args, data, f"submission-{args.party}-{args.cycle}-{args.lang}.{args.format}")
    print(t("sessionrep.cli.written_submission", args.lang, path=out, party=args.party, cycle=args.cycle))
    return 0


def register(sub) -> None:
    report = sub.add_parser("report", help="reports for a session of the Conference, as Word or PDF").add_subparsers(
        dest="action", required=True)
    p = report.add_parser("thematic", help="one chapter across Parties: rates and their change, challenges, "
                                           "good practices, TA needs and what was matched and delivered")
    _chapter_arguments(p)
    p.set_defaults(func=cmd_report_chapter)
    p = report.add_parser("regional", help="one regional group: the thematic content of every chapter of the cycle")
    p.add_argument("--cycle", required=True, help="cycle id (e.g. review-2026)")
    p.add_argument("--group", required=True, choices=REGIONS, help="regional group")
    p.add_argument("--format", choices=FORMATS, default="docx")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the document's labels")
    p.add_argument("--out", type=Path, help="file to write (default: regional-CYCLE-GROUP-LANG.FORMAT); the answers "
                                            "behind its figures go beside it as NAME-answers.csv")
    p.add_argument("--public", action="store_true", help="only what the public sees (published answers)")
    p.set_defaults(func=cmd_report_regional)
    p = report.add_parser("submission", help="a Party's full submission in a cycle as a Word or PDF document")
    p.add_argument("--cycle", required=True, help="cycle id (e.g. review-2026)")
    p.add_argument("--party", required=True, help="code of the Party (e.g. KEN)")
    p.add_argument("--format", choices=FORMATS, default="docx")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the document's labels")
    p.add_argument("--out", type=Path, help="file to write (default: submission-PARTY-CYCLE-LANG.FORMAT)")
    p.set_defaults(func=cmd_report_submission)


def _chapter_arguments(p) -> None:
    p.add_argument("--cycle", required=True, help="cycle id (e.g. review-2026)")
    p.add_argument("--chapter", required=True, help="chapter number as the questionnaire writes it (e.g. II)")
    p.add_argument("--format", choices=FORMATS, default="docx")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the document's labels")
    p.add_argument("--out", type=Path, help="file to write (default: thematic-CYCLE-CHAPTER-LANG.FORMAT); the answers "
                                            "behind its figures go beside it as NAME-answers.csv")
    p.add_argument("--public", action="store_true", help="only what the public sees (published answers)")
