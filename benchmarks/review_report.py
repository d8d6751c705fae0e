"""Country review report figures: drafting Poland's report of the demo's main cycle from its answers
(all nine chapters, one transaction with the six executive summaries), then the Word document and the
PDF of the full report and of the executive summary in each of the six UN languages. Times are the
median of 3 runs of rendering alone (reading the report from the database included, as the CLI and
the page do); the drafting is timed once per fresh copy of the demo (it may run once per review).

Run: `python -m benchmarks.review_report` (uses a temporary database for the demo).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, timed
from review import demo
from review.access import system
from review.migrations import migrate
from review.peer import documents, report
from review.store import Store, open_store

SETUP = system("benchmark set-up")
LANGS = ("en", "zh", "fr", "es", "ru", "ar")
CYCLE, PARTY = "review-2026", "POL"


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        with Store(path) as s:
            migrate(s)
            demo.load_demo(s, seed=7)
        drafts = []
        for n in range(3):
            copy = Path(tmp) / f"copy{n}.duckdb"
            shutil.copy(path, copy)
            with open_store(copy) as store:
                with store.transaction() as cur:  # the demo drafted this report already: draft it afresh
                    for table in ("review_summary", "review_report_item", "review_report_text", "review_report"):
                        cur.execute(f"DELETE FROM {table} WHERE review_id = ?", [f"{CYCLE}/{PARTY}"])
                start = time.perf_counter()
                drafted = report.draft_report(store, SETUP, CYCLE, PARTY, "en")
                drafts.append((time.perf_counter() - start) * 1000)
        drafts.sort()
        print(f"draft of {PARTY}'s report ({sum(len(c.articles) for c in drafted.chapters)} articles, "
              f"{len(drafted.items)} items, six summaries): median {drafts[1]:.0f} ms of 3")
        store = open_store(Path(tmp) / "copy0.duckdb")
        print("| language | report .docx | report .pdf | PDF pages | summary .docx | summary .pdf |\n|---|---|---|---|---|---|")
        for lang in LANGS:
            a, docx = timed(lambda: documents.render(store, SETUP, CYCLE, PARTY, "docx", lang), repeat=3)
            b, pdf = timed(lambda: documents.render(store, SETUP, CYCLE, PARTY, "pdf", lang), repeat=3)
            c, _ = timed(lambda: documents.render(store, SETUP, CYCLE, PARTY, "docx", lang, "summary"), repeat=3)
            d, _ = timed(lambda: documents.render(store, SETUP, CYCLE, PARTY, "pdf", lang, "summary"), repeat=3)
            pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
            print(f"| {lang} | {a:.0f} ms ({len(docx) // 1024} KB) | {b:.0f} ms ({len(pdf) // 1024} KB) | {pages} | "
                  f"{c:.0f} ms | {d:.0f} ms |")
        store.close()


if __name__ == "__main__":
    main()
