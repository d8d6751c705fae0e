"""Nothing a user typed is dropped, cut or changed on the way to a save (issue 12, items 1-3).

The browser enforces a widget's `required`, `max_chars` and range itself: a table row missing a
required cell was dropped, a paste over the limit not inserted, a year of 3000 clamped to 2100, all
without a word. So no widget carries them; the library refuses the value on save, naming the
provision, question, row and column, and the page keeps what was typed, on screen and in the draft.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from review import drafts, submissions
from tests.test_party_workspace import CYCLE, button, open_section, texts

LONG = "x" * 9000


@pytest.fixture
def focal(db):
    from review import users
    from review.store import open_store

    s = open_store(db)
    yield s, users.find_by_email(s, "ken.focal@demo.example.org").actor
    s.close()


def test_no_widget_of_a_section_can_drop_cut_or_clamp_what_is_typed(focal):
    _, actor = focal
    app = open_section(actor, 7)
    editors = app.get("dataframe")
    assert editors, "the section has tables"
    for editor in editors:
        for column, config in json.loads(editor.proto.columns).items():
            assert not config.get("required"), (editor.key, column)
            options = config.get("type_config") or {}
            assert not {"max_chars", "min_value", "max_value"} & set(options), (editor.key, column, options)
    for box in list(app.text_area) + list(app.text_input):
        assert box.proto.max_chars == 0, box.label
    for number in app.number_input:
        assert not number.proto.has_min and not number.proto.has_max, number.label


def test_an_incomplete_row_an_over_long_text_and_a_far_year_are_refused_by_name_and_kept(focal):
    s, actor = focal
    app = open_section(actor, 7)
    gen = app.session_state["ws_snapshot"]["gen"]
    need = {"type": "legislative_drafting"}
    law = {"title": "Computer Misuse Act", "year": 3000}
    app.session_state[f"ans_{gen}_7.1_ta_needs"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [need]}
    app.session_state[f"ans_{gen}_7.1_legislation"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [law]}
    app.text_area(key=f"ans_{gen}_7.1_examples").set_value(LONG)
    button(app, "Save section").click().run()
    assert not app.exception, [e.value for e in app.exception]

    assert texts(app, "error")[0].startswith("Nothing was saved: 3 answer(s) need correcting.")
    listed = app.markdown[-1].value
    assert "Art. 7(1) — Technical assistance needed — row 1 — Priority: this column must be filled in" in listed
    assert "Art. 7(1) — Examples of implementation, including cases and court decisions: the text is 9000 characters long; at most 8000" in listed
    assert "row 1 — Year of adoption or last amendment: '3000' is not a year between 1900 and 2100" in listed
    for raw in ("ta_needs", "priority", "examples", "legislation"):
        assert raw not in listed, raw

    saved = submissions.current_answers(s, actor, CYCLE, "KEN")
    assert saved.get(("7.1", "examples")) != LONG
    kept = drafts.load_draft(s, actor, CYCLE, "KEN")
    assert kept[("7.1", "ta_needs")].value[-1] == need, "the incomplete row is kept as typed"
    assert kept[("7.1", "examples")].value == LONG, "the long text is kept whole"
    assert kept[("7.1", "legislation")].value[-1] == law, "the year is not clamped"
    assert app.text_area(key=f"ans_{gen}_7.1_examples").value == LONG, "still on screen"

    again = open_section(actor, 7)
    gen = again.session_state["ws_snapshot"]["gen"]
    assert again.text_area(key=f"ans_{gen}_7.1_examples").value == LONG, "back from the draft"


def test_a_year_out_of_range_reaches_the_check_unchanged():
    def script():
        import streamlit as st

        from app.answer_inputs import answer_input
        from review.questionnaire import from_mapping
        from tests.workbook_helpers import all_kinds_definition

        q = from_mapping(all_kinds_definition(), "kinds")
        question = q.provision("1.1").question("built")
        st.session_state["given"] = answer_input(q, question, None, "k_built", False)

    from review.questionnaire import from_mapping
    from review.questionnaire.values import check_value
    from tests.workbook_helpers import all_kinds_definition

    app = AppTest.from_function(script, default_timeout=60)
    app.run()
    app.number_input(key="k_built").set_value(3000).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["given"] == 3000
    q = from_mapping(all_kinds_definition(), "kinds")
    [problem] = check_value(q, q.provision("1.1").question("built"), 3000)
    assert problem.key == "values.bad_year"


def direct_calls(widget: str, wrapper: str) -> list[str]:
    """Where app/ calls Streamlit's `widget` itself rather than through the module `wrapper`."""
    from pathlib import Path

    import app

    root = Path(app.__file__).parent
    return [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py")) if path.name != wrapper
            for n, line in enumerate(path.read_text().splitlines(), 1) if f".{widget}(" in line]


