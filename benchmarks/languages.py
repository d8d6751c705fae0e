"""Six languages against two: the server-side time of a page rerun (Streamlit's AppTest, in process,
no browser) with the interface and the questionnaire in the six UN languages, and with the same code
given only English and Chinese (what the app had before issue 13).

"Two" is the same code in a process whose locale folder holds only `en` and `zh` and whose
questionnaire (in a copy of the same demo database) keeps only its English and Chinese texts; so the
difference is the languages alone. Both are measured in Chinese (a language both have), plus Arabic
with six (the right-to-left page). Each variant runs in its own process, alternated twice (A B A B),
since the machine is shared; a figure is the median and the fastest (in brackets) of the reruns
after a warm one, and the median process CPU time of a rerun (steadier when other jobs share the machine). Tests never assert timings: this is how we watch this one.

Run: `python -m benchmarks.languages [DEMO_DB]` (a copy of DEMO_DB, or a demo built in a temporary
database, about a minute more).
"""

from __future__ import annotations

import json
import os
import statistics
import time
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "overview (public)": ("app/pages/overview.py", None),
    "questionnaire, section of article 7 (focal point)": ("app/pages/party_questionnaire.py", "focal"),
    "secretariat inbox": ("app/pages/secretariat_inbox.py", "secretariat"),
    "implementation dashboard (secretariat)": ("app/pages/dashboard_implementation.py", "secretariat"),
}
RUNS = 15
KEEP = ("en", "zh")


def _strip(node):
    """A questionnaire definition with only the English and Chinese of each multilingual text."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            return {k: v for k, v in node.items() if k in KEEP or k not in ("fr", "es", "ru", "ar")}
        return {k: _strip(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def two_languages_database(source: Path, target: Path) -> None:
    from review.store import open_store

    shutil.copy(source, target)
    with open_store(target) as store, store.transaction() as cur:
        for qid, version, definition in cur.execute("SELECT id, version, definition FROM questionnaire").fetchall():
            cur.execute("UPDATE questionnaire SET definition = ? WHERE id = ? AND version = ?",
                        [json.dumps(_strip(json.loads(definition)), ensure_ascii=False), qid, version])


def _measure(db: str, languages: str, lang: str) -> dict:
    """In this process: every page's reruns, in `lang`, with `languages` ('six' or 'two')."""
    import review.i18n as i18n

    if languages == "two":
        folder = Path(tempfile.mkdtemp()) / "locales"
        for code in KEEP:
            shutil.copytree(i18n._LOCALES / code, folder / code)
        i18n._LOCALES = folder
        i18n.LANGUAGES = i18n.COMPLETE = KEEP
        i18n.messages.cache_clear()
    from streamlit.testing.v1 import AppTest

    from benchmarks.common import median_and_fastest
    from review import users
    from review.demo import SECRETARIAT_EMAIL
    from review.store import open_store

    import app.context

    # AppTest formats a select box's value again outside the script run, where the session's
    # language cannot be read: there the app's first language must be the one measured
    app.context.first_language = lambda: lang
    os.environ["REVIEW_DB"] = db
    with open_store(db) as store:
        who = {"focal": users.find_by_email(store, "ken.focal@demo.example.org").id,
               "secretariat": users.find_by_email(store, SECRETARIAT_EMAIL).id}
    out = {}
    for label, (page, user) in PAGES.items():
        test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        test.session_state["lang"] = lang
        if user:
            test.session_state["user_id"] = who[user]
        test.run()
        test.switch_page(page)
        if page.endswith("party_questionnaire.py"):
            test.query_params["section"] = "7"  # as a link to the section opens it
        test.run()
        if test.exception:
            raise RuntimeError(f"{page}: {test.exception[0].value}")
        test.run()  # warm
        cpu = []

        def rerun():
            start = time.process_time()
            test.run()
            cpu.append((time.process_time() - start) * 1000)

        wall = median_and_fastest(rerun, RUNS)
        out[label] = (*wall, statistics.median(cpu))
    return out


def main(demo_db: str | None = None) -> None:
    from benchmarks.common import machine
    from review import demo
    from review.store import open_store

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        six = Path(tmp) / "six.duckdb"
        if demo_db:
            shutil.copy(demo_db, six)
            open_store(six).close()  # migrated to this code
        else:
            with open_store(six) as store:
                demo.load_demo(store, seed=7)
        two = Path(tmp) / "two.duckdb"
        two_languages_database(six, two)
        runs = [("six", six, "zh"), ("two", two, "zh"), ("six", six, "zh"), ("two", two, "zh"), ("six", six, "ar")]
        results = []
        for languages, db, lang in runs:
            copy = Path(tmp) / f"run-{len(results)}.duckdb"
            shutil.copy(db, copy)
            done = subprocess.run([sys.executable, "-m", "benchmarks.languages", "--measure", str(copy), languages, lang],
                                  cwd=ROOT, capture_output=True, text=True, check=True)
            results.append((languages, lang, json.loads(done.stdout.strip().splitlines()[-1])))
            copy.unlink()
    print(f"Machine: {machine()}; load average {load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    head = [f"{n} languages, {lang} (run {i + 1})" for i, (n, lang, _) in enumerate(results)]
    print("| page (rerun, ms: wall median (fastest) / CPU median) | " + " | ".join(head) + " |")
    print("|---|" + "---:|" * len(results))
    for label in PAGES:
        cells = [f"{r[label][0]:.0f} ({r[label][1]:.0f}) / {r[label][2]:.0f}" for _, _, r in results]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(_measure(*sys.argv[2:])))
    else:
        main(*sys.argv[1:])
