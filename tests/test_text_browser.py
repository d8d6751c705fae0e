"""In a real browser: text a user typed (a comment, a name) shows as the characters typed, whatever
Markdown, HTML, LaTeX or Streamlit directive it holds. AppTest sees only the Markdown source the app
sends; this checks what Streamlit's own renderer makes of it: no image, link, emphasis, formula,
colour or script, and every payload readable as typed."""

from __future__ import annotations

import shutil

import pytest

from review import submissions, users
from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL
from review.store import Store
from tests.browser_app import log_in, require_chromium, serve, wait_idle, CHROMIUM, FLAGS

pytestmark = pytest.mark.browser

PAYLOADS = [
    "![beacon](https://tracker.example/pixel.png)",
    "[click here](https://phish.example)",
    ":red[alarm] :material/warning: :smile:",
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "**bold** _it_ ~~gone~~",
    "$x^2$",
    "www.phish.example and mail@phish.example and https://phish.example/a",
    "&lt;b&gt; `code`",
]
FOCAL = "nzl.focal@demo.example.org"


@pytest.fixture(scope="module")
def hostile_served(demo_db, tmp_path_factory):
    require_chromium()
    db = tmp_path_factory.mktemp("text_browser") / "demo.duckdb"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        secretariat = users.find_by_email(s, SECRETARIAT_EMAIL).actor
        submissions.return_for_clarification(s, secretariat, "review-2026", "NZL", {None: "\n".join(PAYLOADS)})
        with s.transaction() as cur:  # a name as hostile as the comment (names are typed by people too)
            cur.execute("UPDATE app_user SET name = ? WHERE email = ?", ["**Ann** :red[Lee] ![i](https://tracker.example/n.png)", FOCAL])
    with serve(db) as url:
        yield url


def test_a_comment_and_a_name_show_as_typed_never_interpreted(hostile_served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1500})
        tab.goto(hostile_served)
        wait_idle(tab)
        log_in(tab, FOCAL, DEMO_PASSWORD)
        tab.get_by_role("link", name="My cycle", exact=True).click()
        wait_idle(tab)
        tab.get_by_text("beacon", exact=False).first.wait_for(timeout=30_000)
        app = tab.locator("[data-testid='stApp']")
        shown = app.inner_text()
        found = app.evaluate("""root => ({
            images: [...root.querySelectorAll('img')].map(i => i.getAttribute('src')).filter(s => s === 'x' || s.includes('tracker')),
            // a bare address the Party typed may link to itself; no text may hide another destination
            links: [...root.querySelectorAll('a')].filter(a => /phish|tracker\\.example/.test(a.getAttribute('href') || ''))
                      .filter(a => (a.getAttribute('href') || '').replace(/^mailto:|^https?:\\/\\//, '')
                                   !== a.textContent.replace(/^https?:\\/\\//, ''))
                      .map(a => [a.textContent, a.getAttribute('href')]),
            // the app's own script (the page's language and direction) is not Party text; a payload's would be
            scripts: [...root.querySelectorAll('script')].filter(e => e.textContent.includes('alert')).length,
            emphasis: [...root.querySelectorAll('strong, em, del, code')].map(e => e.textContent)
                         .filter(t => /bold|it|gone|code|Ann/.test(t)),
            maths: root.querySelectorAll('.katex, math').length,
            coloured: [...root.querySelectorAll('span[class*="colored"], span[style*="color"]')].map(e => e.textContent)
                         .filter(t => /alarm|Lee/.test(t)),
        })""")
        # the grid's own CSV export writes cells as they stand (a Party's "=..." as a formula): hidden
        grid = tab.locator("[data-testid='stDataFrame']").first
        grid.hover()
        tab.locator("[data-testid='stElementToolbarButton'] button").first.wait_for(timeout=30_000)
        toolbar = tab.locator("[data-testid='stElementToolbarButton'] button").evaluate_all(
            "buttons => buttons.map(b => [b.getAttribute('aria-label'), b.offsetParent !== null])")
        browser.close()
    assert found == {"images": [], "links": [], "scripts": 0, "emphasis": [], "maths": 0, "coloured": []}
    assert not [label for label, visible in toolbar if visible and label.startswith("Download as CSV")], toolbar
    assert any(visible for _, visible in toolbar), toolbar  # the rest of the toolbar stays
    shown = shown.replace("\u2060", "")  # the invisible joiner that keeps :material/...: a text
    for payload in PAYLOADS:
        assert payload in shown, (payload, shown[-1500:])
    assert "**Ann** :red[Lee]" in shown
