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
from review.audit import AUDITED
from review.errors import Problem, ValidationFailed
from review.i18n import label, language_name, messages, normalize, t
from review.store import Store

# what each line carries, in order: the columns of the CSV/Excel export and of `review audit --json`
COLUMNS = ("entry", "logged_at", "user", "user_id", "party", "party_name", "action", "action_label", "subject",
           "field", "before", "after")

# the actions the trail names in words (`audit_trail.actions.<action, dots as _>` or `ops2.actions.<...>`): every
# action the library writes (review.audit.AUDITED, which refuses any other)
LABELLED_ACTIONS = tuple(sorted(AUDITED))

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
    """An action in words; an action the trail has no label for (one only an older version wrote), as its code."""
    for key in (f"audit_trail.actions.{action.replace('.', '_')}", f"ops2.actions.{action.replace('.', '_')}"):
        if key in messages("en"):
            return t(key, lang)
    return action


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
        problems.append(Problem("until", "audit_trail.until_before_since", {"since": filters.since,
                                                                            "until": filters.until}))
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
        changes = words.changes(action, entity, entity_id, _load(before), _load(after))
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
        self._items: dict[str, str] | None = None
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
        if entity == "review_report_item":
            entity_id = self.item_review(entity_id) or entity_id
        if entity == "recommendation_followup":
            item, _, cycle_id = entity_id.rpartition("/")
            reviewed = self.item_review(item)
            entity_id = f"{cycle_id}/{reviewed.rpartition('/')[2]}" if reviewed else entity_id
        if entity in ("submission", "peer_review", "review_report", "review_summary", "review_report_item",
                      "recommendation_followup") and "/" in entity_id:
            cycle_id, _, party = entity_id.rpartition("/")
            return f"{self.cycle_title(cycle_id)} · {self.party(party)}"
        if entity == "user":
            return self.user(entity_id)
        if entity == "ta_preference":
            return self.party(entity_id)
        if entity == "participation":
            instrument, _, party = entity_id.partition("/")
            return f"{self.instrument(instrument)} · {self.party(party)}"
        if entity == "cycle":
            return self.cycle_title(entity_id)
        if entity == "review_draw":
            return self.draw(entity_id)
        if entity == "ta_need":
            return self.need(entity_id)
        if entity == "ta_match":
            need, _, offer = entity_id.rpartition("|")
            return f"{self.need(need)} · {offer}"
        return entity_id

    def instrument(self, instrument_id: str) -> str:
        """An instrument by its title: the latest cycle's questionnaire's (in the reader's language), else
        data/instruments.yaml's."""
        from review.participation import instruments

        q = self.questionnaire(None)
        if q is not None and q.instrument.get("id") == instrument_id:
            return label(q.instrument.get("title"), self.lang) or instrument_id
        return label(instruments().get(instrument_id, {}).get("title"), self.lang) or instrument_id

    def cycle_title(self, cycle_id: str) -> str:
        cycle = self.cycle(cycle_id)
        return cycle.title if cycle else cycle_id

    def user(self, user_id: str) -> str:
        return self.emails.get(user_id, user_id)

    def item_review(self, item_id: str) -> str | None:
        """The review ("cycle/party") a country report's item belongs to, the items looked up once."""
        if self._items is None:
            with self.store.read() as cur:
                self._items = dict(cur.execute("SELECT id, review_id FROM review_report_item").fetchall())
        return self._items.get(item_id)

    def draw(self, draw_id: str) -> str:
        """A draw of lots ("cycle/lots/N") as "Draw N, <cycle title>"."""
        cycle_id, _, number = draw_id.partition("/lots/")
        return t("ops2.values.draw", self.lang, number=number, cycle=self.cycle_title(cycle_id)) if number else draw_id

    def need(self, key: str) -> str:
        """A TA need by what it is: a questionnaire row as cycle, Party, provision and type; a standalone
        request by its number."""
        kind, _, rest = key.partition(":")
        if kind == "r":
            return rest
        parts = rest.split("/")
        if kind != "q" or len(parts) < 4:
            return key
        cycle_id, party, provision, ta_type = parts[:4]
        return " · ".join([self.cycle_title(cycle_id), self.party(party), self.value("", "", "provision", provision, cycle_id),
                           self.value("", "", "type", ta_type, cycle_id)])

    def changes(self, action: str, entity: str, entity_id: str, before: Any, after: Any) -> list[tuple[str, str, str]]:
        """(field, before, after) per changed field, as labels."""
        cycle_id = self.cycle_of(entity, entity_id)
        if not isinstance(before, dict) and before is not None or not isinstance(after, dict) and after is not None:
            field = t(_SINGLE_FIELD[action], self.lang) if action in _SINGLE_FIELD else ""
            return [(field, self.plain(before), self.plain(after))]
        before, after = before or {}, after or {}
        out = []
        for key in list(dict.fromkeys([*before, *after])):
            old, new = before.get(key), after.get(key)
            if entity == "submission" and "/" in key:
                out.append(self.answer(cycle_id, key, old, new))
                continue
            out.append((self.field(key, action), self.value(action, entity, key, old, cycle_id),
                        self.value(action, entity, key, new, cycle_id)))
        return out

    def cycle_of(self, entity: str, entity_id: str) -> str | None:
        """The cycle an entry is about, for the questionnaire that names its provisions, types and chapters."""
        if entity == "submission":
            return entity_id.rpartition("/")[0]
        if entity == "cycle":
            return entity_id
        if entity in ("peer_review", "review_report", "review_summary", "review_draw"):
            return entity_id.split("/")[0]
        if entity == "review_report_item":
            return (self.item_review(entity_id) or "").split("/")[0] or None
        if entity == "recommendation_followup":
            return entity_id.rpartition("/")[2]
        if entity in ("ta_need", "ta_match") and entity_id.startswith("q:"):
            return entity_id[2:].split("/")[0]
        return None

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

    def field(self, key: str, action: str = "") -> str:
        if action == "peer.plan":  # its fields are the stages, its values their planned days
            return self.code("peer.stage", key)
        keys = [_FIELD_BY_ACTION[(action, key)]] if (action, key) in _FIELD_BY_ACTION else []
        for found in (*keys, f"ops2.fields.{key}", f"audit_trail.fields.{key}", f"fields.{key}"):
            if found in messages("en"):
                return t(found, self.lang)
        return key

    def code(self, prefix: str, code: str) -> str:
        """The label of `code` under `prefix`; a code with no label (one a later version dropped), as it is."""
        key = f"{prefix}.{code}"
        return t(key, self.lang) if key in messages("en") else code

    def day(self, text: str) -> str:
        from review.formats import date

        try:
            return date(dt.date.fromisoformat(text[:10]), self.lang)
        except ValueError:
            return text

    def moment(self, text: str) -> str:
        from review.formats import datetime

        try:
            return datetime(dt.datetime.fromisoformat(text), self.lang)
        except ValueError:
            return text

    def value(self, action: str, entity: str, key: str, value: Any, cycle_id: str | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, dict):
            if key == "rules":
                return "; ".join(f"{self.code('ops2.rules', rule)}: {self.rule_value(rule, v)}" for rule, v in value.items())
            if key == "reviews":  # a draw: each reviewed Party's two reviewers
                return "; ".join(f"{self.party(p)}: {self.reviewers(r)}" for p, r in sorted(value.items()))
            if key == "reviewers":
                return self.reviewers(value)
            return self.plain(value)
        if key == "questionnaire" and isinstance(value, list) and len(value) == 2:
            return self.questionnaire_name(*value)
        if isinstance(value, list):
            return "; ".join(self.value(action, entity, key, v, cycle_id) for v in value)
        if isinstance(value, bool):
            return t("reading.yes" if value else "reading.no", self.lang)
        text = str(value)
        if action == "peer.plan" or key in _DATES:
            return self.day(text)
        if key in _MOMENTS:
            return self.moment(text)
        if key == "state":
            return t(f"{'matching.states' if entity == 'ta_match' else 'states'}.{text}", self.lang)
        if key == "stage":
            return self.code("peer.stage", text)
        if key == "role":
            return t(f"{'matching.roles' if entity == 'ta_offer' else 'roles'}.{text}", self.lang)
        if key in _PARTIES:
            return self.party(text)
        if key in _USERS:
            return self.user(text)
        if key in ("language", "languages", "lang"):
            return language_name(text, self.lang)
        if key == "cycle":
            return self.cycle_title(text)
        if key == "draw":
            return self.draw(text)
        if key == "kinds" and action == "notice.choose":
            return self.code("notices.kinds", text)
        if key == "kind" and action in _KINDS:
            return self.code(_KINDS[action], text)
        if key == "priority" and action.startswith("report."):
            return self.code("report.priorities", text)
        if key == "status" and action == "followup.record":
            return self.code("report.followup_statuses", text)
        if key == "provider_kind":
            return self.code("matching.kinds", text)
        if key == "method":
            return self.code("ops2.login_methods", text)
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

    def rule_value(self, rule: str, value: Any) -> str:
        if isinstance(value, bool):
            return t("reading.yes" if value else "reading.no", self.lang)
        if isinstance(value, str):
            return self.code(f"ops2.rule_values.{rule}", value)
        return self.plain(value)

    def reviewers(self, found: dict) -> str:
        """A review's two reviewing Parties, each with its seat (from the region, or other)."""
        seats = {"regional": "lots.columns.regional_reviewer", "other": "lots.columns.other_reviewer"}
        return ", ".join(f"{self.party(party)} ({t(seats[seat], self.lang) if seat in seats else seat})"
                         for seat, party in sorted(found.items(), key=lambda kv: kv[0] != "regional"))

    def questionnaire_name(self, questionnaire_id: str, version: str) -> str:
        from review.cycles import questionnaire
        from review.errors import NotFound

        try:
            return f"{label(questionnaire(self.store, questionnaire_id, version).title, self.lang)} ({version})"
        except NotFound:
            return f"{questionnaire_id} {version}"

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


# how the fields of the log's entries read: by what a field's key holds
_DATES = frozenset({"deadline", "opens", "signature", "consent", "in_force", "starts", "ends", "needed_by"})
_MOMENTS = frozenset({"expires_at"})
_PARTIES = frozenset({"party", "provider_party", "countries", "parties", "reviewing_party"})
_USERS = frozenset({"user", "experts_removed"})
# "kind" is a different list in different actions
_KINDS = {"revision.freeze": "ops2.revision_kinds", "participation.record": "ops2.consent_kinds",
          "peer.dialogue": "peer.kind", "report.add_item": "report.kinds", "report.edit_item": "report.kinds",
          "report.remove_item": "report.kinds"}
_FIELD_BY_ACTION = {("participation.record", "kind"): "ops2.fields.consent_kind",
                    ("peer.dialogue", "kind"): "fields.dialogue_kind",
                    ("revision.freeze", "kind"): "ops2.fields.revision_kind"}
# the one field of an entry whose before and after are a single value, not a set of fields
_SINGLE_FIELD = {"report.edit_text": "fields.body", "report.edit_summary": "fields.summary_text",
                 "report.consent": "ops2.fields.full_report_public"}
