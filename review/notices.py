"""Reminders and notices by e-mail: queued in an outbox in the same transaction as the event, sent by SMTP.

An event (a submission returned, validated or published; a match accepted) queues one message per
recipient inside the transaction that makes the change, so a notice is never lost nor sent for a
change that was rolled back. Reminders (a deadline approaching or passed, a peer review stage due)
are computed from `review.rules`, the one definition of deadlines and lateness, and queued once
each (a `dedup_key` per recipient and step). Messages are rendered in the recipient's language when
queued. `send_due` delivers what is due through the installation's SMTP server: a message the
server does not take waits and is tried again later (backing off), one it refuses for good is
marked failed, and every attempt is recorded. One delivery runs at a time in a process, and a
message is marked sent in the database as soon as the server took it, so it is sent once.

Each user chooses the kinds they receive and their language (`choose`); nothing is queued for a
muted kind or an inactive account.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Iterable, Mapping

from review import audit, rules
from review.access import Actor, Role, require
from review.errors import Problem, ReviewError, ValidationFailed
from review.i18n import LANGUAGES, t
from review.store import Store

log = logging.getLogger(__name__)

# every kind of notice, in the order the account page lists them
KINDS = ("deadline", "returned", "validated", "published", "match_suggested", "match_accepted", "stage_due")
# the kinds each role can receive (the account page offers these)
_PARTY_KINDS = ("deadline", "returned", "validated", "published", "match_suggested", "match_accepted", "stage_due")
ROLE_KINDS: dict[Role, tuple[str, ...]] = {
    Role.FOCAL_POINT: _PARTY_KINDS,
    # a peer review's stages are told to its experts and to whoever acts at them (`_stage_people`)
    Role.CONTRIBUTOR: tuple(k for k in _PARTY_KINDS if k != "stage_due"),
    Role.OBSERVER: ("validated", "published"),
    Role.SECRETARIAT: ("match_accepted", "stage_due"),
    Role.PROVIDER: ("match_accepted",),
    Role.REVIEWER: ("stage_due",),
}
# a Party's users who act on its submission (deadline reminders and returns go to them)
_ACTING = ("focal_point", "contributor")
_PARTY_USERS = ("focal_point", "contributor", "observer")
# a deadline passed: "late" is told once, within this many days after it (not for cycles long closed)
LATE_NOTICE_DAYS = 7
# retries back off from one minute, doubling, up to six hours; a message is never dropped for waiting
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=6)
SEND_BATCH = 200

_DELIVERY = threading.Lock()


# ---------------------------------------------------------------------------------------------------
# what each user chooses

@dataclass(frozen=True)
class Preferences:
    user_id: str
    language: str
    wanted: frozenset[str]
    offered: tuple[str, ...]


def _role_kinds(role: str | Role) -> tuple[str, ...]:
    try:
        return ROLE_KINDS.get(Role(role), ())
    except ValueError:
        return ()


def preferences(store: Store, actor: Actor, user_id: str | None = None) -> Preferences:
    """A user's choice of notices (one's own; the secretariat's for anyone). By default every kind
    the role can receive, in the language of the user's interface (English until they choose one)."""
    user_id = _whose(actor, user_id)
    with store.read() as cur:
        row = cur.execute("SELECT role, language FROM app_user WHERE id = ?", [user_id]).fetchone()
        if row is None:
            from review.errors import NotFound

            raise NotFound("errors.user_not_found", user=user_id)
        chosen = cur.execute("SELECT language, muted FROM notice_preference WHERE user_id = ?", [user_id]).fetchone()
    offered = _role_kinds(row[0])
    language, muted = (chosen[0], set(chosen[1])) if chosen else (row[1] or "en", set())
    return Preferences(user_id, language, frozenset(k for k in offered if k not in muted), offered)


def _whose(actor: Actor, user_id: str | None) -> str:
    require(actor, "notice.choose")
    user_id = user_id or actor.id
    if user_id != actor.id:
        require(actor, "user.manage")
    return user_id


