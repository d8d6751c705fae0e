"""`review review-lots`: the drawing of lots for a cycle, a redraw at a Party's request, and the COP's
list printed, as JSON, or written to CSV, Excel or JSON.

Without --redraw or --list it draws (every Party of the cycle without reviewers yet); a cycle already
drawn is refused (exit 1) with its seed. Every refusal (a rule that cannot be met, a bad seed, a
bad rules file, a redraw past the rules' maximum) is one clear message on stderr and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.i18n import t


def cmd_review_lots(args) -> int:
    from review.errors import ReviewError
    from review.peer import lots

    if args.reviewer and not args.redraw:
        print(t("lots.cli.reviewer_needs_redraw", args.lang), file=sys.stderr)
        return 1
    if args.out is not None:
        from review.export import format_for

        fmt = format_for(args.out, None)
        if fmt == "parquet":
            raise ReviewError("analysis.bad_format", value=fmt, allowed="csv, json, xlsx")
    rules = lots.load_rules_file(args.rules) if args.rules else None
    seed = lots.check_seed(args.seed) if args.seed is not None else None
    with command_store(args) as store:
        actor = command_actor(args)
        record = None
        if args.redraw:
            record = lots.redraw(store, actor, args.cycle, args.redraw, reviewer=args.reviewer, seed=seed, on=args.on)
        elif not args.list:
            record = lots.draw(store, actor, args.cycle, seed=seed, rules=rules, on=args.on)
        rows = lots.drawn_list(store, actor, args.cycle)
        table = lots.list_table(store, actor, args.cycle, args.lang)
        if args.out is not None:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(lots.list_file(store, actor, args.cycle, fmt, args.lang))
    if args.json:
        print(json.dumps({
            "cycle": args.cycle,
            "drawn": None if record is None else {"id": record.id, "kind": record.kind, "seed": record.seed,
                                                  "party": record.party, "rules": record.rules.as_dict()},
            "list": table.to_dicts(),
        }, ensure_ascii=False, indent=2))
    else:
        if record is not None and record.kind == "draw":
            count = sum(1 for r in rows if r.draw_id == record.id)
            print(t("lots.cli.drawn", args.lang, count=count, cycle=args.cycle, seed=record.seed, draw=record.id))
        elif record is not None:
            row = next(r for r in rows if r.party == record.party)
            print(t("lots.cli.redrawn", args.lang, party=record.party, cycle=args.cycle, seed=record.seed,
                    draw=record.id, reviewers=f"{row.regional_reviewer}, {row.other_reviewer}"))
        if not rows:
            print(t("lots.cli.nothing", args.lang, cycle=args.cycle))
        else:
            headers = lots.list_headers(args.lang)
            print(" | ".join(headers[c] for c in ("party", "regional_reviewer", "other_reviewer", "seed", "redraws")))
            for line in table.iter_rows(named=True):
                print(f"{line['party']} {line['party_name']} | {line['regional_reviewer']} {line['regional_reviewer_name']}"
                      f" | {line['other_reviewer']} {line['other_reviewer_name']} | {line['seed']} | {line['redraws']}")
    if args.out is not None:
        print(t("lots.cli.written", args.lang, path=args.out), file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("review-lots", help="draw lots for the reviewing Parties of a cycle; redraw; the COP's list")
    p.add_argument("--cycle", required=True, help="cycle id")
    p.add_argument("--seed", help="seed of the draw, a whole number (default: a new random one, printed)")
    p.add_argument("--rules", type=Path, metavar="FILE.yaml",
                   help="the rules of the drawing (default: data/review_rules.yaml; a later draw keeps the first's)")
    p.add_argument("--redraw", metavar="PARTY", help="draw again the reviewers of this Party under review")
    p.add_argument("--reviewer", metavar="PARTY", help="with --redraw: replace only this reviewer")
    p.add_argument("--list", action="store_true", help="show the list only, draw nothing")
    p.add_argument("--on", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                   help="the day whose treaty status says who may review (default: today)")
    p.add_argument("--json", action="store_true", help="print the draw and the list as JSON")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the list to FILE (.csv, .xlsx or .json)")
    p.set_defaults(func=cmd_review_lots)
