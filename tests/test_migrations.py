"""Versioned migrations: recorded, applied once, each in a transaction."""

from review.migrations import applied, migrate, registered
from review.store import Store, open_store


def test_a_new_database_gets_every_migration_recorded(tmp_path):
    store = open_store(tmp_path / "r.duckdb")
    assert applied(store) == [m.id for m in registered()]


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "r.duckdb"
    open_store(path).close()
    with Store(path) as store:
        assert migrate(store) == []
        assert migrate(store) == []
        assert applied(store) == [m.id for m in registered()]


def test_a_failing_migration_leaves_nothing_behind(tmp_path, monkeypatch):
    import review.migrations as migrations

    store = Store(tmp_path / "r.duckdb")
    migrate(store)

    def broken(cur):
        cur.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "registered", lambda: [migrations.Migration("9999_broken", broken)])
    try:
        migrate(store)
    except RuntimeError:
        pass
    with store.read() as cur:
        tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables
    assert "9999_broken" not in applied(store)