def choose(store: Store, actor: Actor, *, kinds: Iterable[str], language: str, user_id: str | None = None) -> Preferences:
    """Record which kinds of notice a user receives and in which language; an unknown kind or
    language is refused, naming it, and nothing is changed."""
    user_id = _whose(actor, user_id)
    kinds = list(kinds)
    problems = []
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        problems.append(Problem("notice_kinds", "notices.unknown_kind", {"value": ", ".join(map(str, unknown)),
                                                                          "allowed": ", ".join(KINDS)}))
    if language not in LANGUAGES:
        problems.append(Problem("notice_language", "notices.unknown_language", {"value": str(language),
                                                                                 "allowed": ", ".join(LANGUAGES)}))
    if problems:
        raise ValidationFailed(problems)
    before = preferences(store, actor, user_id)
    muted = sorted(set(KINDS) - set(kinds))
    with store.transaction() as cur:
        cur.execute("DELETE FROM notice_preference WHERE user_id = ?", [user_id])
        cur.execute("INSERT INTO notice_preference VALUES (?, ?, ?, current_timestamp)", [user_id, language, muted])
        audit.record(cur, actor, "notice.choose", "user", user_id,
                     before={"language": before.language, "kinds": sorted(before.wanted)},
                     after={"language": language, "kinds": sorted(k for k in before.offered if k not in muted)})
    return preferences(store, actor, user_id)


# ---------------------------------------------------------------------------------------------------
# queuing, inside the caller's transaction

@dataclass(frozen=True)
class Recipient:
    user_id: str
    email: str
    language: str


def _recipients(cur, kind: str, where: str, params: list) -> list[Recipient]:
    """Active accounts matching `where` that did not mute `kind`, with their language."""
    return [person for _, person in _recipients_with(cur, kind, where, params)]


def _recipients_with(cur, kind: str, where: str, params: list, extra: str = "NULL") -> list[tuple[object, Recipient]]:
    """`_recipients`, each with the value of the SQL expression `extra` over its account `u`."""
    rows = cur.execute(
        f"SELECT u.id, u.email, coalesce(p.language, u.language, 'en'), u.role, {extra} FROM app_user u "
        "LEFT JOIN notice_preference p ON p.user_id = u.id "
        f"WHERE u.active AND ({where}) AND NOT list_contains(coalesce(p.muted, []::VARCHAR[]), ?) ORDER BY u.id",
        [*params, kind]).fetchall()
    return [(r[4], Recipient(*r[:3])) for r in rows if kind in _role_kinds(r[3])]


def _party_users(cur, kind: str, parties: Iterable[str], roles: tuple[str, ...]) -> list[Recipient]:
    return [person for _, person in _party_recipients(cur, kind, parties, roles)]


def _party_recipients(cur, kind: str, parties: Iterable[str], roles: tuple[str, ...]) -> list[tuple[str, Recipient]]:
    """`_party_users` of several Parties, each with its Party, in one statement."""
    parties = sorted(set(parties))
    if not parties:
        return []
    return _recipients_with(cur, kind, "list_contains(?, u.party) AND list_contains(?, u.role)", [parties, list(roles)],
                            extra="u.party")


def _names(cur, party: str) -> dict[str, str]:
    row = cur.execute("SELECT name_en, name_zh, name_fr, name_es, name_ru, name_ar FROM party WHERE code = ?",
                      [party]).fetchone()
    if row is None:
        return {lang: party for lang in LANGUAGES}
    return {lang: (row[i] or row[0]) for i, lang in enumerate(("en", "zh", "fr", "es", "ru", "ar"))}


def _names_of(cur, parties: list[str]) -> dict[str, dict[str, str]]:
    """`_names` of several Parties in one statement."""
    rows = cur.execute("SELECT code, name_en, name_zh, name_fr, name_es, name_ru, name_ar FROM party "
                       "WHERE list_contains(?::VARCHAR[], code)", [parties]).fetchall()
    found = {row[0]: {lang: (row[1 + i] or row[1]) for i, lang in enumerate(("en", "zh", "fr", "es", "ru", "ar"))}
             for row in rows}
    return {party: found.get(party) or {lang: party for lang in LANGUAGES} for party in parties}


def _date(day: dt.date, lang: str) -> str:
    from review.formats import date

    return date(day, lang, "long")


