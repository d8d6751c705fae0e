"""Offline workbook figures: template generation, and importing a filled workbook for every demo
Party of the latest cycle beside a bare fastexcel read of the same files (the floor).

Run: `python -m benchmarks.workbook` (builds the demo in a temporary database).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import fastexcel

from benchmarks.common import machine
from review import demo, parties
from review.access import OPERATOR
from review.cycles import cycle_questionnaire, get_cycle, participants
from review.store import open_store
from review.submissions import current_answers, get_submission, list_submissions, return_for_clarification
from review.workbook import import_workbooks, write_template
from review.workbook.template import render

TEXTS = ["Filled offline by the ministry of justice.", "由司法部离线填写。", "ملأته وزارة العدل دون اتصال."]


def filled(q, chapters, answers, rng: random.Random) -> dict:
    """The Party's answers with every unanswered status and example filled, as a ministry would."""
    out = dict(answers)
    for provision in q.assessed_provisions(chapters):
        for question in provision.questions:
            key = (provision.id, question.id)
            if key in out:
                continue
            if question.type == "choice" and question.required:
                out[key] = rng.choice(q.code_lists[question.code_list].codes)
            elif question.id == "examples":
                out[key] = rng.choice(TEXTS)
    return out


def bare_read(data: bytes) -> None:
    reader = fastexcel.read_excel(data)
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None, dtypes="string").to_polars()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        demo.load_demo(store, seed=7, replace=True)
        cycle = get_cycle(store)
        q = cycle_questionnaire(store, cycle)
        for sub in list_submissions(store, cycle.id):
            if sub.state in ("submitted", "validated"):
                return_for_clarification(store, OPERATOR, cycle.id, sub.party, {None: "Please update offline."})
        names = parties.all_parties(store)
        rng = random.Random(7)
        api_ms, render_ms, files = [], [], []
        for i, party in enumerate(participants(store, cycle.id)):
            if i < 10:
                start = time.perf_counter()
                write_template(store, OPERATOR, cycle.id, party, "en")
                api_ms.append((time.perf_counter() - start) * 1000)
            answers = current_answers(store, OPERATOR, cycle.id, party)
            seq = get_submission(store, cycle.id, party).seq
            start = time.perf_counter()
            data = render(q, cycle, party, names[party].name("en"), seq, filled(q, cycle.chapters, answers, rng), "en", OPERATOR)
            render_ms.append((time.perf_counter() - start) * 1000)
            files.append((f"{party}.xlsx", data))
        sizes = [len(d) for _, d in files]

        def run(fn):
            start = time.perf_counter()
            result = fn()
            return time.perf_counter() - start, result

        checked = import_workbooks(store, OPERATOR, files, dry_run=True)
        importable = [f for f, r in zip(files, checked) if r.status == "checked"]
        refused = Counter(r.errors[0].code for r in checked if r.status != "checked")
        bare_s = min(run(lambda: [bare_read(d) for _, d in importable])[0] for _ in range(2))
        check_s = min(run(lambda: import_workbooks(store, OPERATOR, importable, dry_run=True))[0] for _ in range(2))
        import_s, reports = run(lambda: import_workbooks(store, OPERATOR, importable))
        imported = sum(r.imported for r in reports)
        changed = sum(r.changed for r in reports)
        store.close()
        print(f"Machine: {machine()}")
        print(f"cycle {cycle.id}: {len(files)} Parties, workbook median {statistics.median(sizes) / 1024:.0f} KB, "
              f"{len(q.assessed_provisions(cycle.chapters))} provisions")
        print(f"template, write_template (reads + render), median of 10: {statistics.median(api_ms):.0f} ms")
        print(f"template render of a filled workbook, median of {len(files)}: {statistics.median(render_ms):.0f} ms")
        print(f"files refused before reading (submission no longer editable): {dict(refused)}")
        n = len(importable)
        print(f"bare fastexcel read of the {n} importable files: {bare_s:.2f} s ({bare_s / n * 1000:.1f} ms/file)")
        print(f"import checks only (dry run): {check_s:.2f} s ({check_s / bare_s:.1f}x the bare read)")
        print(f"import, one transaction and revision per file: {import_s:.2f} s ({import_s / bare_s:.1f}x the bare read); "
              f"{imported} imported, {changed} answers changed")
        print(f"  of which database writes (import minus checks): {(import_s - check_s) / n * 1000:.1f} ms/file")



if __name__ == "__main__":
    main()
