"""A Party's submission in a cycle: answers, the review workflow, revisions and completeness.

Saves are optimistic: the caller names the change counter (`seq`) it started from, and a save
made from an older one is refused with what changed since, never applied over it. Each submit
freezes a revision that stays readable; every change lands in the audit log in its own
transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

from review import audit, notices
from review.access import Actor, allowed, require, viewer
from review.cycles import Cycle, cycle_questionnaire, get_cycle
from review.errors import (Change, InvalidTransition, NotFound, PermissionDenied, Problem, ReviewError, SaveFailed,
                           StaleSave, ValidationFailed)
from review.questionnaire import Questionnaire
from review.questionnaire.values import check_value, is_answered, is_required, normalize, with_row_ids
from review.rules import is_late, is_public, is_public_answer
from review.store import Store, failure_reason

STATES = ("not_started", "draft", "submitted", "returned", "validated", "published")
EDITABLE = frozenset({"not_started", "draft", "returned"})
TRANSITIONS: dict[str, dict[str, str]] = {
    "save": {"not_started": "draft", "draft": "draft", "returned": "returned"},
    "submit": {"draft": "submitted", "returned": "submitted"},
    "return": {"submitted": "returned", "validated": "returned"},
    "validate": {"submitted": "validated"},
    "publish": {"validated": "published"},
}
# (provision id, question id) -> value
Answers = dict[tuple[str, str], Any]


@dataclass(frozen=True)
class Submission:
    id: str
    cycle_id: str
    party: str
    state: str
    seq: int
    consent_publication: bool | None
    published_revision: int | None
    updated_at: dt.datetime | None
    updated_by: str | None
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None
    published_at: dt.datetime | None

    @property
    def public(self) -> bool:
        """Its full answers may be shown to anyone."""
        return is_public(self.state, self.consent_publication, self.published_revision)


@dataclass(frozen=True)
class Revision:
    number: int
    seq: int
    kind: str
    created_by: str
    created_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class Comment:
    id: int
    provision_id: str | None
    author: str
    created_at: dt.datetime
    body: str


@dataclass(frozen=True)
class Completeness:
    answered: int
    required: int
    chapters: dict[str, tuple[int, int]] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.answered / self.required if self.required else 1.0


_COLUMNS = (
    "id, cycle_id, party, state, seq, consent_publication, published_revision, updated_at, updated_by, "
    "submitted_at, validated_at, published_at"
)


def submission_id(cycle_id: str, party: str) -> str:
    return f"{cycle_id}/{party}"


def _key(key: tuple[str, str]) -> str:
    return f"{key[0]}/{key[1]}"


def _load(cur, cycle_id: str, party: str) -> Submission:
    row = cur.execute(f"SELECT {_COLUMNS} FROM submission WHERE id = ?", [submission_id(cycle_id, party)]).fetchone()
    if row is None:
        raise NotFound("errors.submission_not_found", cycle=cycle_id, party=party)
    return Submission(*row)


def get_submission(store: Store, cycle_id: str, party: str) -> Submission:
    """The submission's header (state, dates): public, as the status tracker shows it."""
    with store.read() as cur:
        return _load(cur, cycle_id, party)


def list_submissions(store: Store, cycle_id: str) -> list[Submission]:
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_COLUMNS} FROM submission WHERE cycle_id = ? ORDER BY party", [cycle_id]).fetchall()
    return [Submission(*r) for r in rows]


def _rows_to_answers(rows: Iterable) -> Answers:
    return {(r[0], r[1]): json.loads(r[2]) for r in rows if r[2] is not None}


def current_answers(store: Store, actor: Actor, cycle_id: str, party: str) -> Answers:
    """The working answers: the Party's own users, its reviewers in this cycle and the secretariat only."""
    require(actor, "submission.read", party, cycle=cycle_id)
    with store.read() as cur:
        sub = _load(cur, cycle_id, party)
        rows = cur.execute(
            "SELECT provision_id, question_id, value FROM answer WHERE submission_id = ?", [sub.id]
        ).fetchall()
    return _rows_to_answers(rows)


def working_copies(store: Store, actor: Actor, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[Submission, Answers]]:
    """Submissions' headers and working answers, by (cycle, party), in one read: what workbooks
    are made from or checked against (each one's answers belong to its header's change counter
    `seq`). A (cycle, party) with no submission is left out."""
    keys = list(dict.fromkeys(keys))
    for cycle_id, party in keys:
        require(actor, "submission.read", party, cycle=cycle_id)
    ids = [submission_id(cycle_id, party) for cycle_id, party in keys]
    with store.read() as cur:
        cur.begin()
        subs = [Submission(*r) for r in cur.execute(
            f"SELECT {_COLUMNS} FROM submission WHERE list_contains(?::VARCHAR[], id)", [ids]).fetchall()]
        rows = cur.execute(
            "SELECT submission_id, provision_id, question_id, value FROM answer "
            "WHERE list_contains(?::VARCHAR[], submission_id) AND value IS NOT NULL", [ids]).fetchall()
        cur.commit()
    answers: dict[str, Answers] = {sub.id: {} for sub in subs}
    for sub_id, provision_id, question_id, value in rows:
        answers[sub_id][(provision_id, question_id)] = json.loads(value)
    return {(sub.cycle_id, sub.party): (sub, answers[sub.id]) for sub in subs}


def working_copy(store: Store, actor: Actor, cycle_id: str, party: str) -> tuple[Submission, Answers]:
    """One submission's header and working answers (`working_copies`); NotFound when it has none."""
    found = working_copies(store, actor, [(cycle_id, party)]).get((cycle_id, party))
    if found is None:
        raise NotFound("errors.submission_not_found", cycle=cycle_id, party=party)
    return found


