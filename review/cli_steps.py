"""`review cycles|users|submission|profile`: the secretariat's steps from a script, through the same
library functions (and so the same rules, audit entries and notices) as the app's pages.

Each command acts as its named system context (`system:review cycles create`), prints what it did
in `--lang`, or data as JSON with `--json`, and refuses a wrong value with a message naming it
(exit status 1, nothing changed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from review.cli_context import command_actor, command_store
from review.i18n import t

# written here so that `review --help` imports none of the library; tests keep them equal to its own
ROLES = ("focal_point", "contributor", "observer", "secretariat", "provider", "reviewer")


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _cycle_data(cycle) -> dict:
    return {"id": cycle.id, "title": cycle.title, "questionnaire": cycle.questionnaire_id,
            "version": cycle.questionnaire_version, "chapters": list(cycle.chapters),
            "opens": cycle.opens, "deadline": cycle.deadline, "created_by": cycle.created_by}


def cmd_cycles_list(args) -> int:
    from review.cycles import list_cycles, participants
    from review.formats import date

    with command_store(args) as store:
        rows = [{**_cycle_data(c), "parties": len(participants(store, c.id))} for c in list_cycles(store)]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print(t("cli_steps.no_cycles", args.lang))
    for row in rows:
        print(t("cli_steps.cycle_line", args.lang, id=row["id"], title=row["title"], deadline=date(row["deadline"], args.lang),
                parties=row["parties"], chapters=", ".join(row["chapters"])))
    return 0


def cmd_cycles_create(args) -> int:
    from review import cycles
    from review.formats import date

    with command_store(args) as store:
        qid, _, version = args.questionnaire.partition(":")
        if not version:
            known = [v for q, v in cycles.registered_questionnaires(store) if q == qid]
            version = known[-1] if known else ""
        if args.parties is not None:
            parties = _codes(args.parties)
        else:  # as the page's "every Party" does: the States that are Parties on the opening day
            parties = cycles.parties_on_opening(store, qid, version, args.opens)
            if not parties:
                from review.errors import Problem, ValidationFailed

                day = args.opens or dt.date.today()
                raise ValidationFailed([Problem("parties", "ops2.no_parties_on", {"day": date(day, args.lang)})])
        cycle = cycles.create_cycle(store, command_actor(args), cycle_id=args.id, title=args.title,
                                    questionnaire_id=qid, questionnaire_version=version,
                                    chapters=_codes(args.chapters), parties=parties,
                                    deadline=args.deadline, opens=args.opens)
        count = len(cycles.participants(store, cycle.id))
    if args.json:
        _print_json({**_cycle_data(cycle), "parties": count})
    else:
        print(t("cli_steps.cycle_created", args.lang, id=cycle.id, parties=count, deadline=date(cycle.deadline, args.lang)))
    return 0


def cmd_cycles_extend(args) -> int:
    from review.cycles import extend_deadline
    from review.formats import date

    with command_store(args) as store:
        cycle = extend_deadline(store, command_actor(args), args.cycle, args.deadline)
    if args.json:
        _print_json(_cycle_data(cycle))
    else:
        print(t("cli_steps.deadline_extended", args.lang, id=cycle.id, deadline=date(cycle.deadline, args.lang)))
    return 0


def _user_data(user) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role.value, "party": user.party,
            "provider": user.provider, "active": user.active, "created_at": user.created_at}


def cmd_users_list(args) -> int:
    from review.users import list_users

    with command_store(args) as store:
        if args.party is not None:  # a filter naming no Party would list nobody: refused, as `review audit` does
            from review.errors import Problem, ValidationFailed
            from review.parties import all_parties

            if args.party not in all_parties(store):
                raise ValidationFailed([Problem("party", "audit_trail.unknown_party", {"value": args.party})])
        rows = [_user_data(u) for u in list_users(store, command_actor(args))
                if (args.role is None or u.role.value == args.role) and (args.party is None or u.party == args.party)]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        state = "" if row["active"] else f"  ({t('cli_steps.inactive', args.lang)})"
        where = row["party"] or row["provider"] or ""
        print(f"{row['email']}  {row['name']}  {t('roles.' + row['role'], args.lang)}  {where}{state}")
    return 0


def _user_by_email(store, email: str):
    from review.errors import NotFound
    from review.users import find_by_email

    user = find_by_email(store, email)
    if user is None:
        raise NotFound("cli_steps.no_such_user", email=email)
    return user


def cmd_users_invite(args) -> int:
    from review.formats import datetime
    from review.invitations import invite

    with command_store(args) as store:
        made = invite(store, command_actor(args), email=args.email, name=args.name, role=args.role, party=args.party,
                      provider=args.provider)
    base = os.environ.get("REVIEW_BASE_URL", "").strip().rstrip("/")
    link = f"{base}/activate?token={made.token}" if base else None
    if args.json:
        _print_json({**_user_data(made.user), "token": made.token, "link": link, "expires_at": made.expires_at})
    else:
        print(t("cli_steps.invited", args.lang, email=made.user.email, expires=datetime(made.expires_at, args.lang)))
        print(link or t("cli_steps.token_only", args.lang, token=made.token))
    return 0


def cmd_users_deactivate(args) -> int:
    from review.users import set_active

    with command_store(args) as store:
        actor = command_actor(args)
        user = set_active(store, actor, _user_by_email(store, args.email).id, False)
    if args.json:
        _print_json(_user_data(user))
    else:
        print(t("cli_steps.deactivated", args.lang, email=user.email))
    return 0


def _step_done(args, sub) -> int:
    if args.json:
        _print_json({"cycle": sub.cycle_id, "party": sub.party, "state": sub.state})
    else:
        print(t("cli_steps.step_done", args.lang, party=sub.party, cycle=sub.cycle_id,
                state=t("states." + sub.state, args.lang)))
    return 0


def _provision_comments(pairs: list[str]) -> dict[str | None, str]:
    from review.errors import Problem, ValidationFailed

    found: dict[str | None, str] = {}
    problems = []
    for pair in pairs or []:
        provision, sep, body = pair.partition("=")
        if not sep or not provision.strip():
            problems.append(Problem("comments", "cli_steps.bad_provision_comment", {"value": pair}))
            continue
        found[provision.strip()] = body
    if problems:
        raise ValidationFailed(problems)
    return found


def cmd_submission(args) -> int:
    from review import submissions

    with command_store(args) as store:
        actor = command_actor(args)
        if args.action == "return":
            comments = _provision_comments(args.provision_comment)
            if args.comment is not None:
                comments[None] = args.comment
            _check_provisions(store, args.cycle, comments)
            sub = submissions.return_for_clarification(store, actor, args.cycle, args.party, comments)
        elif args.action == "validate":
            sub = submissions.validate(store, actor, args.cycle, args.party)
        else:
            sub = submissions.publish(store, actor, args.cycle, args.party)
    return _step_done(args, sub)


def _check_provisions(store, cycle_id: str, comments: dict) -> None:
    """A comment on a provision the cycle's questionnaire does not have is refused, naming it."""
    from review.cycles import cycle_questionnaire, get_cycle
    from review.errors import Problem, ValidationFailed

    known = {p.id for p in cycle_questionnaire(store, get_cycle(store, cycle_id)).provisions()}
    unknown = sorted(p for p in comments if p is not None and p not in known)
    if unknown:
        raise ValidationFailed([Problem("comments", "cli_steps.unknown_provision", {"value": ", ".join(unknown)})])


