"""A backup taken while the app holds the database, checked by its checksum and by opening it, and
restored only once checked: every submission, revision and audit entry comes back."""

from __future__ import annotations

import shutil

import pytest

from review import audit, backup, submissions
from review.access import PUBLIC
from review.cli import main
from review.errors import PermissionDenied, ReviewError
from review.store import Store
from tests.actors import SETUP


def _state(store: Store) -> tuple:
    with store.read() as cur:
        return tuple(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("submission", "revision", "revision_answer", "answer", "audit_log", "app_user"))


def test_a_backup_taken_while_the_store_is_open_restores_everything(demo_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    with Store(db) as store:
        before = _state(store)
        entries = len(audit.entries(store, SETUP, limit=100_000))
        taken = backup.take(store, SETUP, tmp_path / "b1")
        assert taken.tables["submission"] == before[0] and taken.tables["audit_log"] == before[4]
        with pytest.raises(PermissionDenied):
            backup.take(store, PUBLIC, tmp_path / "b2")
        with pytest.raises(ReviewError):
            backup.take(store, SETUP, tmp_path / "b1")  # never overwritten
        submissions.return_for_clarification(store, SETUP, "review-2026", "NZL", {None: "after the backup"})
    kept = backup.restore(tmp_path / "b1", db)
    assert kept is not None and kept.exists()
    with Store(db) as store:
        assert _state(store) == before
        assert len(audit.entries(store, SETUP, limit=100_000)) == entries
        assert submissions.get_submission(store, "review-2026", "NZL").state != "returned"


def test_a_damaged_backup_is_never_restored(demo_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    with Store(db) as store:
        backup.take(store, SETUP, tmp_path / "b")
    with (tmp_path / "b" / backup.FILE).open("r+b") as handle:
        handle.seek(100_000)
        handle.write(b"\x00garbage")
    original = db.read_bytes()
    with pytest.raises(ReviewError) as refused:
        backup.restore(tmp_path / "b", db)
    assert "checksum" in refused.value.message("en")
    assert db.read_bytes() == original
    with pytest.raises(ReviewError):
        backup.check(tmp_path / "nothing-here")


def test_restore_is_refused_while_the_database_is_open(demo_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    with Store(db) as store:
        backup.take(store, SETUP, tmp_path / "b")
        with pytest.raises(ReviewError) as busy:
            backup.restore(tmp_path / "b", db)
        assert busy.value.key == "errors.database_busy"


def test_review_backup_and_restore(demo_db, tmp_path, capsys):
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    assert main(["--db", str(db), "backup", str(tmp_path / "nightly")]) == 0
    assert "checked" in capsys.readouterr().out
    assert main(["--db", str(db), "restore", str(tmp_path / "nightly")]) == 0
    out = capsys.readouterr().out
    assert "is now the backup" in out and "is kept as" in out
    assert main(["--db", str(db), "restore", str(tmp_path / "missing")]) == 1
