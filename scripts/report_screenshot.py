"""A page of a thematic report for the guides: the report of chapter IV of the demo's review cycle,
written as a PDF by the library (as `review report thematic --format pdf` writes it) and its first
page turned into a PNG by pdftoppm (Debian's poppler-utils, which `make setup` installs through
scripts/ensure-poppler.sh).

    python scripts/report_screenshot.py DEMO_DB [OUT_PNG]

Works on a copy of DEMO_DB (the demo itself is never changed); default OUT_PNG:
docs/images/thematic-report.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review.access import system  # noqa: E402
from review.reports.session_documents import thematic_pdf  # noqa: E402
from review.reports.thematic import thematic  # noqa: E402
from review.store import open_store  # noqa: E402

CYCLE, CHAPTER, LANG = "review-2026", "IV", "en"


def main(demo_db: str, out: str = str(ROOT / "docs" / "images" / "thematic-report.png")) -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: run `bash scripts/ensure-poppler.sh` (as root) or `apt-get install poppler-utils`")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo.duckdb"
        shutil.copy(demo_db, copy)
        with open_store(copy, create=False) as store:
            report = thematic(store, system("report screenshot"), CYCLE, CHAPTER, lang=LANG)
        pdf = Path(tmp) / "thematic.pdf"
        pdf.write_bytes(thematic_pdf(report, LANG))
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(Path(tmp) / "page")],
                       check=True)
        shutil.copy(Path(tmp) / "page.png", out)
    print(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