def render(kind: str, lang: str, params: Mapping[str, object], template: str | None = None) -> tuple[str, str]:
    """Subject and body of a notice in `lang` (the messages `notices.<template or kind>.*`). Values
    that differ per language (a Party's names, a date) come as a mapping language -> text; the body
    ends with why the user receives it."""
    template = template or kind
    local = {k: (v.get(lang) or v.get("en")) if isinstance(v, Mapping) else v for k, v in params.items()}
    if isinstance(local.get("due"), dt.date):
        local["due"] = _date(local["due"], lang)
    # a header holds one line: whitespace (a newline typed in a cycle's title) becomes one space
    prefix = template if "." in template else f"notices.{template}"  # a full key prefix, or one under notices
    subject = " ".join(t(f"{prefix}.subject", lang, **local).split())
    parts = [t(f"{prefix}.body", lang, **local)]
    url = os.environ.get("REVIEW_BASE_URL", "").strip()
    if url:
        parts.append(t("notices.open_at", lang, url=url))
    parts.append(t("notices.why", lang, kind=t(f"notices.kinds.{kind}", lang)))
    return subject, "\n\n".join(parts) + "\n"


def _queue(cur, actor: Actor, kind: str, recipients: list[Recipient], params: Mapping[str, object], *,
           about: str, dedup: str | None = None, template: str | None = None) -> int:
    return _insert_notices(cur, actor, _rendered(kind, recipients, params, about=about, dedup=dedup, template=template,
                                                 cur=cur))


def _rendered(kind: str, recipients: list[Recipient], params: Mapping[str, object], *, about: str,
              dedup: str | None = None, template: str | None = None, cur=None) -> list[list]:
    """The outbox rows of one notice, rendered in each recipient's language; with `dedup`, none for
    a recipient already told (looked up with `cur`)."""
    rows = []
    for person in recipients:
        key = f"{dedup}:{person.user_id}" if dedup else None
        if key and cur.execute("SELECT 1 FROM notice_outbox WHERE dedup_key = ?", [key]).fetchone():
            continue
        subject, body = render(kind, person.language, params, template)
        rows.append([kind, key, person.user_id, person.email, person.language, subject, body, about])
    return rows


def _insert_notices(cur, actor: Actor, rows: list[list]) -> int:
    """Outbox rows (kind, dedup key, user, e-mail, language, subject, body, about) in one statement, in order."""
    if not rows:
        return 0
    cur.execute(
        "INSERT INTO notice_outbox (kind, dedup_key, user_id, email, language, subject, body, about, queued_at, "
        "queued_by, next_attempt_at) VALUES "
        + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?, current_timestamp)"] * len(rows)),
        [value for row in rows for value in (*row, actor.id)])
    return len(rows)


STEP_KINDS = {"return": "returned", "validate": "validated", "publish": "published"}


def submission_step(cur, actor: Actor, step: str, cycle_id: str, party: str, *, comments: int = 0) -> int:
    """Queue the notice of a secretariat's step on a Party's submission (call it in the step's
    transaction): a return goes to those who edit the answers, a validation or a publication to
    all the Party's users."""
    return submission_steps(cur, actor, step, cycle_id, [party], comments={party: comments})


def submission_steps(cur, actor: Actor, step: str, cycle_id: str, parties: Iterable[str], *,
                     comments: Mapping[str, int] | None = None) -> int:
    """`submission_step` for several Parties' submissions in one cycle, read and queued in a few
    statements, the Parties in the order given."""
    kind = STEP_KINDS.get(step)
    parties = list(parties)
    if kind is None or not parties:
        return 0
    comments = comments or {}
    title = cur.execute("SELECT title FROM cycle WHERE id = ?", [cycle_id]).fetchone()
    roles = _ACTING if kind == "returned" else _PARTY_USERS
    names = _names_of(cur, parties)
    people: dict[str, list[Recipient]] = {}
    for party, person in _party_recipients(cur, kind, parties, roles):
        people.setdefault(party, []).append(person)
    rows = []
    for party in parties:
        params = {"cycle": title[0] if title else cycle_id, "party": names[party], "comments": comments.get(party, 0)}
        rows += _rendered(kind, people.get(party, []), params, about=f"{cycle_id}/{party}")
    return _insert_notices(cur, actor, rows)


