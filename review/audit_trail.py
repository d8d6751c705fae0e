"""The audit trail for people: the append-only log filtered by Party, user, action and date, each
change shown as labels in the reader's language (question labels, states, roles, TA types), never
as the JSON codes the log stores.

One function, `trail`, serves the secretariat's page and `review audit`; both show the same rows.
An entry changing several answers becomes one line per answer (`TrailLine`), so a table or a CSV
reads as "who changed what from what to what". The Party of an entry is found from what it is about
(a submission, a request, a match, an offer, an account, a published TA need), in SQL, so that the
Party filter runs in the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from review.access import Actor, require
from review.errors import Problem, ValidationFailed
from review.i18n import LANGUAGE_NAMES, label, messages, normalize, t
from review.store import Store

# what each line carries, in order: the columns of the CSV/Excel export and of `review audit --json`
COLUMNS = ("entry", "logged_at", "user", "user_id", "party", "party_name", "action", "action_label", "subject",
           "field", "before", "after")

# the actions the trail names in words (`audit_trail.actions.<action, dots as _>`); another is shown as its code
LABELLED_ACTIONS = (
    "answers.save", "answers.import", "answers.import.take_workbook", "revision.freeze", "comment.add",
    "submission.submit", "submission.consent", "submission.return", "submission.validate", "submission.publish",
    "cycle.create", "participation.record", "user.create", "user.invite", "user.activate_account", "user.role",
    "user.activate", "user.deactivate", "user.password_change", "user.login", "offer.register", "offer.withdraw",
    "request.file", "preference.languages", "match.accept", "match.decline", "match.start", "match.deliver",
    "need.publish", "need.unpublish", "offer.publish", "offer.unpublish",
    # country review reports and follow-up (review.peer.report, review.peer.followup)
    "report.draft", "report.edit_text", "report.add_item", "report.edit_item", "report.remove_item",
    "report.edit_summary", "report.redraft_summaries", "report.consent", "followup.record",
)

# the Party an entry concerns, from the entity it names
_PARTY_SQL = """
CASE a.entity
  WHEN 'submission' THEN s.party
  WHEN 'ta_request' THEN r.party
  WHEN 'ta_offer' THEN o.provider_party
  WHEN 'ta_preference' THEN a.entity_id
  WHEN 'user' THEN u.party
  WHEN 'participation' THEN split_part(a.entity_id, '/', 2)
  WHEN 'peer_review' THEN split_part(a.entity_id, '/', 2)
  WHEN 'review_report' THEN split_part(a.entity_id, '/', 2)
  WHEN 'review_summary' THEN split_part(a.entity_id, '/', 2)
  WHEN 'review_report_item' THEN split_part(ri.review_id, '/', 2)
  WHEN 'recommendation_followup' THEN rf.party
  WHEN 'ta_match' THEN m.party
  WHEN 'ta_need' THEN CASE WHEN a.entity_id LIKE 'q:%' THEN split_part(a.entity_id, '/', 2) ELSE r2.party END
