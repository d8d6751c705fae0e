"""Drawing of lots for the 196 possible Parties: the solver alone (every seat drawn, every rule
checked), the same at full capacity (at most 2 reviews each: 392 seats for 392 places), and a whole
draw in the database (rows, audit entry) with a redraw; `python -m benchmarks.review_lots`."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

from benchmarks.common import machine, median_and_fastest


def main() -> None:
    from review import cycles, parties, participation
    from review.access import system
    from review.peer import lots
    from review.peer.lots import KINDS, Inputs, Rules
    from review.questionnaire import catalogue
    from review.store import open_store

    actor = system("benchmark")
    folder = tempfile.mkdtemp()
    store = open_store(os.path.join(folder, "lots.duckdb"))
    parties.load_reference(store)
    groups = {code: p.regional_group for code, p in parties.all_parties(store).items()}
    codes = sorted(groups)
    inputs = Inputs(groups, tuple(codes), tuple((p, k) for p in codes for k in KINDS), {}, {})
    print(f"{machine()}; load average {os.getloadavg()[0]:.1f}")
    seeds = iter(range(10**6))
    for label, rules in (("default rules (at most 3 reviews each)", Rules()),
                         ("at full capacity (at most 2 reviews each)", Rules(max_reviews_per_reviewer=2)),
                         ("other reviewer from any group", Rules(other_reviewer="any"))):
        median, fastest = median_and_fastest(lambda: lots.solve(inputs, rules, next(seeds)), repeat=20)
        print(f"solve, {len(codes)} Parties, {label}: median {median:.0f} ms, fastest {fastest:.0f} ms (20 seeds)")
    median, fastest = median_and_fastest(lambda: _impossible(lots, inputs), repeat=5)
    print(f"an impossible rule set named (at most 1 review each): median {median:.1f} ms, fastest {fastest:.1f} ms")

    q = catalogue()[("uncc-self-assessment", "1.0")]
    cycles.register_questionnaire(store, actor, q)
    rows = ["Participant,Signature,\"Ratification, Acceptance(A), Approval(AA), Accession(a)\",Entry into force"]
    rows += [f"{code},1 Jan 2030,2 Jan 2030,3 Jan 2030" for code in codes]
    participation.import_status(store, actor, q.instrument["id"], "status.csv", "\n".join(rows).encode())
    day = dt.date(2031, 1, 15)
    times = []
    for i in range(5):
        cycles.create_cycle(store, actor, cycle_id=f"bench-{i}", title="Benchmark", questionnaire_id=q.id,
                            questionnaire_version=q.version, chapters=["II"], parties=codes,
                            deadline=dt.date(2031, 12, 31))
        median, _ = median_and_fastest(lambda: lots.draw(store, actor, f"bench-{i}", seed=i, on=day), repeat=1)
        times.append(median)
    times.sort()
    print(f"draw in the database, 196 Parties (392 reviewers, rows and audit entry): median {times[2]:.0f} ms, "
          f"fastest {times[0]:.0f} ms (5 cycles)")
    median, fastest = median_and_fastest(lambda: lots.redraw(store, actor, "bench-1", "KEN", on=day), repeat=2)
    print(f"redraw of one Party's two reviewers, the other 195 reviews kept: median {median:.0f} ms")
    median, fastest = median_and_fastest(lambda: lots.replay(store, actor, "bench-0/lots/1"), repeat=3)
    print(f"replay of a draw from its recorded seed and inputs: median {median:.0f} ms")
    store.close()


def _impossible(lots, inputs) -> None:
    try:
        lots.solve(inputs, lots.Rules(max_reviews_per_reviewer=1), 1)
    except lots.DrawImpossible:
        return
    raise AssertionError("a draw at one review each cannot fill 392 seats with 196 reviewers")


if __name__ == "__main__":
    main()
