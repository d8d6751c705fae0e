"""The readable audit trail and the published TA open data, on the demo: `python -m benchmarks.audit_trail`.

The trail labels every changed answer of every entry (the demo's imports and saves change ~33,000
answers in ~1,250 entries), so the whole log is its worst case; the page and `review audit` usually
filter. The open data recompute the published needs from the answers of the cycles concerned.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.common import machine, median_and_fastest


def main() -> None:
    from review import demo
    from review.access import system
    from review.analysis.snapshot import write_snapshot
    from review.audit_trail import Filters, trail
    from review.matching import open_data
    from review.migrations import migrate
    from review.store import Store

    who = system("benchmark")
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.duckdb")
        migrate(store)
        demo.load_demo(store, seed=7)
        whole = trail(store, who)
        print(f"log: {whole.entries} entries, {len(whole.lines)} lines")
        cases = {
            "whole log, labelled (no filter)": Filters(),
            "one Party (KEN)": Filters(party="KEN"),
            "one action (answers.save)": Filters(action="answers.save"),
            "one user (ken.focal)": Filters(user="ken.focal@demo.example.org"),
        }
        print("| what | median | fastest |\n|---|---|---|")
        for name, filters in cases.items():
            median, fastest = median_and_fastest(lambda f=filters: trail(store, who, f, lang="fr").frame(), 5)
            print(f"| trail + table: {name} | {median:.0f} ms | {fastest:.0f} ms |")
        median, fastest = median_and_fastest(lambda: open_data.frames(store), 5)
        print(f"| open data: published needs, offers, summary | {median:.0f} ms | {fastest:.0f} ms |")
        median, fastest = median_and_fastest(lambda: write_snapshot(store, who, Path(tmp) / "snap"), 3)
        print(f"| whole snapshot (with the open data) | {median:.0f} ms | {fastest:.0f} ms |")
        store.close()


if __name__ == "__main__":
    main()
