"""Screenshots of the main pages for the README and the guides, taken from the running app in
Debian's Chromium.

    python scripts/screenshots.py DEMO_DB [OUT_DIR] [NAME,NAME...]

(the third argument takes only the named screenshots, e.g. `ta-public.png`, leaving the others)

Serves a copy of DEMO_DB (so the demo itself is never changed), opens each public page as the
public, then logs in as a demo focal point and as the secretariat and opens their pages through
the menu, waits until each script run has finished and its charts are drawn, and saves a PNG per
page (docs/images/ by default).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL  # noqa: E402
from tests.browser_app import CHROMIUM, FLAGS, choose, click, go, log_in, serve, wait_idle  # noqa: E402

# file name -> (page url path, window height), as the public sees them
PUBLIC = {
    "overview.png": ("", 1100),
    "dashboard.png": ("dashboard_implementation", 1500),
    "map.png": ("dashboard_map", 1000),
    "country-profile.png": ("country_profile", 1500),
    "ta-public.png": ("ta_public", 1500),
}
# public pages in another language, as a visitor whose browser prefers it sees them (its
# Accept-Language): file name -> (page url path, window height, browser locale)
IN_LANGUAGE = {
    "overview-ar.png": ("", 1100, "ar-EG"),
    "country-profile-fr.png": ("country_profile", 1500, "fr-FR"),
}
# account -> [(file name, menu entry, window height, what to do on the page first)]
LOGGED_IN = {
    "ken.focal@demo.example.org": [
        ("party-cycle.png", "My cycle", 1100, None),
        ("party-questionnaire.png", "Questionnaire", 1500,
         lambda tab: (choose(tab, "Section", r"Art\. 7 "), click(tab, "Open section"))),
        ("ta-party.png", "Our TA needs and offers", 1300, None),
    ],
    SECRETARIAT_EMAIL: [
        ("secretariat-inbox.png", "Inbox", 1100, None),
        ("secretariat-review.png", "Review a submission", 1400, None),
        ("ta-matching.png", "TA matching", 1300, None),
        ("audit-trail.png", "Audit trail", 1000, None),
    ],
}


def _settle(tab) -> None:
    wait_idle(tab)
    charts = tab.locator("[data-testid='stVegaLiteChart']")
    if charts.count():
        charts.first.locator("canvas, svg").first.wait_for(timeout=60_000)
    time.sleep(2)


def main(demo_db: str, out_dir: str = str(ROOT / "docs" / "images"), only: str | None = None) -> None:
    wanted = set(only.split(",")) if only else None
    public = {name: (*v, None) for name, v in PUBLIC.items() if wanted is None or name in wanted}
    public |= {name: v for name, v in IN_LANGUAGE.items() if wanted is None or name in wanted}
    logged_in = {email: [s for s in shots if wanted is None or s[0] in wanted] for email, shots in LOGGED_IN.items()}
    logged_in = {email: shots for email, shots in logged_in.items() if shots}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copy(demo_db, db)
        with serve(db) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for name, (path, height, locale) in public.items():
                tab = browser.new_page(viewport={"width": 1400, "height": height}, locale=locale or "en-US")
                tab.goto(f"{url}/{path}")
                _settle(tab)
                tab.screenshot(path=str(out / name))
                tab.close()
            for email, shots in logged_in.items():
                tab = browser.new_page(viewport={"width": 1400, "height": 1000})
                tab.goto(url)
                wait_idle(tab)
                log_in(tab, email, DEMO_PASSWORD)
                for name, entry, height, prepare in shots:
                    tab.set_viewport_size({"width": 1400, "height": height})
                    go(tab, entry)
                    if prepare:
                        prepare(tab)
                    _settle(tab)
                    tab.screenshot(path=str(out / name))
                tab.close()
            browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
