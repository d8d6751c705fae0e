"""Arabic, right to left, in a real browser (issue 13): a visitor whose browser prefers Arabic gets
the page in Arabic, laid out right to left (`<html dir="rtl" lang="ar">`), and the overview, a focal
point's questionnaire and the secretariat's inbox show no interface string left in English.

"Left in English" is checked against the English messages themselves: every text on the page is
compared with every English message that Arabic translates differently (whole short messages, and
the literal parts of longer ones around their placeholders); Party data and proper names (cycle
titles, Party and user names, e-mails) are taken out first, since they are the Parties' own.
"""

from __future__ import annotations

import re
import shutil

import pytest

from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.i18n import messages, t
from review.store import open_store
from tests.browser_app import CHROMIUM, FLAGS, choose, require_chromium, serve, wait_idle

pytestmark = pytest.mark.browser

KEN = "ken.focal@demo.example.org"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
LATIN = re.compile(r"[A-Za-z]{3,}")
# every text node the user can see (not inside scripts, styles or hidden elements)
VISIBLE_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    // an icon's ligature name ('article', 'send') is drawn as a glyph, hidden from readers: not text
    if (parent.closest('[aria-hidden="true"]')) continue;
    const text = node.textContent.trim();
    if (text && parent.offsetParent !== null) out.push(text);
  }
  // labels drawn on canvases (tables, charts) are not text nodes: the grids' headers are in aria
  document.querySelectorAll('[role=columnheader]').forEach(h => out.push(h.textContent.trim()));
  return out;
}"""


def _english_only() -> tuple[set[str], set[str]]:
    """Whole English messages, and the literal fragments of templated ones, that differ in Arabic."""
    english, arabic = messages("en"), messages("ar")
    whole, parts = set(), set()
    for key, text in english.items():
        if arabic.get(key) == text or not LATIN.search(text):
            continue
        if PLACEHOLDER.search(text):
            parts |= {p.strip(" .,:;()") for p in PLACEHOLDER.split(text) if len(LATIN.findall(p)) >= 2}
        else:
            whole.add(text.strip())
    return whole, {p for p in parts if p}


def _data(db) -> list[str]:
    store = open_store(db, create=False)
    try:
        with store.read() as cur:
            rows = (cur.execute("SELECT title FROM cycle").fetchall() + cur.execute("SELECT name FROM app_user").fetchall()
                    + cur.execute("SELECT email FROM app_user").fetchall()
                    + cur.execute("SELECT DISTINCT provider FROM ta_offer").fetchall())
    finally:
        store.close()
    from review.parties import all_parties

    store = open_store(db, create=False)
    try:
        names = [p.name("en") for p in all_parties(store).values()]
    finally:
        store.close()
    return sorted({r[0] for r in rows if r[0]} | set(names), key=len, reverse=True)


def untranslated(tab, data: list[str]) -> list[str]:
    whole, parts = _english_only()
    found = []
    for text in tab.evaluate(VISIBLE_TEXTS):
        for datum in data:
            text = text.replace(datum, " ")
        if text.strip() in whole or any(part in text for part in parts):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def arabic(demo_db, tmp_path_factory):
    require_chromium()
    db = tmp_path_factory.mktemp("arabic") / "demo.duckdb"
    shutil.copy(demo_db, db)
    data = _data(db)
    with serve(db) as url:
        yield url, data


@pytest.fixture
def tab(arabic):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        # the browser's preferred language (Accept-Language: ar-EG) chooses Arabic: nobody picks it
        page = browser.new_page(viewport={"width": 1400, "height": 1400}, locale="ar-EG")
        page.goto(arabic[0])
        wait_idle(page)
        yield page
        browser.close()


def _go(tab, title_key: str) -> None:
    tab.get_by_role("link", name=t(title_key, "ar"), exact=True).click()
    wait_idle(tab)


def _log_in(tab, email: str) -> None:
    _go(tab, "nav.login")
    tab.get_by_label(t("accounts.email", "ar")).fill(email)
    tab.get_by_label(t("accounts.password", "ar"), exact=True).fill(DEMO_PASSWORD)
    tab.get_by_role("button", name=t("accounts.login", "ar"), exact=True).click()
    wait_idle(tab)
    tab.get_by_text(t("accounts.logout", "ar")).wait_for(timeout=30_000)


def _right_to_left(tab) -> None:
    assert tab.evaluate("[document.documentElement.dir, document.documentElement.lang]") == ["rtl", "ar"]
    # laid out right to left: the sidebar is on the right of the main column
    sidebar = tab.locator("[data-testid='stSidebar']").bounding_box()
    main = tab.locator("[data-testid='stMain']").bounding_box()
    assert sidebar["x"] > main["x"]


def test_the_overview_is_arabic_right_to_left_for_a_browser_that_prefers_arabic(tab, arabic):
    tab.get_by_text(t("overview.completeness_by_chapter", "ar")).first.wait_for(timeout=60_000)
    _right_to_left(tab)
    assert untranslated(tab, arabic[1]) == []


def test_the_questionnaire_speaks_arabic(tab, arabic):
    _log_in(tab, KEN)
    _go(tab, "nav.party_questionnaire")
    _right_to_left(tab)
    assert untranslated(tab, arabic[1]) == []


def test_the_secretariat_inbox_speaks_arabic(tab, arabic):
    _log_in(tab, SECRETARIAT_EMAIL)
    _go(tab, "nav.secretariat_inbox")
    _right_to_left(tab)
    assert untranslated(tab, arabic[1]) == []


def test_the_check_finds_english(tab, arabic):
    """The same check on the English page finds English (so it can fail)."""
    choose(tab, t("app.language", "ar"), "English")
    assert tab.evaluate("document.documentElement.dir") == "ltr"
    found = untranslated(tab, arabic[1])
    assert t("overview.completeness_by_chapter", "en") in found and len(found) > 5, found

