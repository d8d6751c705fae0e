"""Installation settings stored in the database, so they travel with the data they describe."""

from __future__ import annotations

from review.store import Store

DEMO = "demo"


def get(store: Store, key: str, default: str | None = None) -> str | None:
    with store.read() as cur:
        row = cur.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def put(cur, key: str, value: str) -> None:
    """Set a value inside the caller's transaction."""
    cur.execute("INSERT OR REPLACE INTO setting VALUES (?, ?)", [key, value])


def is_demo(store: Store) -> bool:
    """Whether this database holds the synthetic demo (the login page then lists its accounts)."""
    return get(store, DEMO) == "true"
