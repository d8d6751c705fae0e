"""Backups an operator can trust: a consistent copy of the database, taken while the app runs, checked
by a checksum and by opening it, and restored only once it has been checked.

DuckDB lets one process own the database file, so the copy is made by that process: `take` holds the
writer lock (no change can start meanwhile), attaches a new file and copies the whole database into
it (`COPY FROM DATABASE`), then records in `backup.json` the SHA-256 of the file and the rows of
every table. `check` recomputes both on the copy; `restore` checks a backup, then puts a copy of it
in place of a database file that no process has open (the app stopped), keeping the file it
replaces beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from review.access import Actor, require
from review.checksum import file_sha256
from review.errors import ReviewError
from review.store import Store

MANIFEST = "backup.json"
BACKUP_DIR_VAR = "REVIEW_BACKUP_DIR"
FILE = "review.duckdb"
FORMAT = 1


@dataclass(frozen=True)
class Backup:
    folder: Path
    created_at: str
    tables: dict[str, int]
    sha256: str



def _counts(cur, catalog: str) -> dict[str, int]:
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name", [catalog]).fetchall()]
    return {name: cur.execute(f'SELECT count(*) FROM "{catalog}"."{name}"').fetchone()[0] for name in names}


def take(store: Store, actor: Actor, folder: str | Path) -> Backup:
    """A consistent copy of the whole database in `folder` (which must not hold one already)."""
    require(actor, "backup.take")
    folder = Path(folder)
    target = folder / FILE
    if target.exists() or (folder / MANIFEST).exists():
        raise ReviewError("backup.exists", path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    with store.transaction() as cur:  # the writer lock: no change starts while the copy is made
        source = cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH '{_quoted(target)}' AS backup_copy")
        try:
            cur.execute(f'COPY FROM DATABASE "{source}" TO backup_copy')
            tables = _counts(cur, "backup_copy")
        finally:
            cur.execute("DETACH backup_copy")
    backup = Backup(folder, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), tables, file_sha256(target))
    (folder / MANIFEST).write_text(json.dumps({"format": FORMAT, "created_at": backup.created_at, "file": FILE,
                                               "sha256": backup.sha256, "tables": tables}, indent=2), encoding="utf-8")
    return backup


def backup_root(database: Path) -> Path:
    """Where the app writes the backups a secretariat officer takes: `$REVIEW_BACKUP_DIR`, else a
    `backups` folder beside the database file (docs/operations.md: copy them off the server)."""
    return Path(os.environ.get(BACKUP_DIR_VAR) or database.parent / "backups")


def take_now(store: Store, actor: Actor, root: str | Path) -> Backup:
    """A backup in a new folder of `root` named by the time it is taken (UTC), as the app's button
    takes one; never over an earlier one."""
    require(actor, "backup.take")
    root = Path(root)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return take(store, actor, folder)


def list_backups(actor: Actor, root: str | Path) -> list[Backup | tuple[Path, ReviewError]]:
    """The backups in `root`, newest first, each checked (checksum and rows), or with what is wrong
    with it; for those who may take them."""
    require(actor, "backup.take")
    root = Path(root)
    found: list[Backup | tuple[Path, ReviewError]] = []
    folders = sorted((p for p in root.iterdir() if p.is_dir()), reverse=True) if root.is_dir() else []
    for folder in folders:
        try:
            found.append(check(folder))
        except ReviewError as wrong:
            found.append((folder, wrong))
    return found


def check(folder: str | Path) -> Backup:
    """The backup in `folder`, once its file matches its checksum and opens with every table and row
    the manifest recorded; refused, saying what is wrong, otherwise."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        tables, sha = dict(manifest["tables"]), str(manifest["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ReviewError("backup.no_manifest", path=str(folder)) from None
    target = folder / FILE
    if not target.is_file() or file_sha256(target) != sha:
        raise ReviewError("backup.checksum", path=str(target))
    try:
        con = duckdb.connect(str(target), read_only=True,
                             config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    except duckdb.Error:
        raise ReviewError("backup.unreadable", path=str(target)) from None
    try:
        found = _counts(con, con.execute("SELECT current_database()").fetchone()[0])
    finally:
        con.close()
    if found != tables:
        raise ReviewError("backup.tables_differ", path=str(target))
    return Backup(folder, manifest.get("created_at", ""), tables, sha)


def restore(folder: str | Path, database: str | Path) -> Path | None:
    """Put the checked backup of `folder` in place of `database` (which no process may have open);
    the file it replaces is kept beside it as `<name>.before-restore-<time>`, returned."""
    check(folder)
    database = Path(database)
    kept = None
    if database.exists():
        try:  # refused while the app (or anything) holds the file; a broken file may be replaced
            duckdb.connect(str(database)).close()
        except duckdb.ConnectionException:
            raise ReviewError("errors.database_busy", path=str(database)) from None
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise ReviewError("errors.database_busy", path=str(database)) from None
        kept = database.with_name(f"{database.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}")
        database.rename(kept)
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(folder) / FILE, database)
    return kept


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
