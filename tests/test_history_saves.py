"""History shows every saved change (issue 12, item 13): online saves as well as workbook imports and
submissions, from the audit log, with who, when, how, the provision and question, and the values
before and after as labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import submissions, users, workspace
from review.errors import PermissionDenied
from review.store import open_store

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
CYCLE = "review-2026"


@pytest.fixture
def saved(db):
    """KEN's contributor changes the status of Art. 7(1) online, then a focal point of another Party
    tries to read KEN's changes."""
    s = open_store(db)
    contributor = users.find_by_email(s, "ken.contributor@demo.example.org").actor
    sub = submissions.get_submission(s, CYCLE, "KEN")
    before = submissions.current_answers(s, contributor, CYCLE, "KEN").get(("7.1", "status"))
    after = "not_implemented" if before != "not_implemented" else "implemented"
    submissions.save_answers(s, contributor, CYCLE, "KEN", sub.seq, {("7.1", "status"): after})
    people = {name: users.find_by_email(s, f"{name}@demo.example.org").actor for name in ("ken.focal", "vnm.focal")}
    yield s, people, before, after
    s.close()


LABELS = {"implemented": "Fully implemented", "not_implemented": "Not implemented",
          "partly_implemented": "Partially implemented", "not_applicable": "Not applicable", None: ""}


def test_an_online_save_is_listed_with_who_what_and_labels(saved):
    s, people, before, after = saved
    changes = workspace.saved_changes(s, people["ken.focal"], CYCLE, "KEN", "en")
    newest = changes[0]
    assert (newest.who, newest.how, newest.provision, newest.question) == (
        "Contributor, Kenya", "Saved online", "Art. 7(1)", "Has your State implemented the provision?")
    assert (newest.before, newest.after) == (LABELS.get(before, before), LABELS[after])
    assert len(changes) > 1, "the earlier saves are there too"
    with pytest.raises(PermissionDenied):
        workspace.saved_changes(s, people["vnm.focal"], CYCLE, "KEN", "en")


def test_the_history_page_shows_online_saves(saved):
    s, people, before, after = saved
    focal = people["ken.focal"]
    s.close()
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["user_id"] = focal.id
    app.run()
    app.switch_page("app/pages/party_history.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Every saved change" in [h.value for h in app.subheader]
    table = app.dataframe[0].value
    first = table.iloc[0]
    assert (first["By"], first["How"], first["Provision"], first["After"]) == (
        "Contributor, Kenya", "Saved online", "Art. 7(1)", LABELS[after])