def cmd_profile(args) -> int:
    from review.analysis.profile import country_profile
    from review.analysis.scope import open_view
    from review.cycles import get_cycle
    from review.reports.country_profile import country_profile_pdf

    with command_store(args) as store:
        actor = command_actor(args)
        cycle = get_cycle(store, args.cycle)
        with open_view(store, actor, [cycle.id], lang=args.lang) as source:
            profile = country_profile(source, actor, args.party, cycle.id, published_only=args.published_only,
                                      lang=args.lang)
        data = country_profile_pdf(profile, args.lang)
    args.out.write_bytes(data)
    print(t("cli_steps.profile_written", args.lang, path=args.out, party=args.party, cycle=cycle.id))
    return 0


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def register(sub) -> None:
    cycles = sub.add_parser("cycles", help="review cycles: list, open one, extend a deadline").add_subparsers(
        dest="action", required=True)
    p = cycles.add_parser("list", help="every cycle, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cycles_list)
    p = cycles.add_parser("create", help="open a cycle: one submission, not started, per Party")
    p.add_argument("--id", required=True, help="cycle code: lower-case letters, digits and -")
    p.add_argument("--title", required=True)
    p.add_argument("--questionnaire", required=True, help="ID or ID:VERSION (default: the latest registered version)")
    p.add_argument("--chapters", required=True, help="chapters in scope, comma-separated (I,II,IV)")
    p.add_argument("--parties", help="ISO 3166 alpha-3 codes, comma-separated (KEN,FRA,EUU); default: the States "
                   "that are Parties to the questionnaire's instrument on the opening day (recorded treaty status)")
    p.add_argument("--deadline", type=_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--opens", type=_date, help="YYYY-MM-DD (default: open now)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cycles_create)
    p = cycles.add_parser("extend", help="move a cycle's deadline later")
    p.add_argument("cycle", help="cycle id")
    p.add_argument("--deadline", type=_date, required=True, help="the new deadline, YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cycles_extend)

    users = sub.add_parser("users", help="user accounts: list, invite, deactivate").add_subparsers(
        dest="action", required=True)
    p = users.add_parser("list", help="every account")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--party", help="only this Party's users (ISO3)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_list)
    p = users.add_parser("invite", help="create an account and print its one-time activation link")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--party", help="ISO3, for a Party's focal point, contributor or observer")
    p.add_argument("--provider", help="the organization, for a provider user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_invite)
    p = users.add_parser("deactivate", help="end an account's access (its sessions end with it)")
    p.add_argument("email")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_deactivate)

    steps = sub.add_parser("submission", help="the secretariat's workflow steps: return, validate, publish")
    steps = steps.add_subparsers(dest="action", required=True)
    for name, text in (("return", "return a submission to its Party for clarification, with comments"),
                       ("validate", "validate a submitted submission"),
                       ("publish", "publish a validated submission (its answers public if the Party consented)")):
        p = steps.add_parser(name, help=text)
        p.add_argument("--cycle", required=True)
        p.add_argument("--party", required=True, help="ISO3")
        if name == "return":
            p.add_argument("--comment", help="a general comment to the Party")
            p.add_argument("--provision-comment", action="append", metavar="PROVISION=TEXT",
                           help="a comment on one provision (repeat for more)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_submission)

    p = sub.add_parser("profile", help="a Party's country profile as a PDF")
    p.add_argument("--party", required=True, help="ISO3")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--published-only", action="store_true", help="only what is published")
    p.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    p.set_defaults(func=cmd_profile)
