"""A backup from the app: the secretariat presses one button and gets a checked copy in a new folder;
every backup is listed with its check, a damaged one saying so; nobody else may take one."""

from __future__ import annotations

import pytest

from review import backup, users
from review.access import PUBLIC
from review.errors import PermissionDenied
from tests.actors import SETUP
from tests.text_helpers import shown

PAGE = "app/pages/secretariat_backups.py"


def _app(user_id: str | None):
    from streamlit.testing.v1 import AppTest

    from tests.test_matching_app import APP

    app = AppTest.from_file(APP, default_timeout=120)
    if user_id:
        app.session_state["user_id"] = user_id
    app.run()
    app.switch_page(PAGE)
    app.run()
    return app


def test_each_press_writes_a_new_checked_backup_and_lists_it(db, tmp_path, monkeypatch):
    from review.store import Store

    monkeypatch.setenv(backup.BACKUP_DIR_VAR, str(tmp_path / "backups"))
    with Store(db) as s:
        officer = users.find_by_email(s, "secretariat@demo.example.org")
    app = _app(officer.id)
    assert not app.exception
    assert "No backup has been taken here yet." in [shown(i.value) for i in app.info]
    app.button[0].click().run()
    assert not app.exception and not app.error
    assert any("checked (SHA-256" in shown(s.value) for s in app.success)
    app.button[0].click().run()
    folders = sorted(p for p in (tmp_path / "backups").iterdir())
    assert len(folders) == 2  # a second press never overwrites the first
    for folder in folders:
        assert backup.check(folder).tables["submission"] > 0
    table = app.dataframe[0].value
    assert len(table) == 2 and all(str(v).startswith("checked") for v in table["Check"])


def test_a_damaged_backup_is_listed_as_damaged(store, tmp_path):
    root = tmp_path / "backups"
    first = backup.take_now(store, SETUP, root)
    second = backup.take_now(store, SETUP, root)
    assert first.folder != second.folder
    with (first.folder / backup.FILE).open("r+b") as f:
        f.seek(100)
        f.write(b"damage")
    listed = backup.list_backups(SETUP, root)
    assert isinstance(listed[0], backup.Backup) and listed[0].folder == second.folder
    folder, wrong = listed[1]
    assert folder == first.folder and wrong.key == "backup.checksum"


def test_nobody_but_the_secretariat_takes_or_lists_backups(db, store, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.take_now(store, PUBLIC, tmp_path / "b")
    with pytest.raises(PermissionDenied):
        backup.list_backups(PUBLIC, tmp_path / "b")
    assert not (tmp_path / "b").exists()
    from review.store import Store

    with Store(db) as s:
        focal = users.find_by_email(s, "ken.focal@demo.example.org")
    app = _app(focal.id)
    assert not app.button or all("backup" not in b.label.lower() for b in app.button)
    assert not (tmp_path / "backups").exists()