END
"""

_FROM = f"""
FROM audit_log a
LEFT JOIN submission s ON a.entity = 'submission' AND s.id = a.entity_id
LEFT JOIN ta_request r ON a.entity = 'ta_request' AND r.id = a.entity_id
LEFT JOIN ta_request r2 ON a.entity = 'ta_need' AND 'r:' || r2.id = a.entity_id
LEFT JOIN ta_offer o ON a.entity = 'ta_offer' AND o.id = a.entity_id
LEFT JOIN app_user u ON a.entity = 'user' AND u.id = a.entity_id
LEFT JOIN ta_match m ON a.entity = 'ta_match' AND m.need_key || '|' || m.offer_id = a.entity_id
LEFT JOIN review_report_item ri ON a.entity = 'review_report_item' AND ri.id = a.entity_id
LEFT JOIN recommendation_followup rf ON a.entity = 'recommendation_followup' AND rf.item_id || '/' || rf.cycle_id = a.entity_id
LEFT JOIN app_user who ON who.id = a.actor
"""


@dataclass(frozen=True)
class Filters:
    """What to show: every filter left empty shows everything. `since` and `until` are days, both
    included; `action` is an action ('answers.save') or a family of them ('answers')."""

    party: str | None = None
    user: str | None = None
    action: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class TrailLine:
    entry: int
    logged_at: dt.datetime
    user: str
    user_id: str
    party: str | None
    party_name: str
    action: str
    action_label: str
    subject: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Trail:
    lines: list[TrailLine]
    entries: int

    def frame(self):
        import polars as pl

        schema = {c: (pl.Int64 if c == "entry" else pl.Datetime if c == "logged_at" else pl.String) for c in COLUMNS}
        return pl.DataFrame({c: [getattr(line, c) for line in self.lines] for c in COLUMNS}, schema=schema)

    def records(self) -> list[dict[str, Any]]:
        return [{c: (v.isoformat(sep=" ", timespec="seconds") if isinstance(v, dt.datetime) else v)
                 for c in COLUMNS for v in (getattr(line, c),)} for line in self.lines]


def known_actions(store: Store, actor: Actor) -> list[str]:
    """Every action the log holds or the trail has a label for, sorted: what the action filter offers."""
    require(actor, "audit.read")
    with store.read() as cur:
        logged = {r[0] for r in cur.execute("SELECT DISTINCT action FROM audit_log").fetchall()}
    return sorted(logged | set(LABELLED_ACTIONS))


def action_label(action: str, lang: str = "en") -> str:
    """An action in words; an action the trail has no label for, as its code."""
    key = f"audit_trail.actions.{action.replace('.', '_')}"
    return t(key, lang) if key in messages("en") else action


def users_in_log(store: Store, actor: Actor) -> dict[str, str]:
    """Everyone the log names as acting (accounts and system contexts): id -> readable name."""
    require(actor, "audit.read")
    with store.read() as cur:
        rows = cur.execute("SELECT DISTINCT a.actor, who.name, who.email FROM audit_log a "
                           "LEFT JOIN app_user who ON who.id = a.actor ORDER BY a.actor").fetchall()
    return {r[0]: _user_label(r[0], r[1], r[2], "en") for r in rows}


def _user_label(user_id: str, name: str | None, email: str | None, lang: str) -> str:
    if user_id.startswith("system:"):
        return f"{t('roles.system', lang)}: {user_id.removeprefix('system:')}"
    if email:
        return f"{name} <{email}>" if name else email
    return user_id


def _check(store: Store, actor: Actor, filters: Filters) -> None:
    """Refuse filters that cannot match anything because they name nothing known, naming the field."""
    problems: list[Problem] = []
    with store.read() as cur:
        if filters.party is not None and not cur.execute("SELECT 1 FROM party WHERE code = ?", [filters.party]).fetchone():
            problems.append(Problem("party", "audit_trail.unknown_party", {"value": filters.party}))
        if filters.user is not None and not cur.execute(
                "SELECT 1 FROM app_user WHERE id = ? OR email = lower(?) UNION ALL SELECT 1 FROM audit_log WHERE actor = ? LIMIT 1",
                [filters.user, filters.user.strip(), filters.user]).fetchone():
            problems.append(Problem("user", "audit_trail.unknown_user", {"value": filters.user}))
    if filters.action is not None:
        known = known_actions(store, actor)
        if not any(a == filters.action or a.startswith(filters.action + ".") for a in known):
            problems.append(Problem("action", "audit_trail.unknown_action", {"value": filters.action,
                                                                            "allowed": ", ".join(known)}))
    if filters.since and filters.until and filters.until < filters.since:
        problems.append(Problem("until", "audit_trail.until_before_since", {"since": filters.since.isoformat(),
                                                                            "until": filters.until.isoformat()}))
    if problems:
        raise ValidationFailed(problems)


def trail(store: Store, actor: Actor, filters: Filters = Filters(), lang: str = "en") -> Trail:
    """The entries matching `filters`, newest first, as labelled lines (secretariat only)."""
    require(actor, "audit.read")
    lang = normalize(lang)
    _check(store, actor, filters)
    where, params = [], []
    if filters.party is not None:
        where.append(f"({_PARTY_SQL}) = ?")
        params.append(filters.party)
    if filters.user is not None:
        where.append("(a.actor = ? OR who.email = lower(?))")
        params += [filters.user, filters.user.strip()]
    if filters.action is not None:
        where.append("(a.action = ? OR starts_with(a.action, ?))")
        params += [filters.action, filters.action + "."]
    if filters.since is not None:
        where.append("a.logged_at >= ?")
        params.append(dt.datetime.combine(filters.since, dt.time()))
    if filters.until is not None:
        where.append("a.logged_at < ?")
        params.append(dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time()))
    sql = (f"SELECT a.id, a.logged_at, a.actor, who.name, who.email, ({_PARTY_SQL}) AS party, a.action, a.entity, "
           f"a.entity_id, a.before, a.after {_FROM}" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY a.id DESC")
    with store.read() as cur:
        rows = cur.execute(sql, params).fetchall()
    words = _Words(store, lang)
    lines: list[TrailLine] = []
    for entry_id, logged_at, user_id, name, email, party, action, entity, entity_id, before, after in rows:
        common = dict(entry=entry_id, logged_at=logged_at, user=_user_label(user_id, name, email, lang), user_id=user_id,
                      party=party, party_name=words.party(party), action=action, action_label=words.action(action),
                      subject=words.subject(entity, entity_id))
        changes = words.changes(entity, entity_id, _load(before), _load(after))
        for field, old, new in changes or [("", "", "")]:
            lines.append(TrailLine(**common, field=field, before=old, after=new))
    return Trail(lines, len(rows))


def _load(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


class _Words:
    """Codes to words in one language, with the questionnaires and names looked up once."""

    def __init__(self, store: Store, lang: str):
        from review.parties import all_parties

        self.store, self.lang = store, lang
        self.parties = all_parties(store)
        self._questionnaires: dict[str, Any] = {}
        self._cycles: dict[str, Any] = {}
        self._questions: dict[tuple, tuple] = {}
        self._values: dict[tuple, str] = {}
        with store.read() as cur:
            self.emails = dict(cur.execute("SELECT id, email FROM app_user").fetchall())

    def party(self, code: str | None) -> str:
        return self.parties[code].name(self.lang) if code in self.parties else (code or "")

    def action(self, action: str) -> str:
        return action_label(action, self.lang)

    def cycle(self, cycle_id: str | None):
        from review.cycles import get_cycle
        from review.errors import NotFound

        if cycle_id not in self._cycles:
            try:
                self._cycles[cycle_id] = get_cycle(self.store, cycle_id)
            except NotFound:
                self._cycles[cycle_id] = None
        return self._cycles[cycle_id]

    def questionnaire(self, cycle_id: str | None):
        """The questionnaire of a cycle (of the latest one when None); None when there is none."""
        from review.cycles import cycle_questionnaire

        if cycle_id not in self._questionnaires:
            cycle = self.cycle(cycle_id)
            self._questionnaires[cycle_id] = cycle_questionnaire(self.store, cycle) if cycle else None
        return self._questionnaires[cycle_id]

    def subject(self, entity: str, entity_id: str) -> str:
        if entity in ("peer_review", "review_report", "review_summary"):
            entity_id = "/".join(entity_id.split("/")[:2])
        if entity in ("submission", "peer_review", "review_report", "review_summary"):
            cycle_id, _, party = entity_id.rpartition("/")
            cycle = self.cycle(cycle_id)
            return f"{cycle.title if cycle else cycle_id} · {self.party(party)}"
        if entity == "user":
            return self.emails.get(entity_id, entity_id)
        if entity == "ta_preference":
            return self.party(entity_id)
        if entity == "participation":
            instrument, _, party = entity_id.partition("/")
            return f"{instrument} · {self.party(party)}"
        if entity == "cycle":
            cycle = self.cycle(entity_id)
            return cycle.title if cycle else entity_id
        if entity == "ta_need":
            return self.need(entity_id)
        if entity == "ta_match":
            need, _, offer = entity_id.rpartition("|")
            return f"{self.need(need)} · {offer}" if need else entity_id
        if entity == "review_draw":
            cycle_id, _, number = entity_id.rpartition("/lots/")
            cycle = self.cycle(cycle_id)
            if cycle and number:
                return f"{cycle.title} · {t('ux2.drawing', self.lang, number=number)}"
        return entity_id

    def need(self, key: str) -> str:
        """A TA need typed in the answers ('q:cycle/party/provision/type/row') as its cycle, Party,
        provision and type of assistance; a standalone request ('r:REQ-0001') by its reference."""
        if not key.startswith("q:"):
            return key.removeprefix("r:")
        parts = key[2:].split("/")
        if len(parts) != 5:
            return key
        cycle_id, party, provision_id, kind, _ = parts
        cycle, q = self.cycle(cycle_id), self.questionnaire(cycle_id)
        if cycle is None or q is None:
            return key
        provision = q.provision(provision_id)
        types = q.code_lists.get("ta_type")
        return " · ".join([cycle.title, self.party(party), label(provision.ref, self.lang) if provision else provision_id,
                           types.label(kind, self.lang) if types and types.item(kind) else kind])

    def changes(self, entity: str, entity_id: str, before: Any, after: Any) -> list[tuple[str, str, str]]:
        """(field, before, after) per changed field, as labels."""
        if not isinstance(before, dict) and before is not None or not isinstance(after, dict) and after is not None:
            return [("", self.plain(before), self.plain(after))]
        before, after = before or {}, after or {}
        cycle_id = entity_id.rpartition("/")[0] if entity == "submission" else None
        out = []
        for key in list(dict.fromkeys([*before, *after])):
            old, new = before.get(key), after.get(key)
            if entity == "submission" and "/" in key:
                out.append(self.answer(cycle_id, key, old, new))
                continue
            out.append((self.field(key), self.value(entity, key, old, cycle_id), self.value(entity, key, new, cycle_id)))
        return out

    def answer(self, cycle_id: str | None, key: str, old: Any, new: Any) -> tuple[str, str, str]:
        """An answer's change as its provision and question, and each value as the reader sees it
        (looked up once per question and value: a log repeats the same answers many times)."""
        where = (cycle_id, key)
        if where not in self._questions:
            q = self.questionnaire(cycle_id)
            provision_id, _, question_id = key.partition("/")
            provision = q.provision(provision_id) if q else None
            question = provision.question(question_id) if provision else None
            name = f"{label(provision.ref, self.lang)} — {label(question.label, self.lang)}" if question else key
            self._questions[where] = (name, q, question)
        name, q, question = self._questions[where]
        return name, self.shown(where, q, question, old), self.shown(where, q, question, new)

    def shown(self, where: tuple, q, question, value: Any) -> str:
        from review.workspace import display

        if value is None:
            return ""
        memo = (where, json.dumps(value, sort_keys=True, ensure_ascii=False))
        if memo not in self._values:
            self._values[memo] = display(q, question, value, self.lang) if question is not None else self.plain(value)
        return self._values[memo]

    def field(self, key: str) -> str:
        for found in (f"audit_trail.fields.{key}", f"fields.{key}"):
            if found in messages("en"):
                return t(found, self.lang)
        return key

    def value(self, entity: str, key: str, value: Any, cycle_id: str | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(self.value(entity, key, v, cycle_id) for v in value)
        if isinstance(value, bool):
            return t("reading.yes" if value else "reading.no", self.lang)
        text = str(value)
        if key == "state":
            return t(f"{'matching.states' if entity == 'ta_match' else 'states'}.{text}", self.lang)
        if key == "role":
            return t(f"{'matching.roles' if entity == 'ta_offer' else 'roles'}.{text}", self.lang)
        if key in ("party", "provider_party", "countries", "parties"):
            return self.party(text)
        if key in ("language", "languages"):
            return LANGUAGE_NAMES.get(text, text)
        if key in ("region", "regions"):
            return t(f"regions.{text}", self.lang)
        if key in ("modality", "modalities"):
            return t(f"matching.modalities.{text}", self.lang)
        q = self.questionnaire(cycle_id)
        if q is not None:
            if key in ("type", "types") and "ta_type" in q.code_lists and q.code_lists["ta_type"].item(text):
                return q.code_lists["ta_type"].label(text, self.lang)
            if key == "priority" and "priority" in q.code_lists and q.code_lists["priority"].item(text):
                return q.code_lists["priority"].label(text, self.lang)
            if key in ("chapter", "chapters") and q.chapter(text):
                return f"{text}. {label(q.chapter(text).title, self.lang)}"
            if key == "provision" and q.provision(text):
                return label(q.provision(text).ref, self.lang)
        return text

    def plain(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return t("reading.yes" if value else "reading.no", self.lang)
        if isinstance(value, list):
            return "; ".join(self.plain(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{self.field(k)}: {self.plain(v)}" for k, v in value.items())
        return str(value)