def published_answers(store: Store, cycle_id: str, party: str) -> Answers:
    """The published revision, for anyone, when the Party consented to publication; never the
    answers to private questions (`rules.is_public_answer`: the directory of contacts and authorities)."""
    private = cycle_questionnaire(store, get_cycle(store, cycle_id)).private_questions
    with store.read() as cur:
        sub = _load(cur, cycle_id, party)
        if not sub.public:
            raise PermissionDenied("errors.not_published", party=party)
        rows = cur.execute(
            "SELECT provision_id, question_id, value FROM revision_answer WHERE submission_id = ? AND revision = ?",
            [sub.id, sub.published_revision],
        ).fetchall()
    return _rows_to_answers([r for r in rows if is_public_answer(sub.state, sub.consent_publication, sub.published_revision,
                                                                  r[1], private)])


def readable_answers(store: Store, actor: Actor, cycle_id: str, party: str) -> Answers:
    """What this actor may read: the working answers, or else the published ones."""
    if allowed(actor, "submission.read", party, cycle=cycle_id):
        return current_answers(store, actor, cycle_id, party)
    return published_answers(store, cycle_id, party)


def changes_since(cur, sub_id: str, seq: int) -> list[Change]:
    """Answers saved after change `seq`, newest values: what a stale save would have overwritten."""
    rows = cur.execute(
        "SELECT provision_id, question_id, value, saved_by, saved_at FROM answer "
        "WHERE submission_id = ? AND seq > ? ORDER BY provision_id, question_id",
        [sub_id, seq],
    ).fetchall()
    return [Change(r[0], r[1], None if r[2] is None else json.loads(r[2]), r[3], r[4]) for r in rows]


def check_answers(q: Questionnaire, cycle: Cycle, changes: Mapping[tuple[str, str], Any]) -> tuple[Answers, list[Problem]]:
    """Normalized values and every problem with them, checked against the cycle's questionnaire."""
    in_scope = set(cycle.chapters)
    clean: Answers = {}
    problems: list[Problem] = []
    for (provision_id, question_id), value in changes.items():
        where = f"{provision_id} {question_id}"
        provision = q.provision(provision_id)
        if provision is None or provision.chapter not in in_scope or not provision.assessed:
            problems.append(Problem(where, "values.unknown_provision", {"provision": provision_id}))
            continue
        question = provision.question(question_id)
        if question is None:
            problems.append(Problem(where, "values.unknown_question", {"question": question_id}))
            continue
        found = check_value(q, question, value, where)
        problems += found
        if not found:
            clean[(provision_id, question_id)] = normalize(question, value)
    return clean, problems


def _transition(sub: Submission, step: str) -> str:
    target = TRANSITIONS[step].get(sub.state)
    if target is None:
        raise InvalidTransition("errors.invalid_transition", step=step, state=sub.state)
    return target


# Revisions are numbered per submission. One statement freezes the next revision of several
# submissions, one more copies each one's working answers into it.
_NEW_REVISIONS = (
    "INSERT INTO revision SELECT t.id, coalesce((SELECT max(r.number) FROM revision AS r WHERE r.submission_id = t.id), 0) + 1, "
    "t.seq, t.kind, t.created_by, current_timestamp, t.note FROM (SELECT unnest(?::VARCHAR[]) AS id, "
    "unnest(?::INTEGER[]) AS seq, unnest(?::VARCHAR[]) AS kind, unnest(?::VARCHAR[]) AS note, "
    "unnest(?::VARCHAR[]) AS created_by) AS t RETURNING submission_id, number"
)
_COPY_INTO_REVISIONS = (
    "INSERT INTO revision_answer SELECT a.submission_id, t.number, a.provision_id, a.question_id, a.value "
    "FROM answer AS a JOIN (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::INTEGER[]) AS number) AS t "
    "ON a.submission_id = t.id WHERE a.value IS NOT NULL"
)


def _new_revisions(cur, freezes: list[tuple[Actor, str, str, int, str | None]]) -> dict[str, int]:
    """Freeze the working answers of each (actor, submission id, kind, seq, note) as its next
    revision; their numbers by submission id (audit them in the same transaction)."""
    if not freezes:
        return {}
    actors, ids, kinds, seqs, notes = (list(column) for column in zip(*freezes))
    numbers = dict(cur.execute(_NEW_REVISIONS, [ids, seqs, kinds, notes, [a.id for a in actors]]).fetchall())
    cur.execute(_COPY_INTO_REVISIONS, [list(numbers), list(numbers.values())])
    return numbers


def _freeze_entry(sub_id: str, number: int, kind: str, seq: int) -> tuple[str, str, str, Any, Any]:
    return ("revision.freeze", "submission", sub_id, None, {"revision": number, "kind": kind, "seq": seq})


def _freeze(cur, sub_id: str, actor: Actor, kind: str, seq: int, note: str | None) -> int:
    number = _new_revisions(cur, [(actor, sub_id, kind, seq, note)])[sub_id]
    audit.record_all(cur, actor, [_freeze_entry(sub_id, number, kind, seq)])
    return number


# Saves write their changed answers in two set-based statements from list parameters, whatever
# their number and however many submissions: the old rows go, the new ones come in. (Cheaper in
# DuckDB than INSERT OR REPLACE, whose conflict handling costs more than both; and no registered
# data frame, which would make DuckDB import pandas on the first save.) "submission/provision/
# question" names a row unambiguously: the questionnaire schema allows no "/" in provision or
# question ids, and check_answers admits only known ones.
_DELETE_CHANGED = (
    "DELETE FROM answer WHERE list_contains(?::VARCHAR[], submission_id) "
    "AND list_contains(?::VARCHAR[], submission_id || '/' || provision_id || '/' || question_id)"
)
# The new rows come in as one text per column, split in SQL on the ASCII record separator: one
# parameter each instead of a list of a bulk load's 78,000 values, which DuckDB takes in value by
# value. No value can hold the separator: JSON escapes every control character, ids are checked
# (`_column_text`); a cleared answer (NULL) travels as the empty text, which no JSON value is.
_SEPARATOR = "\x1e"
_SPLIT = "unnest(string_split(?, chr(30)))"
_INSERT_CHANGED = (
    f"INSERT INTO answer SELECT {_SPLIT}, {_SPLIT}, {_SPLIT}, nullif({_SPLIT}, ''), {_SPLIT}::INTEGER, {_SPLIT}, ?"
)


