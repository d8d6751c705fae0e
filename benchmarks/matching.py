"""TA matching figures: the demo, and 20,000 needs against 1,000 offers, each timed and compared
with the greedy baseline (best-scoring pairs first) on the same candidates.

- demo: the synthetic demo's latest cycle (filed questionnaire needs) and its offers, through the
  whole report (`match_report`: needs read from the database, candidates, assignment, views);
- synthetic: 20,000 needs of 190 Parties (13 TA types, 7 chapters, one or two languages each) and
  1,000 offers (one to three types, 60% limited to one to three chapters, half limited to two
  regional groups, capacity 1 to 12), generated with a fixed seed.
Times are the median of `RUNS` runs (the engine alone: candidates, then the assignment).

Run: `python -m benchmarks.matching` (uses a temporary database for the demo).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, timed
from review import demo
from review.access import system
from review.matching.engine import Need, Offer, find_candidates, greedy, optimal
from review.matching.report import compute, match_report
from review.store import Store, open_store

SETUP = system("benchmark set-up")

RUNS = 3
TYPES = [f"type{k:02d}" for k in range(13)]
CHAPTERS = ["I", "II", "III", "IV", "V", "VI", "VII"]
GROUPS = ["AFR", "APG", "EEG", "GRULAC", "WEOG"]
LANGUAGES = ["en", "fr", "es", "ru", "zh", "ar"]


def synthetic(n_needs: int = 20_000, n_offers: int = 1_000, seed: int = 3) -> tuple[list[Need], list[Offer]]:
    rng = random.Random(seed)
    parties = [(f"P{k:03d}", rng.choice(GROUPS), frozenset(rng.sample(LANGUAGES, rng.randint(1, 2)))) for k in range(190)]
    needs = []
    for k in range(n_needs):
        party, group, langs = rng.choice(parties)
        chapter = rng.choice(CHAPTERS)
        article = CHAPTERS.index(chapter) * 8 + rng.randint(1, 8)
        needs.append(Need(f"n{k:05d}", party, rng.choice(TYPES), rng.choice(["high", "medium", "low"]), group,
                          f"{article}.{rng.randint(1, 3)}", article, chapter, languages=langs))
    offers = []
    for k in range(n_offers):
        provider = rng.choice(parties) if rng.random() < 0.5 else None
        offers.append(Offer(
            f"o{k:04d}", f"Provider {k}", frozenset(rng.sample(TYPES, rng.randint(1, 3))), rng.randint(1, 12),
            provider_party=provider[0] if provider else None, provider_region=provider[1] if provider else None,
            chapters=frozenset(rng.sample(CHAPTERS, rng.randint(1, 3))) if rng.random() < 0.6 else frozenset(),
            languages=frozenset(rng.sample(LANGUAGES, rng.randint(1, 3))),
            regions=frozenset(rng.sample(GROUPS, 2)) if rng.random() < 0.5 else frozenset()))
    return needs, offers


def _engine(needs, offers) -> dict:
    candidates_ms, c = timed(lambda: find_candidates(needs, offers), RUNS)
    optimal_ms, best = timed(lambda: optimal(c), RUNS)
    greedy_ms, base = timed(lambda: greedy(c), RUNS)
    return {"needs": len(needs), "offers": len(offers), "capacity": sum(o.capacity for o in offers), "pairs": c.frame.height,
            "candidates_ms": candidates_ms, "optimal_ms": optimal_ms, "greedy_ms": greedy_ms, "total": best.total,
            "greedy_total": base.total, "matched": int((best.chosen >= 0).sum()),
            "greedy_matched": int((base.chosen >= 0).sum()), "proven": best.proven}


def _row(name: str, r: dict) -> str:
    gain = (r["total"] / r["greedy_total"] - 1) * 100 if r["greedy_total"] else 0.0
    return (f"| {name} | {r['needs']:,} | {r['offers']:,} ({r['capacity']:,} places) | {r['pairs']:,} | "
            f"{r['candidates_ms'] / 1000:.2f} s | {r['optimal_ms'] / 1000:.2f} s | "
            f"{(r['candidates_ms'] + r['optimal_ms']) / 1000:.2f} s | {r['total']:,.1f} ({r['matched']:,} matched) | "
            f"{r['greedy_total']:,.1f} ({r['greedy_matched']:,}) in {r['greedy_ms'] / 1000:.2f} s | +{gain:.2f}% | "
            f"{'yes' if r['proven'] else 'no'} |")


def main() -> None:
    print(f"Machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        with Store(path) as s:
            from review.migrations import migrate

            migrate(s)
            demo.load_demo(s)
        store = open_store(path)
        report_ms, report = timed(lambda: match_report(store, SETUP, "review-2026"), RUNS)
        _, _, needs, _, offers, c, _, _, _, _ = compute(store, SETUP, "review-2026")
        demo_row = _engine(needs, offers)
        store.close()
    start = time.perf_counter()
    needs, offers = synthetic()
    built = time.perf_counter() - start
    big = _engine(needs, offers)
    print("| input | needs | offers | candidate pairs | candidates | assignment | engine total | optimal total |"
          " greedy total | gain over greedy | optimality proven |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(_row("demo (review-2026)", demo_row))
    print(_row("synthetic 20,000 x 1,000", big))
    print(f"\nDemo, whole report (database reads, matching, every view): {report_ms / 1000:.2f} s; "
          f"{report.totals['matched']} of {report.totals['needs']} needs matched.")
    print(f"Synthetic input generated in {built:.2f} s (not counted). Load average at end {os.getloadavg()[0]:.1f}.")


if __name__ == "__main__":
    main()
