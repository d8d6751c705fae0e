"""The readable audit trail: the library's filters and labels, `review audit` with its errors and
exit codes, and the secretariat's page showing, as labels, a change a focal point made in the app."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from review import submissions as subs
from review.audit_trail import Filters, known_actions, trail
from review.cli import main
from review.errors import PermissionDenied, ValidationFailed
from tests.actors import SETUP


def _lines(store, lang="en", **filters):
    return trail(store, SETUP, Filters(**filters), lang=lang).lines


def test_an_answer_change_reads_as_question_and_status_labels(tiny_cycle, store):
    _, a = tiny_cycle
    first = subs.save_answers(store, a["focal"], "tiny-1", "KEN", 0, {("1.1", "status"): "partly_implemented"})
    subs.save_answers(store, a["contributor"], "tiny-1", "KEN", first.seq, {("1.1", "status"): "implemented"})
    latest = _lines(store, party="KEN", action="answers.save")[0]
    assert (latest.user, latest.party, latest.party_name) == ("C <c@example.org>", "KEN", "Kenya")
    assert latest.action_label == "Answers saved"
    assert latest.subject == "Tiny cycle · Kenya"
    assert (latest.field, latest.before, latest.after) == ("Art. 1(1) — Status?", "Partly implemented", "Implemented")
    chinese = _lines(store, lang="zh", party="KEN", action="answers.save")[0]
    assert (chinese.field, chinese.before, chinese.after) == ("第1条第1款 — 状态？", "部分执行", "已执行")
    assert chinese.action_label == "答复已保存"


def test_workflow_states_read_as_state_labels(submitted, store):
    step = _lines(store, action="submission.submit")[0]
    assert [(x.field, x.before, x.after) for x in _lines(store, action="submission.submit")] == [
        ("State", "Not started" if step.before == "Not started" else "Draft", "Submitted"),
        ("Consent to publication", "", "Yes"),
    ]
    assert step.action_label == "Submitted" and step.party == "KEN"


def test_filters_by_party_user_action_and_days_combine(submitted, store):
    a = submitted
    kenya = _lines(store, party="KEN")
    assert kenya and {x.party for x in kenya} == {"KEN"}
    france = _lines(store, party="FRA")
    assert france and {x.party for x in france} == {"FRA"}
    assert {x.party for x in _lines(store)} >= {"KEN", "FRA"}
    # the user by id or by e-mail, and the system context the set-up ran as
    by_email = _lines(store, user="fra@example.org")
    assert by_email and {x.user_id for x in by_email} == {a["other_focal"].id}
    assert _lines(store, user=a["other_focal"].id) == by_email
    assert {x.action for x in _lines(store, user=SETUP.id)} >= {"cycle.create", "user.create"}
    # an action family, and one action
    family = {x.action for x in _lines(store, action="submission")}
    assert family == {"submission.submit"}
    assert {x.action for x in _lines(store, action="revision.freeze")} == {"revision.freeze"}
    today = dt.date.today()
    assert len(_lines(store, since=today, until=today)) == len(_lines(store))
    assert _lines(store, until=today - dt.timedelta(days=1)) == []
    assert _lines(store, since=today + dt.timedelta(days=1)) == []
    assert _lines(store, party="FRA", action="submission.submit") == []
    # a user's account belongs to its Party: the creation of KEN's focal point shows under KEN
    assert "user.create" in {x.action for x in kenya}


def test_a_peer_reviews_entries_belong_to_the_reviewed_party(tiny_cycle, store):
    from review import audit

    with store.transaction() as cur:
        audit.record(cur, SETUP, "peer.stage", "peer_review", "tiny-1/FRA", before={"stage": "drawn"}, after={"stage": "desk"})
        audit.record(cur, SETUP, "report.edit_text", "review_report", "tiny-1/FRA/summary/intro", None, {"text": "x"})
    lines = _lines(store, party="FRA", action="peer")
    assert [(x.party, x.party_name, x.subject) for x in lines] == [("FRA", "France", "Tiny cycle · France")]
    assert [x.subject for x in _lines(store, party="FRA", action="report")] == ["Tiny cycle · France"]
    assert _lines(store, party="KEN", action="peer") == []


def test_wrong_filters_are_refused_naming_the_field(tiny_cycle, store):
    for filters, field in ((dict(party="XXX"), "party"), (dict(user="nobody@example.org"), "user"),
                           (dict(action="answers.sav"), "action"),
                           (dict(since=dt.date(2030, 2, 1), until=dt.date(2030, 1, 1)), "until")):
        with pytest.raises(ValidationFailed) as refused:
            trail(store, SETUP, Filters(**filters))
        assert [p.location for p in refused.value.problems] == [field]
    assert "answers.save" in known_actions(store, SETUP)


def test_only_the_secretariat_reads_the_trail(tiny_cycle, store):
    _, a = tiny_cycle
    assert trail(store, a["secretariat"]).lines
    for who in ("focal", "contributor", "observer"):
        with pytest.raises(PermissionDenied):
            trail(store, a[who])


# --- review audit ---------------------------------------------------------------------------


@pytest.fixture
def logged(submitted, store):
    store.close()
    return store.path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_the_filtered_trail_as_json(logged, capsys):
    code, out, err = run(capsys, "--db", str(logged), "audit", "--party", "KEN", "--action", "answers.save", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows and {r["party"] for r in rows} == {"KEN"} and {r["action"] for r in rows} == {"answers.save"}
    assert {"Art. 1(1) — Status?", "Art. 1(1) — Laws"} <= {r["field"] for r in rows}
    assert next(r for r in rows if r["field"] == "Art. 1(1) — Status?")["after"] == "Implemented"
    assert list(rows[0]) == ["entry", "logged_at", "user", "user_id", "party", "party_name", "action", "action_label",
                             "subject", "field", "before", "after"]


def test_cli_filters_by_user_and_days_and_speaks_the_language(logged, capsys):
    today = dt.date.today().isoformat()
    code, out, _ = run(capsys, "--db", str(logged), "--lang", "fr", "audit", "--user", "fra@example.org",
                       "--since", today, "--until", today, "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["user"] for r in rows} == {"FRA FP <fra@example.org>"}
    assert {r["action_label"] for r in rows} == {"Réponses enregistrées"}
    code, out, _ = run(capsys, "--db", str(logged), "audit", "--until", "2000-01-01")
    assert code == 0 and out.strip() == "No change matches these filters."
    code, out, _ = run(capsys, "--db", str(logged), "audit", "--party", "FRA")
    assert code == 0 and "Answers saved" in out and "change(s)" in out.splitlines()[-1]


@pytest.mark.parametrize("argv, message", [
    (["--party", "XXX"], "Party: 'XXX' is not a Party's code."),
    (["--user", "ghost@example.org"], "User: No user 'ghost@example.org'"),
    (["--action", "nothing.at_all"], "Action: 'nothing.at_all' is not an action of the log"),
    (["--since", "2030-02-01", "--until", "2030-01-01"], "Until: the last day (Jan 1, 2030) is before the first (Feb 1, 2030)."),
    (["--since", "yesterday"], "--since: 'yesterday' is not a day; write it as YYYY-MM-DD."),
    (["--until", "2030-13-01"], "--until: '2030-13-01' is not a day"),
])
def test_cli_refuses_wrong_filters_with_status_1(logged, capsys, argv, message):
    code, out, err = run(capsys, "--db", str(logged), "audit", *argv, "--json")
    assert code == 1 and out == "" and message in err


def test_cli_on_a_missing_database_says_so(tmp_path, capsys):
    code, out, err = run(capsys, "--db", str(tmp_path / "none.duckdb"), "audit", "--json")
    assert code == 1 and out == "" and "none.duckdb" in err


# --- the secretariat's page -----------------------------------------------------------------


def test_the_page_shows_a_change_made_in_the_app_as_labels(db):
    from review.demo import SECRETARIAT_EMAIL
    from review.store import open_store
    from review import users
    from tests.test_party_workspace import button, open_page, open_section, status_radio

    with open_store(db) as s:
        focal = users.find_by_email(s, "ken.focal@demo.example.org").actor
        secretariat = users.find_by_email(s, SECRETARIAT_EMAIL).actor
    app = open_section(focal, 7)
    labels = {None: "", "implemented": "Implemented", "partly_implemented": "Partly implemented",
              "not_implemented": "Not implemented", "not_applicable": "Not applicable"}
    radio = status_radio(app, "7.1")
    old = radio.value
    new = "not_applicable" if old != "not_applicable" else "not_implemented"
    radio.set_value(new)
    button(app, "Save section").click().run()
    assert app.success, [e.value for e in app.error]

    page = open_page("app/pages/secretariat_audit.py", secretariat)
    assert page.title[0].value == "Audit trail"
    page.selectbox(key="audit_party").set_value("KEN").run()
    page.selectbox(key="audit_action").set_value("answers.save").run()
    table = page.dataframe[0].value
    row = table[table["What changed"].str.startswith("Art. 7")].iloc[0]
    assert row["User"].endswith("<ken.focal@demo.example.org>")
    assert row["Action"] == "Answers saved" and row["Party"] == "Kenya"
    assert "—" in row["What changed"] and "7.1/status" not in set(table["What changed"])
    assert (row["Before"], row["After"]) == (labels[old], labels[new])
    assert new not in set(table["After"])
    assert {b.label for b in page.download_button} == {"CSV", "Excel"}


def test_the_page_is_the_secretariats_only(db):
    from review.store import open_store
    from review import users
    from tests.test_party_workspace import open_by_url

    with open_store(db) as s:
        focal = users.find_by_email(s, "ken.focal@demo.example.org").actor
    app = open_by_url("app/pages/secretariat_audit.py", focal)
    assert [e.value for e in app.error] == ["You are not allowed to open this page."]
    assert not app.dataframe