def _column_text(values: list[str]) -> str:
    """A column of rows as one text for `_INSERT_CHANGED`."""
    text = _SEPARATOR.join(values)
    if text.count(_SEPARATOR) != len(values) - 1:
        raise ValueError("a value holds the record separator: the rows would shift")
    return text


@dataclass(frozen=True)
class SaveResult:
    seq: int
    changed: int
    revision: int | None = None


def save_answers(
    store: Store,
    actor: Actor,
    cycle_id: str,
    party: str,
    base_seq: int,
    changes: Mapping[tuple[str, str], Any],
) -> SaveResult:
    """Save answers typed online from change `base_seq`, as one transaction.

    Refused whole (nothing written) when any value is invalid, when the submission is not
    editable, or when somebody saved after `base_seq`. A workbook import goes through
    `save_imports`, which checks its own action and freezes a revision.
    """
    return save_many(store, cycle_id, {party: (actor, base_seq, changes)})[party]


def save_many(store: Store, cycle_id: str,
              saves: Mapping[str, tuple[Actor, int, Mapping[tuple[str, str], Any]]]) -> dict[str, SaveResult]:
    """`save_answers` for several Parties of one cycle (Party -> (acting user, base seq, changes))
    in one transaction and a few statements, as a bulk load needs: each save checked, refused and
    written (answers, counter, audit entry by its own user) as `save_answers` does it, and any
    refusal refuses them all (nothing written)."""
    if not saves:
        return {}
    for party, (actor, _, _) in saves.items():
        require(actor, "submission.edit", party)
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    checked = {party: _checked(q, cycle, changes) for party, (_, _, changes) in saves.items()}
    results: dict[str, SaveResult] = {}
    with store.transaction() as cur:
        subs = _load_many(cur, cycle_id, saves)
        befores, stored = _stored_before(cur, [sub.id for sub in subs.values()],
                                         {subs[party].id: changes for party, changes in checked.items()})
        moves, writes = [], []
        for party, (actor, base_seq, _) in saves.items():
            sub = subs[party]
            state = _transition(sub, "save")
            if sub.seq != base_seq:
                raise StaleSave(base_seq, sub.seq, changes_since(cur, sub.id, base_seq))
            before = befores.get(sub.id, {})
            clean = _with_row_ids(q, checked[party], before)
            changed = {k: v for k, v in clean.items() if before.get(k) != v}
            if not changed:
                results[party] = SaveResult(sub.seq, 0)
                continue
            moves.append((sub.id, state, sub.seq + 1, actor.id))
            writes.append((party, _Write(sub.id, sub.seq + 1, before, changed, None, None, "answers.save", actor,
                                         stored[sub.id])))
        if writes:
            now = dt.datetime.now()
            cur.execute(_MOVE_FOR_SAVE, [now, *(list(column) for column in zip(*moves))])
            for (party, _), result in zip(writes, _write(cur, now, [write for _, write in writes])):
                results[party] = result
    return {party: results[party] for party in saves}


_MOVE_FOR_SAVE = (
    "UPDATE submission SET state = t.state, seq = t.seq, updated_at = ?, updated_by = t.by "
    "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS state, unnest(?::INTEGER[]) AS seq, "
    "unnest(?::VARCHAR[]) AS by) AS t "
    "WHERE submission.id = t.id"
)


def _load_many(cur, cycle_id: str, parties: Iterable[str]) -> dict[str, Submission]:
    """`_load` of several Parties' submissions in one cycle, in one statement, by Party."""
    parties = list(parties)
    rows = cur.execute(f"SELECT {_COLUMNS} FROM submission WHERE list_contains(?::VARCHAR[], id)",
                       [[submission_id(cycle_id, party) for party in parties]]).fetchall()
    found = {row[0]: Submission(*row) for row in rows}
    out = {}
    for party in parties:
        sub = found.get(submission_id(cycle_id, party))
        if sub is None:
            raise NotFound("errors.submission_not_found", cycle=cycle_id, party=party)
        out[party] = sub
    return out


def _answers_of(cur, sub_ids: list[str], keys: Iterable[tuple[str, str]] | None = None) -> dict[str, Answers]:
    """The working answers of several submissions, by submission id, in one statement; with
    `keys`, only the answers to those (provision, question) (a submit reads those completeness reads)."""
    out: dict[str, Answers] = {sub_id: {} for sub_id in sub_ids}
    if not sub_ids:
        return out
    if keys is None:
        rows = cur.execute("SELECT submission_id, provision_id, question_id, value FROM answer "
                           "WHERE list_contains(?::VARCHAR[], submission_id) AND value IS NOT NULL", [sub_ids]).fetchall()
    else:
        provisions, questions = map(list, zip(*keys)) if keys else ([], [])
        rows = cur.execute(
            "SELECT a.submission_id, a.provision_id, a.question_id, a.value FROM answer AS a "
            "JOIN (SELECT unnest(?::VARCHAR[]) AS p, unnest(?::VARCHAR[]) AS q) AS k "
            "ON a.provision_id = k.p AND a.question_id = k.q "
            "WHERE list_contains(?::VARCHAR[], a.submission_id) AND a.value IS NOT NULL",
            [provisions, questions, sub_ids]).fetchall()
    loads = json.loads
    for sub_id, provision_id, question_id, value in rows:
        # a stored text without escapes is its characters between the quotes (most answers are codes)
        if value[0] == '"' and value[-1] == '"' and "\\" not in value and len(value) > 1:
            out[sub_id][(provision_id, question_id)] = value[1:-1]
        else:
            out[sub_id][(provision_id, question_id)] = loads(value)
    return out


