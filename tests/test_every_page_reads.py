"""Every page, for every role, in English and in Chinese, on the demo (issue 12, item 10): nothing
on screen reads "None" or "00:00:00", and no raw code (an action, a form field, a cycle id, a state,
a role, a message key) stands where a label should; list pickers say "choose" in the user's language."""

from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import everyone, menu
from review import users
from review.access import ACTIONS, PUBLIC, Role
from review.demo import SECRETARIAT_EMAIL
from review.i18n import messages, t
from review.store import open_store
from review.submissions import STATES
from tests.screen_text import screen_text

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
ACCOUNTS = {
    "public": None,
    "focal point": "ken.focal@demo.example.org",
    "contributor": "ken.contributor@demo.example.org",
    "observer": "ken.observer@demo.example.org",
    "secretariat": SECRETARIAT_EMAIL,
    "provider": "unodc.provider@demo.example.org",
}
# the pages everyone has show these roles what they show another role (the same analysis scope:
# a Party's users the Party's view, a provider the public's), so they are read once, for that role
SAME_PUBLIC_PAGES = {"contributor": "focal point", "observer": "focal point", "provider": "public"}
# the secretariat's list of cycles shows, under "Cycle code", the code it typed when it opened each
# (the one the command line and the workbooks name): a field of its own, not a code in place of a label
CYCLE_CODES_SHOWN = {"app/pages/secretariat_cycles.py"}
ENGLISH_NAMES = {"English", "Chinese", "French", "Spanish", "Russian", "Arabic"}
# "None" as a value (a cell, a date); "None published" is an English sentence
NONE = re.compile(r"(?<![A-Za-z])(None|NaT|nan)(?![A-Za-z]| [a-z])")
MESSAGE_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
FIELD_CODES = {key.split(".", 1)[1] for key in messages("en") if key.startswith("fields.") and "_" in key.split(".", 1)[1]}
CODES = set(STATES) | {role.value for role in Role} | FIELD_CODES


@lru_cache(maxsize=8)
def _codes_pattern(cycle_ids: frozenset[str]) -> re.Pattern:
    """Any action or cycle code standing alone in a line: one pattern for them all (a search per code
    and line took most of this module's time on the pages with large tables)."""
    codes = sorted((*ACTIONS, *cycle_ids), key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, codes)) + r")(?![\w-])")


def problems_in(lines: list[str], cycle_ids: set[str]) -> list[str]:
    """The pieces of screen text that show a raw value or a code."""
    found = []
    codes = _codes_pattern(frozenset(cycle_ids))
    for line in lines:
        if NONE.search(line) or "00:00:00" in line:
            found.append(f"raw value: {line!r}")
        elif line.strip() in CODES or MESSAGE_KEY.match(line.strip()):
            found.append(f"code: {line!r}")
        elif codes.search(line):
            found.append(f"action or cycle code: {line!r}")
    return found


@pytest.fixture(scope="module")
def accounts(demo_db, tmp_path_factory):
    """The accounts and cycle ids of one private copy of the demo, which the app opens for every test
    of the module (pages are only rendered here, nothing is saved): one copy and one store opening for
    the module, as one server serves every user."""
    path = tmp_path_factory.mktemp("every_page") / "app.duckdb"
    shutil.copy(demo_db, path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REVIEW_DB", str(path))
        s = open_store(path)
        try:
            found = {role: users.find_by_email(s, email) if email else None for role, email in ACCOUNTS.items()}
            with s.read() as cur:
                cycle_ids = {r[0] for r in cur.execute("SELECT id FROM cycle").fetchall()}
        finally:
            s.close()
        yield found, cycle_ids


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_shows_labels_not_raw_values(accounts, role, lang):
    found, cycle_ids = accounts
    user = found[role]
    pages = [spec.path for spec in menu(user.actor if user else PUBLIC)
             if not (role in SAME_PUBLIC_PAGES and spec.audience is everyone)]
    assert len(pages) >= 2, pages
    seen = {}
    app = AppTest.from_file(APP, default_timeout=120)
    if user is not None:
        app.session_state["user_id"] = user.id
    app.session_state["lang"] = lang
    app.run()
    for page in pages:
        # AppTest calls a widget's format_func outside the script run, where the user's language is
        # unknown: drop the page before's widgets, as a browser does on leaving a page
        app._tree.children.clear()
        app.switch_page(page)
        app.run()
        assert not app.exception, (page, [e.value for e in app.exception])
        refused = t("app.refused", lang)
        assert not [e.value for e in app.error if refused in e.value], page
        lines = screen_text(app)
        bad = problems_in(lines, set() if page in CYCLE_CODES_SHOWN else cycle_ids)
        if lang != "en":
            bad += [f"English placeholder: {m.label!r}" for m in app.multiselect if not (m.proto.placeholder or "").strip()]
            bad += [f"English language name: {line!r}" for line in lines if line.strip() in ENGLISH_NAMES]
        if bad:
            seen[page] = sorted(set(bad))
    assert not seen, "\n".join(f"{page}: {bad}" for page, bad in seen.items())


def test_the_check_finds_what_it_is_for():
    lines = ["Submitted on None", "2026-12-03 00:00:00", "not_started", "match.decide", "review-2026 (draft)",
             "party.cycle_title", "cycle_id"]
    assert len(problems_in(lines, {"review-2026"})) == len(lines)
    assert not problems_in(["First review cycle", "ken.focal@demo.example.org", "Nonetheless", "2026-12-03"], {"review-2026"})
