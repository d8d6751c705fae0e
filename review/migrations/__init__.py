"""Versioned schema migrations, recorded in the database, each applied in its own transaction.

A migration is a module `mNNNN_name.py` in this package defining `ID` and `apply(cur)`; they run in
order of `ID`, once each. Features add their own module rather than editing an existing one.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

from review.store import Store


@dataclass(frozen=True)
class Migration:
    id: str
    apply: Callable


def registered() -> list[Migration]:
    """Every migration module in this package, in order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(module.ID, module.apply))
    return sorted(found, key=lambda m: m.id)


def applied(store: Store) -> list[str]:
    with store.read() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration (id VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
        )
        return [row[0] for row in cur.execute("SELECT id FROM schema_migration ORDER BY id").fetchall()]


def migrate(store: Store) -> list[str]:
    """Apply the migrations not yet recorded; returns the ids applied now (empty when up to date)."""
    done = set(applied(store))
    now = []
    for migration in registered():
        if migration.id in done:
            continue
        with store.transaction() as cur:
            migration.apply(cur)
            cur.execute(
                "INSERT INTO schema_migration VALUES (?, current_timestamp)", [migration.id]
            )
        now.append(migration.id)
    return now
