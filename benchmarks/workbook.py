"""Offline workbook figures: template generation, and importing a filled workbook for every demo
Party of the latest cycle beside a bare fastexcel read of the same files (the floor).

Run: `python -m benchmarks.workbook` (builds the demo in a temporary database). Each figure is
given as wall time and as CPU time of this process: on a shared machine the CPU time is the
steadier measure of our own work, the wall time what a user waits (it includes the disk flush of
each group's commit). The floor and the import are timed in turns, ROUNDS times each.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import fastexcel

from benchmarks.common import machine
from review import demo, parties
from review.access import system
from review.cycles import cycle_questionnaire, get_cycle, participants
from review.store import open_store
from review.submissions import current_answers, get_submission, list_submissions, return_for_clarification
from review.workbook import import_workbooks, write_template, write_templates
from review.workbook import layout
from review.workbook.importer import GROUP
from review.workbook.signature import installation_key
from review.workbook.template import render

SETUP = system("benchmark set-up")

ROUNDS = 11
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


def bare_read(data: bytes, only=None) -> None:
    """Every sheet (or those in `only`) read to Polars as text, as the importer reads them."""
    reader = fastexcel.read_excel(data)
    for name in reader.sheet_names:
        if only is None or name in only:
            reader.load_sheet(name, header_row=None, dtypes="string").to_polars()


def run(fn, repeat: int = 1):
    """(wall, cpu) seconds of the fastest of `repeat` runs, and the last result."""
    best, result = None, None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        best = took if best is None or took[0] < best[0] else best
    return best, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        demo.load_demo(store, seed=7, replace=True)
        cycle = get_cycle(store)
        q = cycle_questionnaire(store, cycle)
        for sub in list_submissions(store, cycle.id):
            if sub.state in ("submitted", "validated"):
                return_for_clarification(store, SETUP, cycle.id, sub.party, {None: "Please update offline."})
        names = parties.all_parties(store)
        rng = random.Random(7)
        api_ms, render_ms, files = [], [], []
        key = installation_key(store)
        for i, party in enumerate(participants(store, cycle.id)):
            if i < 10:
                start = time.perf_counter()
                write_template(store, SETUP, cycle.id, party, "en")
                api_ms.append((time.perf_counter() - start) * 1000)
            answers = current_answers(store, SETUP, cycle.id, party)
            seq = get_submission(store, cycle.id, party).seq
            start = time.perf_counter()
            data = render(q, cycle, party, names[party].name("en"), seq, filled(q, cycle.chapters, answers, rng), "en", SETUP, key)
            render_ms.append((time.perf_counter() - start) * 1000)
            files.append((f"{party}.xlsx", data))
        sizes = [len(d) for _, d in files]
        bulk_start = time.perf_counter()
        bundle = write_templates(store, SETUP, cycle.id, "en")
        bulk_s = time.perf_counter() - bulk_start
        store.close()  # checkpoints: the demo's own load is not the import's to pay for
        prepared = Path(tmp) / "prepared.duckdb"
        shutil.copy(Path(tmp) / "bench.duckdb", prepared)
        store = open_store(Path(tmp) / "bench.duckdb")
        checked = import_workbooks(store, SETUP, files, dry_run=True)
        importable = [f for f, r in zip(files, checked) if r.status == "checked"]
        refused = Counter(r.errors[0].code for r in checked if r.status != "checked")
        read_by_import = {layout.META_SHEET, *(sheet.name for sheet in layout.build_layout(q, cycle.chapters, {}, "en"))}
        load = os.getloadavg()
        bare_used, _ = run(lambda: [bare_read(d, read_by_import) for _, d in importable], 2)
        check, _ = run(lambda: import_workbooks(store, SETUP, importable, dry_run=True), 2)
        store.close()

        def import_into_a_fresh_copy():
            shutil.copy(prepared, Path(tmp) / "bench.duckdb")
            fresh = open_store(Path(tmp) / "bench.duckdb")
            import_workbooks(fresh, SETUP, importable[:1], dry_run=True)
            wall, cpu = time.perf_counter(), time.process_time()
            result = import_workbooks(fresh, SETUP, importable)
            took = (time.perf_counter() - wall, time.process_time() - cpu)
            fresh.close()
            return took, result

        # The floor and the import take turns, so that a slower spell of a shared machine falls on
        # both: each round's ratio compares runs made side by side.
        bares, runs = [], []
        for _ in range(ROUNDS):
            bares.append(run(lambda: [bare_read(d) for _, d in importable])[0])
            runs.append(import_into_a_fresh_copy())
        reports = runs[-1][1]
        wholes = [took for took, _ in runs]
        bare, whole = min(bares), min(wholes)
        bare_median = (statistics.median(b[0] for b in bares), statistics.median(b[1] for b in bares))
        whole_median = (statistics.median(w[0] for w in wholes), statistics.median(w[1] for w in wholes))
        rounds = [(w[0] / b[0], w[1] / b[1]) for w, b in zip(wholes, bares)]
        load_after = os.getloadavg()
        imported = sum(r.imported for r in reports)
        changed = sum(r.changed for r in reports)
        n = len(importable)

        def per_file(took) -> str:
            return f"{took[0] / n * 1000:.1f} ms/file wall, {took[1] / n * 1000:.1f} ms/file CPU"

        def ratio(took, floor=None) -> str:
            floor = floor or bare
            return f"{took[0] / floor[0]:.2f}x wall, {took[1] / floor[1]:.2f}x CPU"

        print(f"Machine: {machine()}; load average {load[0]:.1f} before the timed import runs, "
              f"{load_after[0]:.1f} after")
        print(f"cycle {cycle.id}: {len(files)} Parties, workbook median {statistics.median(sizes) / 1024:.0f} KB, "
              f"{len(q.assessed_provisions(cycle.chapters))} provisions")
        print(f"template, write_template (reads + render), median of 10: {statistics.median(api_ms):.0f} ms")
        print(f"template render of a filled workbook, median of {len(files)}: {statistics.median(render_ms):.0f} ms")
        print(f"every Party's workbook in one zip (write_templates, {len(files)} Parties): {bulk_s:.1f} s, "
              f"{bulk_s / len(files) * 1000:.0f} ms a workbook, {len(bundle) // 1024} KB")
        print(f"files refused before reading (submission no longer editable): {dict(refused)}")
        print(f"bare fastexcel read of the {n} importable files, every sheet (the floor), fastest of {ROUNDS}: "
              f"{bare[0]:.2f} s; {per_file(bare)}; median {per_file(bare_median)}")
        print(f"  of which the sheets the import reads (chapters and metadata): {per_file(bare_used)}")
        print(f"import checks only (dry run): {check[0]:.2f} s ({ratio(check)}); {per_file(check)}")
        print(f"import, files written in groups of up to {GROUP}, fastest of {ROUNDS} on fresh copies: "
              f"{whole[0]:.2f} s ({ratio(whole)}); {per_file(whole)}; {imported} imported, {changed} answers changed")
        print(f"  median of the {ROUNDS}: {per_file(whole_median)} ({ratio(whole_median, bare_median)} the median floor)")
        print("  each round's import over the floor read just before it, wall: "
              + ", ".join(f"{r[0]:.2f}x" for r in rounds) + f" (median {statistics.median(r[0] for r in rounds):.2f}x); CPU: "
              + ", ".join(f"{r[1]:.2f}x" for r in rounds) + f" (median {statistics.median(r[1] for r in rounds):.2f}x)")
        print("  CPU is this process's, all threads: the formula scan runs beside the sheet reads, and each group's")
        print("  writes beside the next group's reading, so the import minus the checks is no measure of the writes")


if __name__ == "__main__":
    main()
