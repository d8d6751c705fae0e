"""The append-only audit log: who changed what, when, with the values before and after.

Rows are only ever inserted, inside the same transaction as the change they describe, so the log
and the data can never disagree. Nothing in the library updates or deletes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from review.access import Actor, require
from review.store import Store


# Every action the library writes to the log, registered once here (as review/access.py registers the
# actions the policy checks). The audit trail (review/audit_trail.py) names each in words and reads its
# before and after as labels; `record_all` refuses a name that is not registered, so a new kind of audited
# change cannot reach the trail as a raw code. tests/test_audit_trail_labels.py checks this list against the
# audit writes in the source and renders a change of every action in every language.
AUDITED: frozenset[str] = frozenset({
    # answers and the workflow (review.submissions)
    "answers.save", "answers.import", "answers.import.take_workbook", "revision.freeze", "comment.add",
    "submission.submit", "submission.consent", "submission.return", "submission.validate", "submission.publish",
    # cycles and treaty status (review.cycles, review.participation)
    "cycle.create", "cycle.deadline", "participation.record",
    # accounts (review.users, review.invitations, review.sessions, review.notices)
    "user.create", "user.invite", "user.activate_account", "user.role", "user.activate", "user.deactivate",
    "user.password_change", "user.login", "user.language", "notice.choose",
    # technical assistance (review.matching)
    "offer.register", "offer.withdraw", "request.file", "preference.languages",
    "match.accept", "match.decline", "match.start", "match.deliver",
    "need.publish", "need.unpublish", "offer.publish", "offer.unpublish",
    # peer review: lots, reviewers, stages, desk review, dialogue (review.peer.lots, review.peer.reviews)
    "peer.draw", "peer.redraw", "peer.expert_assign", "peer.expert_remove", "peer.plan", "peer.stage",
    "peer.dialogue", "peer.desk_question", "peer.desk_answer", "peer.desk_comment",
    # country review reports and follow-up (review.peer.report, review.peer.followup)
    "report.draft", "report.redraft_summaries", "report.edit_text", "report.add_item", "report.edit_item",
    "report.remove_item", "report.edit_summary", "report.consent", "followup.record",
})


@dataclass(frozen=True)
class Entry:
    id: int
    logged_at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any


def record(cur, actor: Actor, action: str, entity: str, entity_id: str, before: Any = None, after: Any = None) -> None:
    """Append one entry; call it with the cursor of the transaction making the change."""
    record_all(cur, actor, [(action, entity, entity_id, before, after)])


def record_all(cur, actor: Actor, changes: list[tuple[str, str, str, Any, Any]]) -> None:
    """Append several entries (action, entity, entity id, before, after) in one statement, in order."""
    record_each(cur, [(actor, *change) for change in changes])


# json.dumps(value, ensure_ascii=False, default=str), one encoder for every entry
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


class Encoded(str):
    """A before or after already written as the JSON text `record_each` would write for it (as
    json.dumps(value, ensure_ascii=False) writes it), stored as it is: a bulk change that encoded
    its values once for its own rows need not encode them again for the log."""


def record_each(cur, changes: list[tuple[Actor, str, str, str, Any, Any]]) -> None:
    """`record_all` of entries each by its own actor (actor, action, entity, entity id, before, after),
    as a bulk change made for several users at once writes them. A before or after may come
    already encoded (`Encoded`)."""
    if not changes:
        return
    values = []
    for actor, action, entity, entity_id, before, after in changes:
        if action not in AUDITED:  # a programming error, as an unregistered policy action is
            raise LookupError(f"unknown audited action {action!r}: register it in review/audit.py (AUDITED) "
                              "and say how the audit trail reads it (review/audit_trail.py)")
        values += [
            actor.id,
            action,
            entity,
            entity_id,
            None if before is None else before if isinstance(before, Encoded) else _encode(before),
            None if after is None else after if isinstance(after, Encoded) else _encode(after),
        ]
    cur.execute(
        "INSERT INTO audit_log (logged_at, actor, action, entity, entity_id, before, after) VALUES "
        + ", ".join(["(current_timestamp, ?, ?, ?, ?, ?, ?)"] * len(changes)),
        values,
    )


def entries(store: Store, actor: Actor, entity: str | None = None, entity_id: str | None = None, limit: int = 500) -> list[Entry]:
    """The newest entries first, optionally for one entity; secretariat only."""
    require(actor, "audit.read")
    where, params = [], []
    if entity:
        where.append("entity = ?")
        params.append(entity)
    if entity_id:
        where.append("entity_id = ?")
        params.append(entity_id)
    sql = "SELECT id, logged_at, actor, action, entity, entity_id, before, after FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    with store.read() as cur:
        rows = cur.execute(sql, [*params, limit]).fetchall()
    return [
        Entry(r[0], r[1], r[2], r[3], r[4], r[5], None if r[6] is None else json.loads(r[6]), None if r[7] is None else json.loads(r[7]))
        for r in rows
    ]
