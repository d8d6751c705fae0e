"""`review parties`: who is a Party to the instrument, recorded from the UN Treaty Collection's status table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.errors import ReviewError
from review.formats import date
from review.i18n import t


def _instrument(args) -> str:
    from review.participation import instruments

    if args.instrument:
        return args.instrument
    known = list(instruments())
    if len(known) != 1:
        raise ReviewError("participation.cli.which_instrument", known=", ".join(known) or "-")
    return known[0]


def cmd_parties_import(args) -> int:
    from review.participation import import_status

    with command_store(args) as store:
        entries = import_status(store, command_actor(args), _instrument(args), args.file.name,
                                _read(args.file))
    print(t("participation.cli.recorded", args.lang, count=len(entries), file=args.file))
    return 0


def _read(path: Path) -> bytes:
    from review.participation import MAX_FILE_BYTES
    from review.workbook.package import Limits, read_file

    return read_file(path, Limits(max_bytes=MAX_FILE_BYTES))


def cmd_parties_list(args) -> int:
    from review.participation import participations

    day = args.on or dt.date.today()
    with command_store(args) as store:
        rows = [{"party": p.party, "signature": p.signature_date, "consent": p.consent_date, "consent_kind": p.consent_kind,
                 "in_force": p.in_force_date, "standing": p.standing(day)}
                for p in participations(store, _instrument(args)).values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    for row in rows:
        days = [date(row[k], args.lang) if row[k] else "" for k in ("signature", "consent", "in_force")]
        print(f"{row['party']:<4} {t('participation.standing.' + row['standing'], args.lang):<20} "
              f"{days[0]:<14} {days[1]:<14} {days[2]}".rstrip())
    return 0


def register(sub) -> None:
    parties = sub.add_parser("parties", help="who is a Party to the instrument, and since when").add_subparsers(
        dest="action", required=True)
    p = parties.add_parser("import", help="record signature, consent and entry into force from a treaty status CSV")
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--instrument", help="instrument id (default: the only one in data/instruments.yaml)")
    p.set_defaults(func=cmd_parties_import)
    p = parties.add_parser("list", help="each recorded State's dates and standing (Party or signatory)")
    p.add_argument("--instrument", help="instrument id (default: the only one in data/instruments.yaml)")
    p.add_argument("--on", type=dt.date.fromisoformat, help="the day to judge standing on (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parties_list)