def _stored_before(cur, sub_ids: list[str], changes: Mapping[str, Mapping[tuple[str, str], Any]],
                   ) -> tuple[dict[str, Answers], dict[str, set[tuple[str, str]]]]:
    """For saves (submission id -> its changes): the answers before of the keys each changes (all
    that its audit entry and its tables' row ids need; the others' values are not parsed), and the
    keys of the rows each submission holds (cleared answers included), in one statement."""
    before: dict[str, Answers] = {sub_id: {} for sub_id in sub_ids}
    stored: dict[str, set[tuple[str, str]]] = {sub_id: set() for sub_id in sub_ids}
    if not sub_ids:
        return before, stored
    rows = cur.execute("SELECT submission_id, provision_id, question_id, value FROM answer "
                       "WHERE list_contains(?::VARCHAR[], submission_id)", [sub_ids]).fetchall()
    loads = json.loads
    for sub_id, provision_id, question_id, value in rows:
        key = (provision_id, question_id)
        stored[sub_id].add(key)
        if value is not None and key in changes[sub_id]:
            before[sub_id][key] = loads(value)
    return before, stored


@dataclass(frozen=True)
class CheckedSave:
    """One imported file for `save_imports`: the cycle and questionnaire, a working copy
    (`working_copies`), the changes to it, the revision's note, and whether the Party chose to take
    the workbook's answers over newer online ones (recorded as such in the audit log)."""

    cycle: Cycle
    questionnaire: Questionnaire
    working: tuple[Submission, Answers]
    changes: Mapping[tuple[str, str], Any]
    note: str | None = None
    took_workbook: bool = False


def save_imports(store: Store, actor: Actor, saves: Sequence[CheckedSave]) -> list[SaveResult | ReviewError]:
    """Write imported workbooks, each as an `imported` revision, for callers that already hold the
    cycle, its questionnaire and a working copy, as the workbook import does, for one or several
    submissions (each at most once): the same checks, refusals and writes as `save_answers`, without
    reading those again, written together. The action checked is always `submission.import`.

    Nothing in a working copy is trusted: each save is taken in the database by the submission's id
    *and* the cycle and Party the permission was checked on, at its change counter, and only while
    editable; a save that does not match is refused as `save_answers` refuses it (stale, or not
    editable, or not this Party's), and nothing of it is written. Its answers then are the working
    copy's (every change to answers moves the counter), so they are the audit entry's "before".
    Every outcome is a save's own: a refusal takes the save's place in the result and leaves the
    others alone, and should the database fail while they are written together, they are written
    again one transaction each.
    """
    if len({save.working[0].id for save in saves}) < len(saves):
        raise ValueError("save_imports: one save per submission")
    results: list[SaveResult | ReviewError | None] = [None] * len(saves)
    pending = []
    for i, save in enumerate(saves):
        sub, before = save.working
        try:
            require(actor, "submission.import", sub.party)
            if sub.cycle_id != save.cycle.id:
                raise PermissionDenied("errors.permission_denied", action="submission.import", role=actor.role.value)
            clean = _with_row_ids(save.questionnaire, _checked(save.questionnaire, save.cycle, save.changes), before)
        except ReviewError as refused:
            results[i] = refused
            continue
        changed = {k: v for k, v in clean.items() if before.get(k) != v}
        action = "answers.import.take_workbook" if save.took_workbook else "answers.import"
        pending.append((i, _Write(sub.id, sub.seq + 1, before, changed, "imported", save.note, action, actor)))
    if not pending:
        return results
    try:
        with store.transaction() as cur:
            _take_and_write(cur, actor, [save.working[0] for save in saves], pending, results)
    except duckdb.Error:
        if len(pending) < 2:
            raise
        for i, _ in pending:
            results[i] = _save_alone(store, actor, saves[i])
    return results


def _save_alone(store: Store, actor: Actor, save: CheckedSave) -> SaveResult | ReviewError:
    try:
        return save_imports(store, actor, [save])[0]
    except duckdb.Error as failed:
        return SaveFailed("errors.save_failed", reason=failure_reason(failed))


def _take_and_write(cur, actor: Actor, subs: list[Submission], pending: list, results: list) -> None:
    """Take the pending saves' submissions at their counters, refuse those that moved, write the rest."""
    now = dt.datetime.now()
    chosen = [subs[i] for i, _ in pending]
    taken = {row[0] for row in cur.execute(_TAKE_FOR_SAVE, [
        now, actor.id, [s.id for s in chosen], [s.seq for s in chosen], [s.cycle_id for s in chosen], [s.party for s in chosen],
    ]).fetchall()}
    writes = []
    for i, write in pending:
        if write.sub_id in taken:
            writes.append((i, write))
        else:
            results[i] = _refusal(cur, actor, subs[i])
    for (i, _), result in zip(writes, _write(cur, now, [write for _, write in writes])):
        results[i] = result


def _refusal(cur, actor: Actor, sub: Submission) -> ReviewError:
    """Why a submission could not be taken at its counter: it is not the one named, it can no longer
    change, or it moved on."""
    found = _load(cur, sub.cycle_id, sub.party)
    if found.id != sub.id:
        # a working copy that names one Party's submission under another's code: forged, refused
        return PermissionDenied("errors.permission_denied", action="submission.import", role=actor.role.value)
    try:
        _transition(found, "save")
    except InvalidTransition as refused:
        return refused
    return StaleSave(sub.seq, found.seq, changes_since(cur, sub.id, sub.seq))


