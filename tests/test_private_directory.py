"""The directory of 24/7 points of contact and designated authorities (questions marked
`private: true`) is for the secretariat and the States Parties only: never in the published
answers, the public analysis or the snapshot, whatever the Party's consent to publication; and
absent from every public page of the app."""

from __future__ import annotations

import copy
import itertools
import json

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from review import reading, rules
from review.access import PUBLIC
from review.analysis.scope import answers_frame
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.questionnaire import DefinitionError, from_mapping
from review.store import Store
from review.submissions import STATES, current_answers, list_submissions, published_answers
from tests.actors import SETUP
from tests.analysis_data import KEN_1, FRA_1, T, publish
from tests.analysis_data import tiny_with_needs as tiny_definition

CONTACT = {"id": "contact", "type": "table", "private": True, "label": T("24/7 point of contact", "24/7 联络点"),
           "columns": [{"id": "unit", "type": "text", "required": True, "label": T("Unit", "单位")},
                       {"id": "email", "type": "text", "label": T("Email", "电子邮件")}]}
UNIT, EMAIL = "Lighthouse Night Desk", "night-desk@lights.example.org"


def _with_contact() -> dict:
    d = tiny_definition()
    provision = d["articles"][0]["provisions"][0]
    provision["questions"] = [*(provision.get("questions") or []), copy.deepcopy(CONTACT)]
    return d


@pytest.fixture
def tiny():
    return from_mapping(_with_contact(), "tiny")


@pytest.fixture
def directory(store, tiny_cycle):
    """KEN published WITH consent, its contact point filled in; FRA published too."""
    _, people = tiny_cycle
    publish(store, people["focal"], "tiny-1", "KEN", {**KEN_1, ("1.1", "contact"): [{"unit": UNIT, "email": EMAIL}]},
            consent=True)
    publish(store, people["other_focal"], "tiny-1", "FRA", {**FRA_1, ("1.1", "contact"): [{"unit": "Paris desk"}]},
            consent=True)
    return people


def test_the_questionnaire_marks_the_directory_private():
    q = from_mapping(_with_contact(), "tiny")
    assert q.private_questions == {"contact"}
    assert q.provision("1.1").question("contact").private
    bad = _with_contact()
    bad["articles"][0]["provisions"][0]["questions"][-1]["columns"][0]["private"] = True
    with pytest.raises(DefinitionError):  # private is a question's, not a column's
        from_mapping(bad, "tiny")


def test_the_convention_questionnaires_keep_the_contact_directory_private(tiny):
    from review.questionnaire import catalogue

    for (_, version), q in catalogue().items():
        assert {"central_authority", "contact_point_247", "extradition_authority"} <= q.private_questions, version


def test_public_in_python_and_in_sql_agree():
    con = duckdb.connect()
    private = frozenset({"contact", "o'brien"})
    cases = list(itertools.product(STATES, [True, False], [None, 1], ["contact", "status", "o'brien"]))
    for state, consent, revision, question in cases:
        in_sql = con.execute(
            f"SELECT {rules.public_sql('s')} AND {rules.public_question_sql('$q', private)} FROM "
            "(SELECT $state AS state, $consent AS consent_publication, $revision AS published_revision) s",
            {"state": state, "consent": consent, "revision": revision, "q": question}).fetchone()[0]
        assert in_sql == rules.is_public_answer(state, consent, revision, question, private)
    assert rules.public_question_sql("q", frozenset()) == "TRUE"
    assert not rules.is_public_answer("published", True, 1, "contact", private)


def test_the_published_answers_leave_the_directory_out(store, directory):
    published = published_answers(store, "tiny-1", "KEN")
    assert ("1.1", "contact") not in published and published[("1.1", "status")] == "implemented"
    # the Party's own users, and the secretariat, read it
    assert current_answers(store, directory["focal"], "tiny-1", "KEN")[("1.1", "contact")][0]["unit"] == UNIT
    assert current_answers(store, SETUP, "tiny-1", "KEN")[("1.1", "contact")][0]["email"] == EMAIL