def test_every_date_input_takes_any_day_typed():
    """A complete day typed outside a date input's range does not take (the page gets the previous value,
    or none): Streamlit's default range is ten years either side of today. So every date input of the app
    goes through app.dates, over the widest range (typed in the browser: tests/test_focal_walk_browser.py)."""
    from app.dates import FIRST_DATE, LAST_DATE

    assert not direct_calls("date_input", "dates.py")
    assert FIRST_DATE.year <= 1000 and LAST_DATE.year == 9999


def test_no_number_input_of_the_app_clamps_what_is_typed():
    """A number input with a range clamps a typed number to it in the browser (the TA offer's capacity:
    5000 became 1000): the library refuses it instead, naming the field."""
    from pathlib import Path

    import app

    clamped = [f"{path.name}:{n}" for path in sorted(Path(app.__file__).parent.rglob("*.py"))
               for n, line in enumerate(path.read_text().splitlines(), 1)
               if "number_input(" in line and ("min_value" in line or "max_value" in line)]
    assert not clamped


def test_every_file_uploader_is_worded_in_the_users_language():
    """Streamlit writes an uploader's button and limit in English: app.uploads words them in the user's
    language (read in Chinese in the browser: tests/test_focal_walk_browser.py)."""
    from app.uploads import style

    assert not direct_calls("file_uploader", "uploads.py")
    css = style("ws_upload", 20, ["xlsx"])
    assert ".st-key-ws_upload [data-testid='stFileUploaderDropzone']" in css and 'content: "At most 20 MB per file · XLSX"' in css


def test_a_file_the_uploader_refuses_is_refused_in_the_users_language(monkeypatch):
    """Streamlit's frontend refuses a file too large, of another type or one too many in English ("text/plain
    files are not allowed."), in the chip and a tooltip: the uploader's style puts our reason in their place,
    only for this uploader, in the user's language (seen in Chinese in the browser:
    tests/test_focal_walk_browser.py)."""
    import app.context
    from app import uploads

    monkeypatch.setattr(app.context, "lang", lambda: "fr")
    css = uploads.style("ws_upload", 20, ["xlsx"])
    ours = 'content: "Fichier non accepté : choisissez un seul fichier (XLSX) de 20 Mo au plus, puis réessayez."'
    refusal = [rule for rule in css.split("}") if "stFileChip" in rule or "stTooltipError" in rule]
    assert refusal and all(".st-key-ws_upload [data-testid='stFileChips']" in rule for rule in refusal), refusal
    assert sum(ours in rule for rule in refusal) == 2  # under the chip, and for screen readers
    assert any("[role='tooltip']" in rule and "display: none" in rule for rule in refusal)  # Streamlit's English tooltip
    monkeypatch.setattr(uploads, "tr_plain", lambda key, **_: 'a "b" \\ c')
    assert 'content: "a \\"b\\" \\\\ c"; flex-basis: 100%' in uploads.style("ws_upload", 20, ["xlsx"])