def _with_row_ids(q: Questionnaire, clean: Answers, before: Answers) -> Answers:
    """Every table row with its stable identity (`values.with_row_ids`), against the stored rows."""
    out = dict(clean)
    for key, value in clean.items():
        if isinstance(value, list) and value and (type(value[0]) is dict or isinstance(value[0], Mapping)):
            out[key] = with_row_ids(value, before.get(key))
    return out


def _checked(q: Questionnaire, cycle: Cycle, changes: Mapping[tuple[str, str], Any]) -> Answers:
    clean, problems = check_answers(q, cycle, changes)
    if problems:
        raise ValidationFailed(problems)
    return clean


# Submissions taken for their saves in one statement: each moved to its "save" state and its next
# change counter, only while it is editable and still at the counter its save was based on. The
# statement returns the ids of those taken.
_TAKE_FOR_SAVE = (
    "UPDATE submission SET state = CASE submission.state "
    + " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in TRANSITIONS["save"].items())
    + " END, seq = submission.seq + 1, updated_at = ?, updated_by = ? "
    "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::INTEGER[]) AS seq, unnest(?::VARCHAR[]) AS cycle_id, "
    "unnest(?::VARCHAR[]) AS party) AS base "
    "WHERE submission.id = base.id AND submission.seq = base.seq AND submission.cycle_id = base.cycle_id "
    "AND submission.party = base.party AND submission.state IN ("
    + ", ".join(f"'{old}'" for old in TRANSITIONS["save"])
    + ") RETURNING submission.id"
)


@dataclass(frozen=True)
class _Write:
    """One submission's part of a save: its new counter, its answers before, those it changes."""

    sub_id: str
    seq: int
    before: Answers
    changed: Answers
    freeze: str | None
    note: str | None
    action: str
    actor: Actor
    # the keys of the rows the submission holds, when the caller read them (None: any changed key may
    # have a row to replace)
    stored: set[tuple[str, str]] | None = None


# json.dumps(value, ensure_ascii=False), without making an encoder for each of a bulk load's answers;
# a text goes straight to the function json.dumps gives it to
_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_text = json.encoder.encode_basestring


def _json_object(names: list[str], values: list[str]) -> audit.Encoded:
    """json.dumps of a mapping, from its keys and values each already encoded."""
    return audit.Encoded("{" + ", ".join([f"{name}: {value}" for name, value in zip(names, values)]) + "}")


def _write(cur, now: dt.datetime, writes: list[_Write]) -> list[SaveResult]:
    """The changed answers, the revisions for those that `freeze` one, and their audit entries, in
    the caller's transaction (each submission's header already moved to its change `seq`). Each
    value is encoded once, for its row and its audit entry."""
    subs, provisions, questions, encoded, seqs, savers, names = [], [], [], [], [], [], []
    saved = []
    key_texts: dict[tuple[str, str], str] = {}  # each "provision/question" key of the log, encoded once
    for w in writes:
        n = len(w.changed)
        subs += [w.sub_id] * n
        seqs += [w.seq] * n
        savers += [w.actor.id] * n
        keys, was, now_is = [], [], []
        before = w.before.get
        for key, value in w.changed.items():
            provision_id, question_id = key
            provisions.append(provision_id)
            questions.append(question_id)
            text = None if value is None else _encode_text(value) if type(value) is str else _encode(value)
            encoded.append("" if text is None else text)
            if w.stored is None or key in w.stored:
                names.append(f"{w.sub_id}/{provision_id}/{question_id}")
            key_text = key_texts.get(key)
            if key_text is None:
                key_text = key_texts[key] = _encode_text(f"{provision_id}/{question_id}")
            keys.append(key_text)
            old = before(key)
            was.append("null" if old is None else _encode(old))
            now_is.append("null" if text is None else text)
        saved.append((w.actor, w.action, "submission", w.sub_id, _json_object(keys, was), _json_object(keys, now_is)))
    if subs:
        if names:  # (rows to replace: none on a submission's first save)
            cur.execute(_DELETE_CHANGED, [list({w.sub_id for w in writes}), names])
        cur.execute(_INSERT_CHANGED, [*map(_column_text, (subs, provisions, questions, encoded, list(map(str, seqs)), savers)), now])
    numbers = _new_revisions(cur, [(w.actor, w.sub_id, w.freeze, w.seq, w.note) for w in writes if w.freeze])
    entries = []
    for w, entry in zip(writes, saved):
        entries.append(entry)
        if w.freeze:
            entries.append((w.actor, *_freeze_entry(w.sub_id, numbers[w.sub_id], w.freeze, w.seq)))
    audit.record_each(cur, entries)
    return [SaveResult(w.seq, len(w.changed), numbers.get(w.sub_id)) for w in writes]


def completeness(q: Questionnaire, chapters: Iterable[str], answers: Answers) -> Completeness:
    """Required answers given, per chapter and overall; `missing` lists what blocks a submit."""
    chapters = tuple(chapters)
    by_provision: dict[str, dict[str, Any]] = {}
    for (provision_id, question_id), value in answers.items():
        by_provision.setdefault(provision_id, {})[question_id] = value
    answered = required = 0
    per_chapter: dict[str, list[int]] = {c: [0, 0] for c in chapters}
    missing = []
    empty: dict[str, Any] = {}
    for provision_id, chapter, questions in _may_be_required(q, chapters):
        given = by_provision.get(provision_id, empty)
        counts = per_chapter[chapter]
        for question in questions:
            if not is_required(question, given):
                continue
            required += 1
            counts[1] += 1
            if is_answered(given.get(question.id)):
                answered += 1
                counts[0] += 1
            else:
                missing.append((provision_id, question.id))
    return Completeness(answered, required, {c: (a, r) for c, (a, r) in per_chapter.items()}, missing)