def match_accepted(cur, actor: Actor, need_party: str, offer_id: str, description: str, provider: str,
                   provider_party: str | None) -> int:
    """Queue the notice that a Party accepted a match with an offer: to the offer's organization's
    users (or its providing Party's focal point and contributors) and the secretariat."""
    kind = "match_accepted"
    people = _recipients(cur, kind, "(u.role = 'provider' AND u.provider = ?) OR u.role = 'secretariat'", [provider])
    if provider_party:
        people += _party_users(cur, kind, [provider_party], _ACTING)
    params = {"party": _names(cur, need_party), "offer": offer_id, "description": description, "provider": provider}
    return _queue(cur, actor, kind, people, params, about=f"offer/{offer_id}")


@dataclass(frozen=True)
class Reminders:
    deadline: int
    late: int
    stage_due: int

    @property
    def total(self) -> int:
        return self.deadline + self.late + self.stage_due


def queue_reminders(store: Store, actor: Actor, today: dt.date | None = None) -> Reminders:
    """Queue the reminders due on `today`: a deadline `rules.REMINDER_DAYS` away for each Party that
    has not submitted (to its focal points and contributors), a deadline passed (`rules.is_late`,
    told once within `LATE_NOTICE_DAYS`), and a peer review stage due. Each is queued once per
    recipient and step, however often this runs."""
    require(actor, "notice.send")
    today = today or dt.date.today()
    counts = {"deadline": 0, "late": 0, "stage_due": 0}
    with store.transaction() as cur:
        rows = cur.execute(
            "SELECT c.id, c.title, c.deadline, s.party, s.state FROM submission s JOIN cycle c ON c.id = s.cycle_id "
            "WHERE c.deadline >= ? AND (c.opens IS NULL OR c.opens <= ?) ORDER BY c.id, s.party",
            [today - dt.timedelta(days=LATE_NOTICE_DAYS), today]).fetchall()
        for cycle_id, title, deadline, party, state in rows:
            step = rules.deadline_reminder(state, deadline, today)
            late = step is None and rules.is_late(state, deadline, today)
            if step is None and not late:
                continue
            params = {"cycle": title, "party": _names(cur, party), "due": deadline, "days": (deadline - today).days}
            kind = "deadline"
            counts["late" if late else "deadline"] += _queue(
                cur, actor, kind, _party_users(cur, kind, [party], _ACTING), params, about=f"{cycle_id}/{party}",
                dedup=f"deadline:{cycle_id}:{party}:{'late' if late else step}", template="late" if late else None)
        counts["stage_due"] += _stage_reminders(cur, actor, today)
    return Reminders(**counts)


def _stage_people(cur, kind: str, review_id: str, party: str, stage: str) -> list[Recipient]:
    """Who is told of a review's stage: the experts attached to that review (never the other users
    of their Party, nor an expert removed from it), and whoever acts at the stage (`STAGE_SIDE`):
    the reviewed Party's focal point for its stages, the secretariat for its own."""
    from review.peer.reviews import STAGE_SIDE

    where, params = "u.id IN (SELECT user_id FROM peer_review_expert WHERE review_id = ? AND removed_at IS NULL)", [review_id]
    side = STAGE_SIDE.get(stage)
    if side == "party":
        where, params = where + " OR (u.role = 'focal_point' AND u.party = ?)", params + [party]
    elif side == "secretariat":
        where += " OR u.role = 'secretariat'"
    return _recipients(cur, kind, where, params)


