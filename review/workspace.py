"""What a Party's workspace shows: its cycles, the questionnaire cut into sections, filters,
answers as labels (never codes), differences between revisions and what still blocks a submit.

The pages only lay these out; every read goes through `submissions` and its permission checks.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from review import submissions, users
from review.access import Actor, allowed, require
from review.cycles import Cycle, cycle_questionnaire, get_cycle
from review.errors import NotFound, Problem
from review.i18n import label, t
from review.questionnaire import Article, Provision, Question, Questionnaire
from review.questionnaire.types import answer_text
from review.questionnaire.values import is_answered, is_required, missing_required
from review.store import Store

Key = tuple[str, str]


@dataclass(frozen=True)
class Capabilities:
    """What the acting user may do with this Party's submission (the permission table decides)."""

    read: bool
    edit: bool
    submit: bool
    import_workbook: bool


def capabilities(actor: Actor, party: str | None) -> Capabilities:
    return Capabilities(
        allowed(actor, "submission.read", party) and party is not None,
        allowed(actor, "submission.edit", party),
        allowed(actor, "submission.submit", party),
        allowed(actor, "submission.import", party) and party is not None,
    )


@dataclass(frozen=True)
class PartyCycle:
    cycle: Cycle
    submission: submissions.Submission


def party_cycles(store: Store, actor: Actor, party: str) -> list[PartyCycle]:
    """The cycles this Party takes part in, newest deadline first."""
    require(actor, "submission.read", party)
    with store.read() as cur:
        ids = [r[0] for r in cur.execute("SELECT cycle_id FROM submission WHERE party = ?", [party]).fetchall()]
    found = [PartyCycle(get_cycle(store, i), submissions.get_submission(store, i, party)) for i in ids]
    return sorted(found, key=lambda pc: (pc.cycle.deadline, pc.cycle.id), reverse=True)


def editable(sub: submissions.Submission) -> bool:
    """Whether the submission's state still takes answers."""
    return sub.state in submissions.EDITABLE


@dataclass(frozen=True)
class Filters:
    unanswered: bool = False
    mandatory_only: bool = False
    returned_only: bool = False


def _given(answers: Mapping[Key, Any], provision: Provision) -> dict[str, Any]:
    return {q.id: answers[(provision.id, q.id)] for q in provision.questions if (provision.id, q.id) in answers}


def provision_shown(provision: Provision, answers: Mapping[Key, Any], commented: set[str], filters: Filters) -> bool:
    if not provision.assessed:
        return False
    if filters.mandatory_only and provision.obligation != "mandatory":
        return False
    if filters.returned_only and provision.id not in commented:
        return False
    if filters.unanswered and not missing_required(provision, _given(answers, provision)):
        return False
    return True


@dataclass(frozen=True)
class Section:
    """One article of the cycle's scope: the unit the questionnaire page shows and saves at once."""

    article: Article
    provisions: tuple[Provision, ...]
    answered: int
    required: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.required


def sections(q: Questionnaire, cycle: Cycle, answers: Mapping[Key, Any], commented: set[str], filters: Filters = Filters()) -> list[Section]:
    """The articles in scope with at least one provision the filters leave in, with their progress."""
    scope = set(cycle.chapters)
    out = []
    for article in q.articles:
        if article.chapter not in scope:
            continue
        shown = tuple(p for p in article.provisions if provision_shown(p, answers, commented, filters))
        if not shown:
            continue
        required = answered = 0
        for provision in article.provisions:
            given = _given(answers, provision)
            for question in provision.questions:
                if is_required(question, given):
                    required += 1
                    answered += is_answered(given.get(question.id))
        out.append(Section(article, shown, answered, required))
    return out


def display(q: Questionnaire, question: Question, value: Any, lang: str) -> str:
    """An answer as a reader sees it: labels for codes, Yes/No, one line per table row (its type's `text`)."""
    return answer_text(q, question, value, lang)


def where(q: Questionnaire, location: str, lang: str) -> str:
    """A problem's location ('7.1 legislation[2].year') in words: provision, question, row, column."""
    provision_id, _, rest = location.partition(" ")
    provision = q.provision(provision_id)
    if provision is None:
        return location
    question_id, _, cell = rest.partition("[")
    question = provision.question(question_id)
    if question is None:
        return label(provision.ref, lang)
    parts = [label(provision.ref, lang), label(question.label, lang)]
    if cell:
        row, _, column_id = cell.partition("].")
        parts.append(t("party.row", lang, number=row))
        column = next((c for c in question.columns if c.id == column_id), None)
        if column is not None:
            parts.append(label(column.label, lang))
    return " — ".join(parts)


def describe(q: Questionnaire, problems: Iterable[Problem], lang: str, escape=None) -> list[str]:
    """Each problem as one line in the user's language, located by labels; `escape` (an interface's)
    is applied to the values a message carries."""
    return [f"{where(q, p.location, lang)}: {p.message(lang, escape)}" for p in problems]


@dataclass(frozen=True)
class Difference:
    provision: str
    question: str
    before: str
    after: str


def labelled_diff(q: Questionnaire, before: Mapping[Key, Any], after: Mapping[Key, Any], lang: str) -> list[Difference]:
    """What differs between two sets of answers, in questionnaire order, as labels."""
    order = {p.id: i for i, p in enumerate(q.provisions())}
    rows = []
    changed = submissions.diff(dict(before), dict(after))
    for (provision_id, question_id), old, new in sorted(changed, key=lambda c: (order.get(c[0][0], 10**6), c[0][1])):
        provision = q.provision(provision_id)
        question = provision.question(question_id) if provision else None
        if question is None:
            rows.append(Difference(provision_id, question_id, str(old or ""), str(new or "")))
            continue
        rows.append(Difference(label(provision.ref, lang), label(question.label, lang),
                               display(q, question, old, lang), display(q, question, new, lang)))
    return rows