_MAY_BE_REQUIRED: dict[tuple[int, tuple[str, ...]], tuple[Questionnaire, list]] = {}


def _may_be_required(q: Questionnaire, chapters: tuple[str, ...]) -> list[tuple[str, str, tuple]]:
    """The assessed provisions of `chapters` (id, chapter) with their questions that may be required
    (outright or on a condition; no other question ever is), in order: found once per questionnaire
    object and chapters, since a bulk submit counts the completeness of every Party on them."""
    found = _MAY_BE_REQUIRED.get((id(q), chapters))
    if found is None or found[0] is not q:
        if len(_MAY_BE_REQUIRED) > 64:
            _MAY_BE_REQUIRED.clear()
        plan = [(p.id, p.chapter, tuple(question for question in p.questions if question.required or question.required_when))
                for p in q.assessed_provisions(chapters)]
        found = _MAY_BE_REQUIRED[(id(q), chapters)] = (q, [step for step in plan if step[2]])
    return found[1]


def _completeness_keys(q: Questionnaire, chapters: Iterable[str]) -> frozenset[tuple[str, str]]:
    """The answers `completeness` reads: those of the questions required outright or on a
    condition, and the answers their conditions look at."""
    keys = set()
    for provision in q.assessed_provisions(chapters):
        for question in provision.questions:
            if question.required or question.required_when:
                keys.add((provision.id, question.id))
                keys.update((provision.id, other) for other in question.required_when)
    return frozenset(keys)


def submission_completeness(store: Store, actor: Actor, cycle_id: str, party: str) -> Completeness:
    cycle = get_cycle(store, cycle_id)
    return completeness(cycle_questionnaire(store, cycle), cycle.chapters, current_answers(store, actor, cycle_id, party))


def submit(store: Store, actor: Actor, cycle_id: str, party: str, *, consent: bool, base_seq: int | None = None) -> int:
    """Send the answers to the secretariat (focal point only); returns the frozen revision.

    Refused, with the list of what is missing, until every required answer is there.
    """
    return submit_many(store, cycle_id, {party: (actor, consent)}, {party: base_seq} if base_seq is not None else None)[party]


def submit_many(store: Store, cycle_id: str, submits: Mapping[str, tuple[Actor, bool]],
                base_seqs: Mapping[str, int] | None = None) -> dict[str, int]:
    """`submit` for several Parties of one cycle (Party -> (acting user, consent to publication)) in
    one transaction and a few statements, each checked, refused and written as `submit` does it;
    any refusal refuses them all. The frozen revisions by Party."""
    if not submits:
        return {}
    base_seqs = base_seqs or {}
    for party, (actor, _) in submits.items():
        require(actor, "submission.submit", party)
    consents = {party: consent for party, (_, consent) in submits.items()}
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    with store.transaction() as cur:
        subs = _load_many(cur, cycle_id, consents)
        states = {}
        for party in consents:
            sub = subs[party]
            states[party] = _transition(sub, "submit")
            base_seq = base_seqs.get(party)
            if base_seq is not None and sub.seq != base_seq:
                raise StaleSave(base_seq, sub.seq, changes_since(cur, sub.id, base_seq))
        # only the answers completeness reads (the others cannot make a submission incomplete)
        read = _completeness_keys(q, cycle.chapters)
        answers = _answers_of(cur, [sub.id for sub in subs.values()], read)
        for party in consents:
            done = completeness(q, cycle.chapters, answers[subs[party].id])
            if done.missing:
                raise ValidationFailed(
                    [Problem(f"{p} {qid}", "submissions.missing_answer", {"provision": p, "question": qid}) for p, qid in done.missing],
                    key="submissions.incomplete",
                )
        parties = list(consents)
        cur.execute(
            "UPDATE submission SET state = t.state, consent_publication = t.consent, submitted_at = current_timestamp, "
            "updated_at = current_timestamp, updated_by = t.by FROM (SELECT unnest(?::VARCHAR[]) AS id, "
            "unnest(?::VARCHAR[]) AS state, unnest(?::BOOLEAN[]) AS consent, unnest(?::VARCHAR[]) AS by) AS t "
            "WHERE submission.id = t.id",
            [[subs[p].id for p in parties], [states[p] for p in parties], [consents[p] for p in parties],
             [submits[p][0].id for p in parties]],
        )
        numbers = _new_revisions(cur, [(submits[p][0], subs[p].id, "submitted", subs[p].seq, None) for p in parties])
        entries = []
        for p in parties:
            sub, actor = subs[p], submits[p][0]
            entries.append((actor, "submission.submit", "submission", sub.id, {"state": sub.state},
                            {"state": states[p], "consent_publication": consents[p]}))
            entries.append((actor, *_freeze_entry(sub.id, numbers[sub.id], "submitted", sub.seq)))
        audit.record_each(cur, entries)
    return {p: numbers[subs[p].id] for p in parties}


def set_consent(store: Store, actor: Actor, cycle_id: str, party: str, consent: bool) -> None:
    """The focal point may give or withdraw consent to publication of the full answers."""
    require(actor, "submission.submit", party)
    with store.transaction() as cur:
        sub = _load(cur, cycle_id, party)
        cur.execute("UPDATE submission SET consent_publication = ? WHERE id = ?", [consent, sub.id])
        audit.record(cur, actor, "submission.consent", "submission", sub.id,
                     before={"consent_publication": sub.consent_publication}, after={"consent_publication": consent})


