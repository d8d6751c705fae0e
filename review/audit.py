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


def record_each(cur, changes: list[tuple[Actor, str, str, str, Any, Any]]) -> None:
    """`record_all` of entries each by its own actor (actor, action, entity, entity id, before, after),
    as a bulk change made for several users at once writes them."""
    if not changes:
        return
    values = []
    for actor, action, entity, entity_id, before, after in changes:
        values += [
            actor.id,
            action,
            entity,
            entity_id,
            None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            None if after is None else json.dumps(after, ensure_ascii=False, default=str),
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
