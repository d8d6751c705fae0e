"""Reminders and notices on the demo: `python -m benchmarks.notices`.

What the app's sender does once a day (the reminders due and the matches newly suggested) and what
each round costs: delivering the outbox through a local SMTP server (aiosmtpd, in-process), one
connection per round, each message marked sent in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine


def main() -> None:
    from aiosmtpd.controller import Controller

    from review import demo, notices
    from review.access import system
    from review.cycles import get_cycle
    from review.migrations import migrate
    from review.store import Store

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    who = system("benchmark")
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        store = Store(Path(tmp) / "demo.duckdb")
        migrate(store)
        demo.load_demo(store, seed=7)
        day = get_cycle(store, "review-2026").deadline - dt.timedelta(days=7)
        print("| step | seconds | messages |\n|---|---|---|")
        start = time.perf_counter()
        done = notices.queue_reminders(store, who, day)
        print(f"| reminders due 7 days before the deadline | {time.perf_counter() - start:.2f} | {done.total} |")
        start = time.perf_counter()
        count = notices.queue_suggestions(store, who, "review-2026")
        print(f"| matches newly suggested (the matching report) | {time.perf_counter() - start:.2f} | {count} |")
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            smtp = notices.Smtp("127.0.0.1", port, "review@example.org", tls="none")
            start = time.perf_counter()
            sent = notices.send_due(store, who, smtp, limit=10_000).sent
            print(f"| delivering the outbox (local SMTP) | {time.perf_counter() - start:.2f} | {sent} |")
        finally:
            controller.stop()
        store.close()


if __name__ == "__main__":
    main()
