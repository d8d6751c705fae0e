"""The DuckDB file: one root connection per process, a cursor per operation, serialized writes.

DuckDB lets one process own a database file read-write, and concurrent writers to the same rows
fail with "Conflict on update", so every change goes through `transaction()`, which holds a
process-wide writer lock and commits or rolls back as one unit.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

DEFAULT_PATH = Path("data") / "review.duckdb"
ENV_VAR = "REVIEW_DB"


def failure_reason(error: Exception) -> str:
    """The first line of a database error, without DuckDB's "IO Error: " prefix, to show a user."""
    return str(error).splitlines()[0].removeprefix("IO Error: ")


def default_path() -> Path:
    """The database file: `$REVIEW_DB` when set, else `data/review.duckdb`."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


class Store:
    """Owns the connection to one database file."""

    # a working database holds unpublished data: each reader sees what the policy's viewer allows
    published_only = False

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(
            str(self.path),
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
        self._writer = threading.RLock()
        self._batch = threading.local()
        # What this process keeps of rarely changing rows (parsed questionnaire definitions): the
        # code that writes such a row empties its entry, and a batch rolled back empties it all.
        # Sound because DuckDB lets only this process write the file while it is open.
        self.cache: dict = {}

    def _batch_cursor(self) -> duckdb.DuckDBPyConnection | None:
        return getattr(self._batch, "cursor", None)

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one read operation (inside a batch, the batch's, to see it)."""
        batch = self._batch_cursor()
        if batch is not None:
            yield batch
            return
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many logical changes as one transaction, for bulk loads such as the demo: every change
        inside goes through the same library functions and rules, and all of them are written, or
        none. A change that fails inside fails the whole batch, even if its caller carries on, since
        DuckDB has no savepoint to undo that change alone. Reads on this thread see the batch."""
        with self._writer:
            if self._batch_cursor() is not None:
                yield
                return
            cur = self._con.cursor()
            cur.begin()
            self._batch.cursor, self._batch.failed = cur, False
            try:
                yield
                if self._batch.failed:
                    raise RuntimeError("a change inside the batch failed; nothing was written")
            except BaseException:
                cur.rollback()
                self.cache.clear()
                raise
            else:
                cur.commit()
            finally:
                self._batch.cursor = None
                cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One logical change: all of it is written, or none of it."""
        with self._writer:
            batch = self._batch_cursor()
            if batch is not None:
                try:
                    yield batch
                except BaseException:
                    self._batch.failed = True
                    raise
                return
            cur = self._con.cursor()
            cur.begin()
            try:
                yield cur
            except BaseException:
                cur.rollback()
                raise
            else:
                cur.commit()
            finally:
                cur.close()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """Open and migrate the database; a file that does not exist is created only with `create`
    (`review init`, `review demo`), so that a mistyped path is refused rather than silently new."""
    from review.errors import NotFound
    from review.migrations import migrate

    if not create and not Path(path if path is not None else default_path()).is_file():
        raise NotFound("errors.database_missing", path=str(path if path is not None else default_path()))
    store = Store(path)
    migrate(store)
    return store