def test_a_public_reading_withholds_a_private_answer_even_if_handed_it(store, directory, tiny):
    answers = current_answers(store, SETUP, "tiny-1", "KEN")
    line = next(ln for ln in reading.answer_sheet(tiny, ["I"], answers, "fr", public=True)[0].articles[0].provisions[0].lines
                if ln.question_id == "contact")
    assert line.withheld and line.rows is None and UNIT not in line.text
    assert "secrétariat" in line.text
    private_view = reading.answer_sheet(tiny, ["I"], answers, "en")[0].articles[0].provisions[0].lines
    (contact,) = [ln for ln in private_view if ln.question_id == "contact"]
    assert contact.rows[0]["Unit"] == UNIT and not contact.withheld


def test_the_public_analysis_leaves_the_directory_out(store, directory):
    def contacts(actor, **kw) -> set[str]:
        frame = answers_frame(store, actor, "tiny-1", **kw).filter(pl.col("question_id") == "contact")
        return set(frame["party"])

    assert contacts(PUBLIC) == set()
    assert contacts(SETUP, published_only=True) == set()
    assert contacts(SETUP) == {"KEN", "FRA"}
    # a Party's user reads its own directory entry, not another Party's (public answers only)
    assert contacts(directory["focal"]) == {"KEN"}
    assert contacts(directory["other_focal"]) == {"FRA"}


def test_the_snapshot_holds_no_directory_entry(store, directory, tmp_path):
    folder = tmp_path / "snapshot"
    write_snapshot(store, SETUP, folder)
    files = sorted(folder.glob("*.parquet"))
    assert files
    for path in files:
        frame = pl.read_parquet(path)
        text = json.dumps(frame.to_dicts(), default=str, ensure_ascii=False)
        if path.name != "questionnaire.parquet":  # the definition names the question, holds no answer
            assert "contact" not in set(frame["question_id"]) if "question_id" in frame.columns else True
        assert UNIT not in text and EMAIL not in text and "Paris desk" not in text, path.name
    with open_snapshot(folder) as snap:
        assert answers_frame(snap, PUBLIC, "tiny-1").filter(pl.col("question_id") == "contact").is_empty()
        assert not answers_frame(snap, PUBLIC, "tiny-1").is_empty()


# --- the app, as the public, on the demo -------------------------------------------------------

DEMO_CYCLE = "review-2026"


def _directory_texts(db) -> tuple[str, list[str], set[str]]:
    """A Party whose answers are public and that filled in its directory, the chapters where, and
    every text it typed there."""
    with Store(db) as s:
        public = [x for x in list_submissions(s, DEMO_CYCLE) if x.public]
        from review.cycles import cycle_questionnaire, get_cycle

        q = cycle_questionnaire(s, get_cycle(s, DEMO_CYCLE))
        private = sorted(q.private_questions)
        for sub in public:
            answers = current_answers(s, SETUP, DEMO_CYCLE, sub.party)
            found = {(p, qid): v for (p, qid), v in answers.items() if qid in private and v}
            if found:
                chapters = sorted({q.provision(p).chapter for p, _ in found})
                texts = {str(cell) for rows in found.values() for row in rows for k, cell in row.items()
                         if k != "_row" and isinstance(cell, str) and len(cell) > 6}
                return sub.party, chapters, texts
    raise AssertionError("the demo has a public Party with a directory entry")


def _page_text(app: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "text", "info", "warning", "subheader", "header", "title", "metric")
             for e in getattr(app, kind)]
    parts += [json.dumps(df.value.to_dict(orient="list") if hasattr(df.value, "to_dict") else str(df.value), default=str,
                         ensure_ascii=False) for df in app.dataframe]
    parts += [str(e.options) for e in app.selectbox]
    return "\n".join(str(p) for p in parts)


def test_no_public_page_shows_the_directory(app, db):
    party, chapters, texts = _directory_texts(db)
    assert texts
    app.run()
    for spec in navigation.PAGES:
        if spec.audience(PUBLIC) and spec.path not in ("app/pages/login.py",):
            app.switch_page(spec.path)
            app.run()
            assert not app.exception, (spec.path, [e.value for e in app.exception])
            assert not app.error, (spec.path, [e.value for e in app.error])
            shown = _page_text(app)
            assert not [t for t in texts if t in shown], spec.path
    app.switch_page("app/pages/published_answers.py")
    app.run()
    app.selectbox(key="published_party").set_value(party).run()
    for chapter in chapters:
        app.selectbox(key="published_chapter").set_value(chapter).run()
        assert not app.exception
        shown = _page_text(app)
        assert not [t for t in texts if t in shown], chapter
        assert "this directory is for the secretariat and the States Parties only" in shown