@dataclass(frozen=True)
class Missing:
    chapter: str
    article: int
    provision: str
    question: str


def missing_answers(store: Store, actor: Actor, cycle_id: str, party: str, lang: str) -> list[Missing]:
    """What still blocks a submit, as labels, in questionnaire order."""
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    done = submissions.submission_completeness(store, actor, cycle_id, party)
    rows = []
    for provision_id, question_id in done.missing:
        provision = q.provision(provision_id)
        rows.append(Missing(provision.chapter, provision.article, label(provision.ref, lang),
                            label(provision.question(question_id).label, lang)))
    return rows


def user_names(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """Display names of the users behind ids found in revisions and answers (the id when gone)."""
    names = {}
    for user_id in set(ids):
        try:
            names[user_id] = users.get_user(store, user_id).name or user_id
        except NotFound:
            names[user_id] = user_id
    return names


# the audit log's actions that change answers, and how each came about (`ux.history.how_*`)
ANSWER_CHANGES = {"answers.save": "online", "answers.import": "workbook",
                  "answers.import.take_workbook": "workbook_taken"}


@dataclass(frozen=True)
class SavedChange:
    """One answer as one save changed it: who, when, how (online or a workbook), as labels."""

    when: dt.datetime
    who: str
    how: str
    provision: str
    question: str
    before: str
    after: str


def saved_changes(store: Store, actor: Actor, cycle_id: str, party: str, lang: str) -> list[SavedChange]:
    """Every change of an answer saved to this Party's submission, online or from a workbook, newest
    first, from the audit log (written in the same transaction as each save, so nothing saved is
    missing). Readable by whoever may read the submission; the whole log stays the secretariat's."""
    require(actor, "submission.read", party)
    q = cycle_questionnaire(store, get_cycle(store, cycle_id))
    order = {p.id: i for i, p in enumerate(q.provisions())}
    with store.read() as cur:
        rows = cur.execute(
            "SELECT id, logged_at, actor, action, before, after FROM audit_log WHERE entity = 'submission' "
            f"AND entity_id = ? AND action IN ({', '.join('?' for _ in ANSWER_CHANGES)}) ORDER BY id DESC",
            [submissions.submission_id(cycle_id, party), *ANSWER_CHANGES],
        ).fetchall()
    names = user_names(store, [r[2] for r in rows if not r[2].startswith("system:")])
    out = []
    for _, when, who, action, before, after in rows:
        before, after = json.loads(before or "{}"), json.loads(after or "{}")
        how = t(f"ux.history.how_{ANSWER_CHANGES[action]}", lang)
        name = who.removeprefix("system:") if who.startswith("system:") else names[who]
        keys = sorted(set(before) | set(after), key=lambda k: (order.get(k.rpartition("/")[0], 10**6), k))
        for key in keys:
            provision_id, _, question_id = key.rpartition("/")
            provision = q.provision(provision_id)
            question = provision.question(question_id) if provision else None
            if question is None:  # a question a later version of the file no longer has: kept, as codes
                out.append(SavedChange(when, name, how, provision_id, question_id,
                                       json.dumps(before.get(key), ensure_ascii=False) if key in before else "",
                                       json.dumps(after.get(key), ensure_ascii=False) if key in after else ""))
                continue
            out.append(SavedChange(when, name, how, label(provision.ref, lang), label(question.label, lang),
                                   display(q, question, before.get(key), lang), display(q, question, after.get(key), lang)))
    return out


@dataclass(frozen=True)
class Replaced:
    """An answer the user saved that a colleague's later save changed, and still stands changed."""

    when: dt.datetime
    who: str
    provision: str
    question: str
    yours: str
    theirs: str


def replaced_answers(store: Store, actor: Actor, cycle_id: str, party: str, lang: str) -> list[Replaced]:
    """The user's saved answers that a colleague has since saved differently (as when a colleague,
    shown both in a conflict, kept theirs), newest first, as labels: so the user is told. An answer
    the user saves again leaves the list."""
    require(actor, "submission.read", party)
    q = cycle_questionnaire(store, get_cycle(store, cycle_id))
    with store.read() as cur:
        rows = cur.execute(
            "SELECT logged_at, actor, after FROM audit_log WHERE entity = 'submission' AND entity_id = ? "
            f"AND action IN ({', '.join('?' for _ in ANSWER_CHANGES)}) ORDER BY id",
            [submissions.submission_id(cycle_id, party), *ANSWER_CHANGES],
        ).fetchall()
    mine: dict[str, Any] = {}
    last: dict[str, tuple[dt.datetime, str, Any]] = {}
    for when, who, after in rows:
        for key, value in json.loads(after or "{}").items():
            if who == actor.id:
                mine[key] = value
                last.pop(key, None)
            elif key in mine:
                last[key] = (when, who, value)
    changed = {k: v for k, v in last.items() if v[2] != mine[k]}
    names = user_names(store, [who for _, who, _ in changed.values() if not who.startswith("system:")])
    out = []
    for key, (when, who, value) in changed.items():
        provision_id, _, question_id = key.rpartition("/")
        provision = q.provision(provision_id)
        question = provision.question(question_id) if provision else None
        if question is None:
            continue
        out.append(Replaced(when, who.removeprefix("system:") if who.startswith("system:") else names[who],
                            label(provision.ref, lang), label(question.label, lang),
                            display(q, question, mine[key], lang), display(q, question, value, lang)))
    return sorted(out, key=lambda r: r.when, reverse=True)


def days_left(cycle: Cycle, today: dt.date | None = None) -> int:
    return (cycle.deadline - (today or dt.date.today())).days
