"""Core figures: demo load, the status of a whole cycle, one section save, a submit.

Run: `python -m benchmarks.core` (uses a temporary database).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import machine, timed
from review import demo, submissions
from review.access import Actor, Role, system
from review.store import open_store

SETUP = system("benchmark set-up")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        load_ms, _ = timed(lambda: demo.load_demo(store, seed=7, replace=True), repeat=1)
        status_ms, (_, rows) = timed(lambda: submissions.cycle_status(store, SETUP, "review-2026"))
        draft = next(r.party for r in rows if r.state == "draft")
        actor = Actor(f"bench-{draft}", Role.FOCAL_POINT, draft)
        answers_ms, answers = timed(lambda: submissions.current_answers(store, actor, "review-2026", draft))
        first = min(answers)[0].split(".")[0]
        article = sorted(k for k in answers if k[0].split(".")[0] == first)
        state = {"seq": submissions.get_submission(store, "review-2026", draft).seq, "flip": 0}

        def save_section():
            state["flip"] ^= 1
            changes = {k: answers[k] for k in article}
            changes[(article[0][0], "examples")] = f"Benchmark edit {state['flip']}"
            state["seq"] = submissions.save_answers(store, actor, "review-2026", draft, state["seq"], changes).seq

        save_ms, _ = timed(save_section)
        print(f"Machine: {machine()}")
        print(f"demo load (196 possible Parties, 2 cycles, full workflow): {load_ms / 1000:.1f} s")
        print(f"status of review-2026 ({len(rows)} Parties, completeness of each): {status_ms:.0f} ms")
        print(f"current answers of one Party: {answers_ms:.1f} ms")
        print(f"save one article's answers ({len(article)} answers): {save_ms:.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
