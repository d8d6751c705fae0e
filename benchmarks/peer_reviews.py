"""Peer reviews against the calendar, on the demo (its main cycle's drawn reviews, nine of them
taken through the stages): the public calendar, the secretariat's progress (late first) and
workload, `review review-status --json`'s rows, a reviewer's account loaded with its assignments
(every click does it), and the writes a desk review makes (a question, an answer, a stage).

Run: `python -m benchmarks.peer_reviews [DEMO_DB]` (a copy of DEMO_DB, or a demo built in a
temporary database, about a minute more).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from benchmarks.common import machine, median_and_fastest


def main() -> None:
    from review import demo, users
    from review.access import system
    from review.peer import reviews as rv
    from review.store import open_store

    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "demo.duckdb")
    if len(sys.argv) > 1:
        shutil.copy(sys.argv[1], path)
        store = open_store(path)
    else:
        store = open_store(path)
        demo.load_demo(store, seed=7)
    actor = system("benchmark")
    count = len(rv.calendar(store))
    print(f"{machine()}; load average {os.getloadavg()[0]:.1f}; {count} reviews")
    expert = next(u for u in users.list_users(store, actor) if u.role.value == "reviewer" and u.reviews)
    review = rv.get_review(store, actor, *sorted(expert.reviews)[0])
    measures = {
        "calendar (public), every review": lambda: rv.calendar(store),
        "calendar table, one cycle, Arabic labels": lambda: rv.calendar_table(store, "review-2026", "ar"),
        "progress, late first (secretariat)": lambda: rv.progress(store, actor),
        "workload per reviewing Party": lambda: rv.workload(store, actor),
        "review-status rows (--json)": lambda: rv.status_rows(store, actor),
        "a reviewer's account with its assignments (each click)": lambda: users.get_user(store, expert.id),
        "one review with stages, reviewers and experts": lambda: rv.get_review(store, actor, review.cycle_id,
                                                                               review.party),
    }
    for label, fn in measures.items():
        median, fastest = median_and_fastest(fn, repeat=20)
        print(f"{label}: median {median:.1f} ms, fastest {fastest:.1f} ms")
    # the writes of a desk review, on the demo's review left at its desk review
    nzl = rv.get_review(store, actor, "review-2026", "NZL")
    reviewer = users.get_user(store, next(e.user_id for e in nzl.experts)).actor
    focal = users.find_by_email(store, "nzl.focal@demo.example.org").actor
    from review.cycles import cycle_questionnaire, get_cycle

    cycle = get_cycle(store, "review-2026")
    threads = {t.provision_id for t in rv.threads(store, actor, "review-2026", "NZL")}
    provisions = iter(p.id for p in cycle_questionnaire(store, cycle).assessed_provisions(cycle.chapters)
                      if p.id not in threads)

    def question_and_answer():
        provision = next(provisions)
        rv.ask(store, reviewer, "review-2026", "NZL", provision, "A question from the benchmark.")
        rv.answer(store, focal, "review-2026", "NZL", provision, "An answer from the benchmark.")

    median, fastest = median_and_fastest(question_and_answer, repeat=10)
    print(f"a question and its answer (two transactions, audited): median {median:.0f} ms, fastest {fastest:.0f} ms")
    store.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
