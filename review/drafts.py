"""Answers a user has typed but not yet saved, and saving them without overwriting a colleague.

A draft belongs to one user and one submission; each answer remembers the value it was typed
over and the change counter (`seq`) it started from. Saving sends only what the user changed.
When a colleague saved in between (`StaleSave`), answers only one of them touched go through
untouched; answers both changed differently come back as conflicts, and the user chooses for
each one: keep mine or take theirs. Until then nothing is written and the draft stays.

`start_section` and `send_section` are the whole protocol for one form of answers (a section of the
questionnaire online): where its inputs start from (the user's draft where there is one, with the
oldest counter a drafted answer started from), which typed answers are changes, drafts the user
reverted dropped, a refused save kept as a draft with its problems, and a save that overlaps nobody
always landing. Pages only gather the typed values and show the result.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Mapping

from review import submissions
from review.access import Actor, require
from review.cycles import cycle_questionnaire, get_cycle
from review.errors import Problem, StaleSave, ValidationFailed
from review.questionnaire import Questionnaire
from review.questionnaire.types import of
from review.questionnaire.values import normalize, without_row_ids
from review.store import Store

Key = tuple[str, str]
KEEP_MINE, TAKE_THEIRS = "mine", "theirs"
# colleagues saving other answers in between, again and again: after this many replays the save
# stops and the user's changes wait in their draft (said so), rather than spinning for ever
REPLAYS = 50


@dataclass(frozen=True)
class DraftAnswer:
    value: Any
    base_value: Any
    base_seq: int


@dataclass(frozen=True)
class Conflict:
    """One answer a colleague saved differently after the user started from `base`."""

    key: Key
    base: Any
    mine: Any
    theirs: Any
    saved_by: str
    saved_at: Any


@dataclass(frozen=True)
class SaveOutcome:
    """A save either went through (`result`) or stopped on conflicts for the user to resolve."""

    result: submissions.SaveResult | None
    conflicts: list[Conflict]
    current_seq: int
    merged: int = 0
    # the submission kept moving under the save (colleagues saving other answers all the time): the
    # changes wait in the user's draft; saving again takes them
    busy: bool = False

    @property
    def saved(self) -> bool:
        return self.result is not None


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def same(q: Questionnaire, key: Key, a: Any, b: Any) -> bool:
    """Whether two values are the same answer once stored (blanks, order of a multiple choice)."""
    provision = q.provision(key[0])
    question = provision.question(key[1]) if provision else None
    if question is None:
        return a == b
    a, b = without_row_ids(normalize(question, a)), without_row_ids(normalize(question, b))
    if of(question).unordered and isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def load_draft(store: Store, actor: Actor, cycle_id: str, party: str) -> dict[Key, DraftAnswer]:
    """This user's unsaved answers for the submission."""
    require(actor, "submission.edit", party)
    with store.read() as cur:
        rows = cur.execute(
            "SELECT provision_id, question_id, value, base_value, base_seq FROM answer_draft "
            "WHERE user_id = ? AND submission_id = ?",
            [actor.id, submissions.submission_id(cycle_id, party)],
        ).fetchall()
    return {(r[0], r[1]): DraftAnswer(_load(r[2]), _load(r[3]), r[4]) for r in rows}


def keep_draft(store: Store, actor: Actor, cycle_id: str, party: str, answers: Mapping[Key, DraftAnswer]) -> int:
    """Keep answers as this user's draft (replacing earlier drafts of the same answers)."""
    require(actor, "submission.edit", party)
    if not answers:
        return 0
    sub_id = submissions.submission_id(cycle_id, party)
    now = dt.datetime.now()
    with store.transaction() as cur:
        cur.executemany(
            "INSERT OR REPLACE INTO answer_draft VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [[actor.id, sub_id, k[0], k[1], _dump(d.value), _dump(d.base_value), d.base_seq, now] for k, d in answers.items()],
        )
    return len(answers)


def discard_draft(store: Store, actor: Actor, cycle_id: str, party: str, keys: list[Key] | None = None) -> None:
    """Forget this user's draft answers (all of them, or `keys`)."""
    require(actor, "submission.edit", party)
    if keys is not None and not keys:
        return
    sub_id = submissions.submission_id(cycle_id, party)
    with store.transaction() as cur:
        if keys is None:
            cur.execute("DELETE FROM answer_draft WHERE user_id = ? AND submission_id = ?", [actor.id, sub_id])
        else:
            cur.execute(
                "DELETE FROM answer_draft WHERE user_id = ? AND submission_id = ? "
                "AND list_contains(?, provision_id || '/' || question_id)",
                [actor.id, sub_id, [f"{k[0]}/{k[1]}" for k in keys]],
            )


def conflicts_with(q: Questionnaire, mine: Mapping[Key, Any], bases: Mapping[Key, Any], stale: StaleSave) -> list[Conflict]:
    """Answers the user changed that a colleague also changed, to a different value, since `stale.base`."""
    found = []
    for change in stale.changes:
        key = (change.provision_id, change.question_id)
        if key in mine and not same(q, key, mine[key], change.value):
            found.append(Conflict(key, bases.get(key), mine[key], change.value, change.saved_by, change.saved_at))
    return found