def _secretariat_steps(store: Store, actor: Actor, cycle_id: str, parties: Sequence[str], step: str, stamp: str | None,
                       extra=None, comments: Mapping[str, int] | None = None) -> list[Submission]:
    """A secretariat's step on several Parties' submissions in one cycle, in one transaction and a
    few statements (a step on one Party is the same with a list of one); any refusal refuses all."""
    require(actor, f"submission.{step}")
    parties = list(dict.fromkeys(parties))
    if not parties:
        return []
    with store.transaction() as cur:
        subs = _load_many(cur, cycle_id, parties)
        states = {party: _transition(subs[party], step) for party in parties}
        ids = [subs[party].id for party in parties]
        if extra:
            extra(cur, subs)
        sets = "state = t.state, updated_at = current_timestamp, updated_by = ?"
        if stamp:
            sets += f", {stamp} = current_timestamp"
        latest: dict[str, int | None] = {}
        if step == "publish":
            latest = dict(cur.execute(
                "SELECT submission_id, max(number) FROM revision WHERE list_contains(?::VARCHAR[], submission_id) "
                "AND kind = 'submitted' GROUP BY submission_id", [ids]).fetchall())
            sets += ", published_revision = t.revision"
        cur.execute(
            f"UPDATE submission SET {sets} FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS state, "
            "unnest(?::INTEGER[]) AS revision) AS t WHERE submission.id = t.id",
            [actor.id, ids, [states[party] for party in parties], [latest.get(sub_id) for sub_id in ids]])
        audit.record_all(cur, actor, [(f"submission.{step}", "submission", subs[party].id, {"state": subs[party].state},
                                       {"state": states[party]}) for party in parties])
        # the Party's users are told in the same transaction: no notice of a step that did not happen
        notices.submission_steps(cur, actor, step, cycle_id, parties, comments=comments or {})
    with store.read() as cur:
        after = _load_many(cur, cycle_id, parties)
    return [after[party] for party in parties]


def _secretariat_step(store: Store, actor: Actor, cycle_id: str, party: str, step: str, stamp: str | None, extra=None,
                      comments: int = 0) -> Submission:
    return _secretariat_steps(store, actor, cycle_id, [party], step, stamp, extra, {party: comments})[0]


def return_for_clarification(store: Store, actor: Actor, cycle_id: str, party: str, comments: Mapping[str | None, str]) -> Submission:
    """Send a submission back with comments, per provision (or general, under key None)."""
    return return_many(store, actor, cycle_id, {party: comments})[0]


def return_many(store: Store, actor: Actor, cycle_id: str,
                comments: Mapping[str, Mapping[str | None, str]]) -> list[Submission]:
    """`return_for_clarification` for several Parties of one cycle (Party -> its comments) at once."""
    bodies = {party: {p: b.strip() for p, b in by_provision.items() if b and b.strip()}
              for party, by_provision in comments.items()}
    if not all(bodies.values()):
        raise ValidationFailed([Problem("comments", "submissions.comment_needed", {})])

    def write(cur, subs):
        _insert_comments(cur, actor, [(subs[party].id, provision_id, body)
                                      for party, by_provision in bodies.items() for provision_id, body in by_provision.items()])

    return _secretariat_steps(store, actor, cycle_id, list(bodies), "return", None, write,
                              comments={party: len(b) for party, b in bodies.items()})


def validate(store: Store, actor: Actor, cycle_id: str, party: str) -> Submission:
    return _secretariat_step(store, actor, cycle_id, party, "validate", "validated_at")


def validate_many(store: Store, actor: Actor, cycle_id: str, parties: Sequence[str]) -> list[Submission]:
    return _secretariat_steps(store, actor, cycle_id, parties, "validate", "validated_at")


def publish(store: Store, actor: Actor, cycle_id: str, party: str) -> Submission:
    """Publish the last submitted revision; its full answers are public only with the Party's consent."""
    return _secretariat_step(store, actor, cycle_id, party, "publish", "published_at")


def publish_many(store: Store, actor: Actor, cycle_id: str, parties: Sequence[str]) -> list[Submission]:
    return _secretariat_steps(store, actor, cycle_id, parties, "publish", "published_at")


def _insert_comments(cur, actor: Actor, comments: list[tuple[str, str | None, str]]) -> None:
    """Comments (submission id, provision or None, body) in one statement, each with its audit entry."""
    if not comments:
        return
    sub_ids, provisions, bodies = (list(column) for column in zip(*comments))
    cur.execute(
        "INSERT INTO comment (submission_id, provision_id, author, created_at, body) VALUES "
        + ", ".join(["(?, ?, ?, current_timestamp, ?)"] * len(comments)),
        [value for sub_id, provision_id, body in comments for value in (sub_id, provision_id, actor.id, body)])
    audit.record_all(cur, actor, [("comment.add", "submission", sub_id, None, {"provision": provision_id, "body": body})
                                  for sub_id, provision_id, body in comments])


def _insert_comment(cur, actor: Actor, sub_id: str, provision_id: str | None, body: str) -> None:
    _insert_comments(cur, actor, [(sub_id, provision_id, body)])


def add_comment(store: Store, actor: Actor, cycle_id: str, party: str, provision_id: str | None, body: str) -> None:
    require(actor, "submission.comment")
    if not body.strip():
        raise ValidationFailed([Problem("comment", "submissions.comment_needed", {})])
    with store.transaction() as cur:
        sub = _load(cur, cycle_id, party)
        _insert_comment(cur, actor, sub.id, provision_id, body.strip())


def comments(store: Store, actor: Actor, cycle_id: str, party: str) -> list[Comment]:
    require(actor, "submission.read", party, cycle=cycle_id)
    with store.read() as cur:
        rows = cur.execute(
            "SELECT id, provision_id, author, created_at, body FROM comment WHERE submission_id = ? ORDER BY id",
            [submission_id(cycle_id, party)],
        ).fetchall()
    return [Comment(*r) for r in rows]