def _stage_reminders(cur, actor: Actor, today: dt.date) -> int:
    """The stage under way of each peer review (the next to complete: stages are completed in order),
    when its planned date is near (`rules.reminder_step`), or passed (`rules.stage_late`, told once
    within `LATE_NOTICE_DAYS`), to the review's experts and whoever acts at the stage (`_stage_people`).
    A later stage is not told while an earlier one is open: nobody can act on it yet (the focal point
    cannot agree to a report not drafted), and a late stage would drag every later one into its notices."""
    from review.peer import STAGES

    kind, queued = "stage_due", 0
    rows = cur.execute(
        "SELECT s.review_id, s.stage, s.planned, r.party, r.cycle_id, c.title, r.stage FROM peer_review_stage s "
        "JOIN peer_review r ON r.id = s.review_id LEFT JOIN cycle c ON c.id = r.cycle_id "
        "WHERE s.done_at IS NULL AND s.planned IS NOT NULL AND s.planned >= ? ORDER BY s.review_id, s.planned",
        [today - dt.timedelta(days=LATE_NOTICE_DAYS)]).fetchall()
    for review_id, stage, planned, party, cycle_id, title, reached in rows:
        if STAGES.index(stage) != STAGES.index(reached) + 1:
            continue  # not the stage under way
        late = rules.stage_late(planned, None, today)
        step = "late" if late else rules.reminder_step(planned, today)
        if step is None:
            continue
        stage_names = {lang: t(f"notices.stages.{stage}", lang) for lang in LANGUAGES}
        params = {"cycle": title or cycle_id, "party": _names(cur, party), "stage": stage_names, "due": planned,
                  "days": abs((planned - today).days)}
        queued += _queue(cur, actor, kind, _stage_people(cur, kind, review_id, party, stage), params, about=review_id,
                         dedup=f"stage:{review_id}:{stage}:{planned}:{step}",
                         template="peer2.stage_late" if late else None)
    return queued


def queue_suggestions(store: Store, actor: Actor, cycle_id: str | None = None, today: dt.date | None = None) -> int:
    """Tell each Party's focal points and contributors of the TA matches newly suggested for its needs
    (the matching report of the cycle, default the latest): one message per Party listing the offers,
    each pair told once (`notice_mark`). Returns the messages queued."""
    require(actor, "notice.send")
    from review.matching.report import match_report

    lines = [ln for ln in match_report(store, actor, cycle_id, today=today).lines if ln["state"] == "suggested"]
    kind, queued = "match_suggested", 0
    with store.transaction() as cur:
        told = {r[0] for r in cur.execute("SELECT key FROM notice_mark WHERE key LIKE 'suggested:%'").fetchall()}
        fresh: dict[str, list[dict]] = {}
        for line in lines:
            key = f"suggested:{line['need_key']}|{line['offer_id']}"
            if key not in told:
                fresh.setdefault(line["party"], []).append(line)
                told.add(key)
        for party, found in sorted(fresh.items()):
            offers = "\n".join(f"- {ln['offer_id']} ({ln['provider']})" for ln in found)
            params = {"party": _names(cur, party), "count": len(found), "offers": offers}
            queued += _queue(cur, actor, kind, _party_users(cur, kind, [party], _ACTING), params, about=f"party/{party}")
            cur.executemany("INSERT INTO notice_mark VALUES (?, current_timestamp)",
                            [[f"suggested:{ln['need_key']}|{ln['offer_id']}"] for ln in found])
    return queued


# ---------------------------------------------------------------------------------------------------
# the outbox

@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    user_id: str
    email: str
    language: str
    subject: str
    body: str
    about: str | None
    queued_at: dt.datetime
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    sent_at: dt.datetime | None
    message_id: str | None
    failed_at: dt.datetime | None

    @property
    def status(self) -> str:
        return "sent" if self.sent_at else "failed" if self.failed_at else "waiting"


_NOTICE_COLUMNS = ("id, kind, user_id, email, language, subject, body, about, queued_at, attempts, next_attempt_at, "
                   "last_error, sent_at, message_id, failed_at")
STATUSES = ("waiting", "sent", "failed")
_STATUS_SQL = {"waiting": "sent_at IS NULL AND failed_at IS NULL", "sent": "sent_at IS NOT NULL",
               "failed": "failed_at IS NOT NULL"}


def outbox(store: Store, actor: Actor, status: str | None = None, limit: int = 500) -> list[Notice]:
    """The newest messages first, optionally only those waiting, sent or failed (secretariat)."""
    require(actor, "notice.read")
    if status is not None and status not in STATUSES:
        raise ValidationFailed([Problem("status", "notices.unknown_status",
                                        {"value": status, "allowed": ", ".join(STATUSES)})])
    where = f" WHERE {_STATUS_SQL[status]}" if status else ""
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_NOTICE_COLUMNS} FROM notice_outbox{where} ORDER BY id DESC LIMIT ?",
                           [limit]).fetchall()
    return [Notice(*r) for r in rows]