def save_changes(store: Store, actor: Actor, cycle_id: str, party: str, base_seq: int,
                 mine: Mapping[Key, Any], bases: Mapping[Key, Any]) -> SaveOutcome:
    """Save the user's changed answers made from `base_seq`; stop on conflicts, never overwrite.

    When colleagues saved in between but changed none of these answers differently, the save is
    replayed on the current counter (their answers stay as they are). Saved answers leave the draft.
    """
    q = cycle_questionnaire(store, get_cycle(store, cycle_id))
    merged = 0
    for attempt in range(REPLAYS):
        try:
            result = submissions.save_answers(store, actor, cycle_id, party, base_seq, dict(mine))
            break
        except StaleSave as stale:
            found = conflicts_with(q, mine, bases, stale)
            if found:
                keep_draft(store, actor, cycle_id, party,
                           {k: DraftAnswer(v, bases.get(k), base_seq) for k, v in mine.items()})
                return SaveOutcome(None, found, stale.current)
            base_seq, merged = stale.current, merged + len(stale.changes)
            if attempt == REPLAYS - 1:
                keep_draft(store, actor, cycle_id, party,
                           {k: DraftAnswer(v, bases.get(k), base_seq) for k, v in mine.items()})
                return SaveOutcome(None, [], base_seq, merged, busy=True)
    discard_draft(store, actor, cycle_id, party, list(mine))
    return SaveOutcome(result, [], result.seq, merged)


def resolve(store: Store, actor: Actor, cycle_id: str, party: str, current_seq: int, mine: Mapping[Key, Any],
            conflicts: list[Conflict], choices: Mapping[Key, str]) -> SaveOutcome:
    """Save after the user chose, per conflicting answer, to keep theirs or take the colleague's.

    Answers whose colleague's value is taken are dropped from the save (the colleague's value is
    already stored); the rest is saved from `current_seq`, the counter the conflicts were read at.
    A colleague saving again meanwhile yields new conflicts, never an overwrite.
    """
    theirs = {c.key: c.theirs for c in conflicts if choices.get(c.key) == TAKE_THEIRS}
    keep = {k: v for k, v in mine.items() if k not in theirs}
    bases = {c.key: c.theirs for c in conflicts}
    discard_draft(store, actor, cycle_id, party, list(theirs))
    return save_changes(store, actor, cycle_id, party, current_seq, keep, bases)


@dataclass(frozen=True)
class Section:
    """Where one form's inputs start from: `initial` (the user's draft where there is one, else the
    stored answer), `base` (what each drafted answer was typed over), and the counter the save is
    based on (the oldest one a drafted answer started from, so a colleague's save since is seen)."""

    base: dict[Key, Any]
    initial: dict[Key, Any]
    base_seq: int
    drafted: frozenset[Key]


def start_section(keys: list[Key], answers: Mapping[Key, Any], draft: Mapping[Key, DraftAnswer], seq: int) -> Section:
    """The section of `keys` for a user with `draft`, over the stored `answers` at counter `seq`."""
    return Section(
        base={k: draft[k].base_value if k in draft else answers.get(k) for k in keys},
        initial={k: draft[k].value if k in draft else answers.get(k) for k in keys},
        base_seq=min([seq] + [draft[k].base_seq for k in keys if k in draft]),
        drafted=frozenset(k for k in keys if k in draft),
    )


@dataclass(frozen=True)
class SectionResult:
    """What sending a section did: the user's `changed` answers; a save's `outcome` (saved, or stopped
    on conflicts, or busy); the `problems` of a refused save (its answers kept as a draft); how many
    answers were `kept` as a draft."""

    changed: dict[Key, Any]
    outcome: SaveOutcome | None = None
    problems: list[Problem] | None = None
    kept: int = 0

    @property
    def nothing_changed(self) -> bool:
        return not self.changed


def send_section(store: Store, actor: Actor, cycle_id: str, party: str, section: Section, typed: Mapping[Key, Any],
                 *, save: bool) -> SectionResult:
    """The typed values of a section's form: saved (`save`) or kept as the user's draft.

    Only answers that differ from what the user started from count; a drafted answer typed back to
    its starting value leaves the draft. A save refused for invalid values changes nothing stored
    and keeps every typed change in the draft, returned with the problems; one that meets a
    colleague's change stops on the conflicts (kept as a draft too)."""
    q = cycle_questionnaire(store, get_cycle(store, cycle_id))
    changed = {k: v for k, v in typed.items() if not same(q, k, v, section.base.get(k))}
    bases = {k: section.base.get(k) for k in changed}
    discard_draft(store, actor, cycle_id, party, [k for k in section.drafted if k not in changed])
    drafted = {k: DraftAnswer(v, bases[k], section.base_seq) for k, v in changed.items()}
    if not save:
        return SectionResult(changed, kept=keep_draft(store, actor, cycle_id, party, drafted))
    if not changed:
        return SectionResult(changed)
    try:
        return SectionResult(changed, save_changes(store, actor, cycle_id, party, section.base_seq, changed, bases))
    except ValidationFailed as failed:
        return SectionResult(changed, problems=failed.problems, kept=keep_draft(store, actor, cycle_id, party, drafted))
