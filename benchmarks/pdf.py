"""PDF report figures: Kenya's country profile and the matching summary of the demo's latest cycle,
laid out in each of the six UN languages (text shaped by HarfBuzz). Times are the median of 3 runs
of the layout alone (the profile and report are computed once beforehand).

Run: `python -m benchmarks.pdf` (uses a temporary database for the demo).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import machine, timed
from review import demo
from review.access import system
from review.analysis.profile import country_profile
from review.matching.files import pdf_bytes
from review.matching.report import match_report
from review.migrations import migrate
from review.reports.country_profile import country_profile_pdf
from review.store import Store, open_store

SETUP = system("benchmark set-up")
LANGS = ("en", "zh", "fr", "es", "ru", "ar")


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        with Store(path) as s:
            migrate(s)
            demo.load_demo(s, seed=7)
        store = open_store(path)
        print("| language | country profile PDF | matching summary PDF |\n|---|---|---|")
        for lang in LANGS:
            profile = country_profile(store, SETUP, "KEN", "review-2026", lang=lang)
            report = match_report(store, SETUP, "review-2026", lang=lang)
            a, _ = timed(lambda: country_profile_pdf(profile, lang), repeat=3)
            b, _ = timed(lambda: pdf_bytes(report), repeat=3)
            print(f"| {lang} | {a:.0f} ms | {b:.0f} ms |")
        store.close()


if __name__ == "__main__":
    main()