def counts(store: Store, actor: Actor) -> dict[str, int]:
    """How many messages are waiting, sent and failed (secretariat)."""
    require(actor, "notice.read")
    with store.read() as cur:
        row = cur.execute(f"SELECT {', '.join(f'count(*) FILTER ({_STATUS_SQL[s]})' for s in STATUSES)} "
                          "FROM notice_outbox").fetchone()
    return dict(zip(STATUSES, row))


def attempts(store: Store, actor: Actor, notice_id: int) -> list[tuple[dt.datetime, str, str | None]]:
    """Every delivery attempt of one message: when, outcome (sent, retry, failed) and what the server said."""
    require(actor, "notice.read")
    with store.read() as cur:
        return [tuple(r) for r in cur.execute(
            "SELECT attempted_at, outcome, detail FROM notice_attempt WHERE notice_id = ? ORDER BY attempted_at",
            [notice_id]).fetchall()]


# ---------------------------------------------------------------------------------------------------
# sending

TLS_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class Smtp:
    """How the installation reaches its mail server (`REVIEW_SMTP_*`, docs/operations.md)."""

    host: str
    port: int
    sender: str
    tls: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:  # never show the password in a log or a traceback
        return f"Smtp(host={self.host!r}, port={self.port}, tls={self.tls!r}, user={self.user!r}, sender={self.sender!r})"