def revisions(store: Store, actor: Actor, cycle_id: str, party: str) -> list[Revision]:
    require(actor, "submission.read", party, cycle=cycle_id)
    with store.read() as cur:
        rows = cur.execute(
            "SELECT number, seq, kind, created_by, created_at, note FROM revision WHERE submission_id = ? ORDER BY number",
            [submission_id(cycle_id, party)],
        ).fetchall()
    return [Revision(*r) for r in rows]


def revision_answers(store: Store, actor: Actor, cycle_id: str, party: str, number: int) -> Answers:
    require(actor, "submission.read", party, cycle=cycle_id)
    with store.read() as cur:
        sub = _load(cur, cycle_id, party)
        if not cur.execute("SELECT 1 FROM revision WHERE submission_id = ? AND number = ?", [sub.id, number]).fetchone():
            raise NotFound("errors.revision_not_found", number=number)
        rows = cur.execute(
            "SELECT provision_id, question_id, value FROM revision_answer WHERE submission_id = ? AND revision = ?",
            [sub.id, number],
        ).fetchall()
    return _rows_to_answers(rows)


def diff(before: Answers, after: Answers) -> list[tuple[tuple[str, str], Any, Any]]:
    """Answers that differ between two versions: (key, before, after), in provision order."""
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


@dataclass(frozen=True)
class PartyStatus:
    party: str
    state: str
    completeness: Completeness | None  # None where the reader may not see this Party's answers
    late: bool
    updated_at: dt.datetime | None
    submitted_at: dt.datetime | None


def cycle_status(store: Store, actor: Actor, cycle_id: str | None = None,
                 today: dt.date | None = None) -> tuple[Cycle, list[PartyStatus]]:
    """Every participating Party's state and lateness (public, as on the status tracker), with the
    completeness of the Parties whose answers `actor` may read (None for the others)."""
    seen = viewer(actor)
    cycle, statuses = all_statuses(store, cycle_id, today)
    return cycle, [s if seen.sees_unpublished(s.party) else dataclasses.replace(s, completeness=None) for s in statuses]


def all_statuses(store: Store, cycle_id: str | None = None, today: dt.date | None = None) -> tuple[Cycle, list[PartyStatus]]:
    """`cycle_status` with every Party's completeness, for aggregates that publish only means
    (the tracker's chapter averages): never shown per Party. The completeness is counted by one
    query (`_COMPLETENESS`, the rule of `completeness` in SQL, without its `missing` list, which
    only a submit needs)."""
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    subs = list_submissions(store, cycle.id)
    counted: dict[str, dict[str, tuple[int, int]]] = {}
    with store.read() as cur:
        for sub_id, chapter, answered, required in cur.execute(_COMPLETENESS, [*_requirements(q, cycle.chapters), cycle.id]).fetchall():
            counted.setdefault(sub_id, {})[chapter] = (answered, required)
    out = []
    for s in subs:
        chapters = {c: counted.get(s.id, {}).get(c, (0, 0)) for c in cycle.chapters}
        done = Completeness(sum(a for a, _ in chapters.values()), sum(r for _, r in chapters.values()), chapters)
        out.append(PartyStatus(s.party, s.state, done, is_late(s.state, cycle.deadline, today), s.updated_at,
                               s.submitted_at))
    return cycle, out


def _requirements(q: Questionnaire, chapters: Iterable[str]) -> list[list]:
    """The questions of the assessed provisions as lists for `_COMPLETENESS`: provision, question,
    chapter, required outright; and the conditions of those required only when another answer of the
    provision is one of some codes."""
    provisions, questions, chapter_of, always = [], [], [], []
    c_provisions, c_questions, c_others, c_codes = [], [], [], []
    for provision in q.assessed_provisions(chapters):
        for question in provision.questions:
            provisions.append(provision.id)
            questions.append(question.id)
            chapter_of.append(provision.chapter)
            always.append(bool(question.required))
            for other, codes in question.required_when.items():
                c_provisions.append(provision.id)
                c_questions.append(question.id)
                c_others.append(other)
                c_codes.append(list(codes))
    return [provisions, questions, chapter_of, always, c_provisions, c_questions, c_others, c_codes]


# `completeness` as one query over a cycle's stored answers (normalized when saved, so a stored value
# is an answer unless blank): required questions per submission and chapter, and how many answered.
_COMPLETENESS = """
WITH qs AS (SELECT unnest(?::VARCHAR[]) AS p, unnest(?::VARCHAR[]) AS qid, unnest(?::VARCHAR[]) AS ch,
                   unnest(?::BOOLEAN[]) AS always),
conds AS (SELECT unnest(?::VARCHAR[]) AS p, unnest(?::VARCHAR[]) AS qid, unnest(?::VARCHAR[]) AS other,
                 unnest(?::VARCHAR[][]) AS codes),
subs AS (SELECT id FROM submission WHERE cycle_id = ?),
ans AS (SELECT a.submission_id AS s, a.provision_id AS p, a.question_id AS qid, a.value AS v FROM answer a
        JOIN subs ON subs.id = a.submission_id
        WHERE a.value IS NOT NULL AND NOT (json_type(a.value) = 'VARCHAR' AND trim(a.value->>'$') = '')
          AND NOT (json_type(a.value) = 'ARRAY' AND json_array_length(a.value) = 0)),
req AS (SELECT subs.id AS s, qs.p, qs.qid, qs.ch FROM subs CROSS JOIN qs
        WHERE qs.always OR EXISTS (SELECT 1 FROM conds c JOIN ans o ON o.p = c.p AND o.qid = c.other
                                   WHERE o.s = subs.id AND c.p = qs.p AND c.qid = qs.qid
                                     AND list_contains(c.codes, o.v->>'$')))
SELECT req.s, req.ch, count(a.v)::INTEGER AS answered, count(*)::INTEGER AS required
FROM req LEFT JOIN ans a ON a.s = req.s AND a.p = req.p AND a.qid = req.qid
GROUP BY req.s, req.ch
"""