def smtp_from_env(env: Mapping[str, str] | None = None) -> Smtp | None:
    """The SMTP settings from the environment, or None when `REVIEW_SMTP_HOST` is not set (mail off).
    A setting that cannot be used is refused, naming the variable."""
    env = os.environ if env is None else env
    host = (env.get("REVIEW_SMTP_HOST") or "").strip()
    if not host:
        return None
    tls = (env.get("REVIEW_SMTP_TLS") or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise ReviewError("notices.bad_setting", name="REVIEW_SMTP_TLS", value=tls, allowed=", ".join(TLS_MODES))
    raw_port = (env.get("REVIEW_SMTP_PORT") or ("465" if tls == "ssl" else "587")).strip()
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ReviewError("notices.bad_setting", name="REVIEW_SMTP_PORT", value=raw_port, allowed="1-65535")
    sender = (env.get("REVIEW_SMTP_FROM") or "").strip()
    if "@" not in sender:
        raise ReviewError("notices.bad_setting", name="REVIEW_SMTP_FROM", value=sender, allowed="name@example.org")
    password = env.get("REVIEW_SMTP_PASSWORD")
    secret = (env.get("REVIEW_SMTP_PASSWORD_FILE") or "").strip()
    if secret:
        try:
            with open(secret, encoding="utf-8") as handle:
                password = handle.read(4096).strip()
        except OSError as error:
            raise ReviewError("notices.bad_setting", name="REVIEW_SMTP_PASSWORD_FILE", value=secret,
                              allowed=error.strerror or "a readable file") from None
    user = (env.get("REVIEW_SMTP_USER") or "").strip() or None
    return Smtp(host, int(raw_port), sender, tls, user, password)


@dataclass(frozen=True)
class Delivery:
    sent: int
    retried: int
    failed: int
    waiting: int


def _connect(smtp: Smtp) -> smtplib.SMTP:
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
    if smtp.user:
        client.login(smtp.user, smtp.password or "")
    return client


def _message(smtp: Smtp, notice: Notice) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = notice.email
    message["Subject"] = notice.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = notice.message_id or make_msgid(f"notice-{notice.id}", smtp.sender.rpartition("@")[2])
    message["Content-Language"] = notice.language
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(notice.body)
    return message


def _permanent(error: Exception) -> bool:
    """A refusal that trying again will not change (5xx for the recipient or the message)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False  # our own From address or server settings: fix them, the messages wait
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _backoff(attempts_made: int) -> dt.timedelta:
    return min(RETRY_FIRST * (2 ** max(attempts_made - 1, 0)), RETRY_MAX)


def _record(store: Store, notice: Notice, now: dt.datetime, outcome: str, detail: str | None = None,
            message_id: str | None = None) -> None:
    made = notice.attempts + 1
    with store.transaction() as cur:
        if outcome == "sent":
            cur.execute("UPDATE notice_outbox SET attempts = ?, sent_at = ?, message_id = ?, last_error = NULL "
                        "WHERE id = ?", [made, now, message_id, notice.id])
        elif outcome == "failed":
            cur.execute("UPDATE notice_outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?",
                        [made, now, detail, notice.id])
        else:
            cur.execute("UPDATE notice_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                        [made, now + _backoff(made), detail, notice.id])
        cur.execute("INSERT INTO notice_attempt VALUES (?, ?, ?, ?)", [notice.id, now, outcome, detail])


def _detail(error: Exception) -> str:
    return (f"{type(error).__name__}: {error}")[:500]


def send_due(store: Store, actor: Actor, smtp: Smtp, now: dt.datetime | None = None, limit: int = SEND_BATCH) -> Delivery:
    """Deliver the messages due (`now` defaults to the clock) through one SMTP connection. The server
    down: each due message is retried later and waits. One delivery at a time per process."""
    require(actor, "notice.send")
    with _DELIVERY:
        now = now or dt.datetime.now()
        with store.read() as cur:
            due = [Notice(*r) for r in cur.execute(
                f"SELECT {_NOTICE_COLUMNS} FROM notice_outbox WHERE sent_at IS NULL AND failed_at IS NULL "
                "AND next_attempt_at <= ? ORDER BY id LIMIT ?", [now, limit]).fetchall()]
        sent = retried = failed = 0
        if due:
            try:
                client = _connect(smtp)
            except (OSError, smtplib.SMTPException) as error:
                for notice in due:
                    _record(store, notice, now, "retry", _detail(error))
                log.warning("mail server %s:%s unreachable; %d message(s) wait: %s", smtp.host, smtp.port,
                            len(due), error)
                return Delivery(0, len(due), 0, _waiting(store))
            try:
                for notice in due:
                    message = _message(smtp, notice)
                    try:
                        client.send_message(message)
                    except (OSError, smtplib.SMTPException) as error:
                        if _permanent(error):
                            _record(store, notice, now, "failed", _detail(error))
                            failed += 1
                            continue
                        _record(store, notice, now, "retry", _detail(error))
                        retried += 1
                        if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                            break  # the connection is gone: the rest wait for the next round
                        continue
                    _record(store, notice, now, "sent", message_id=message["Message-ID"])
                    sent += 1
            finally:
                try:
                    client.quit()
                except (OSError, smtplib.SMTPException):
                    pass
        return Delivery(sent, retried, failed, _waiting(store))


def _waiting(store: Store) -> int:
    with store.read() as cur:
        return cur.execute("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL AND failed_at IS NULL").fetchone()[0]


class Sender(threading.Thread):
    """The app's background sender: every `every` seconds, the day's reminders (once a day) and the
    messages due. Errors are logged and the loop goes on; `stop()` ends it."""

    def __init__(self, store: Store, actor: Actor, smtp: Smtp, every: float = 60.0, today=dt.date.today) -> None:
        super().__init__(name="review-notices", daemon=True)
        self.store, self.actor, self.smtp, self.every, self.today = store, actor, smtp, every, today
        self._stop = threading.Event()
        self._reminded: dt.date | None = None

    def tick(self) -> None:
        today = self.today()
        if self._reminded != today:
            queue_reminders(self.store, self.actor, today)
            try:
                queue_suggestions(self.store, self.actor, today=today)
            except ReviewError as error:  # no cycle yet, say: nothing to suggest
                log.info("no match suggestions: %s", error.message("en"))
            self._reminded = today
        send_due(self.store, self.actor, self.smtp)

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a background loop must survive a bad round; it is logged
                log.exception("notice delivery round failed")
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()


def sender_from_env(store: Store, env: Mapping[str, str] | None = None) -> Sender | None:
    """The background sender the app starts when mail is configured (`REVIEW_SMTP_HOST`), every
    `REVIEW_NOTICES_EVERY` seconds (default 60); None when mail is off. Not started here."""
    from review.access import system

    env = os.environ if env is None else env
    smtp = smtp_from_env(env)
    if smtp is None:
        return None
    raw = (env.get("REVIEW_NOTICES_EVERY") or "60").strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ReviewError("notices.bad_setting", name="REVIEW_NOTICES_EVERY", value=raw, allowed="1, 2, 3... (seconds)")
    return Sender(store, system("notice sender"), smtp, every=float(raw))
