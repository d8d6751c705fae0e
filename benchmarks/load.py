"""Many users at once on one real server: `python -m benchmarks.load [--users 50 200] [--minutes 2]`.

Starts the app (`streamlit run`, headless) on a copy of the demo and drives it over Streamlit's own
websocket protocol, as the browser does, with light clients: each simulated user holds a real
session (a login token in the session cookie, `review.sessions.open_session`), opens a section of
its own Party's questionnaire and saves it again and again with a new text (the form's Save button
pressed with the new value, as the browser sends a form), pausing between actions (`--think`, 1 to
3 s by default: a stress far above people's pace, who read and type for minutes between saves); a tenth
of the users are secretariat officers opening dashboards in turn. Several users share a Party, each
with its own sections, so their saves run into each other's change counter as colleagues' do.

Reported per population: p50/p95/p99 of a save (the press of Save until the run that saved it has
finished) and of a page opening, the throughput of runs, the errors (a server error or a refusal
shown, a lost connection or a connection the server did not accept within 60 s), the server's CPU
time per run (what one run costs, whatever else the machine runs) and the lost updates: a save the page confirmed whose text is not what
the database holds at the end for that answer (each answer is written by one user only). The
database is read once the server has stopped. See docs/benchmarks.md and docs/scaling.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CYCLE = "review-2026"
EDITABLE = ("not_started", "draft", "returned")
DASHBOARDS = ("overview", "dashboard_implementation", "dashboard_tracker", "dashboard_needs", "secretariat_inbox")


@dataclass
class Person:
    name: str
    token: str
    party: str | None  # None: a secretariat officer
    sections: list[int] = field(default_factory=list)


@dataclass
class Tally:
    saves: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmed: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (party, provision, question) -> text
    runs: int = 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: Path, users_wanted: int, seed: int = 11, demo: Path | None = None,
            parties_at_most: int | None = None) -> list[Person]:
    """The demo (a copy of `demo` when given) with enough accounts for `users_wanted` people, and a
    live session for each; the Party users spread over the editable Parties (`parties_at_most` of
    them: fewer Parties, more colleagues saving the same submission)."""
    from review import cycles, submissions, users
    from review.access import Role
    from review.demo import LOADER, load_demo
    from review.sessions import open_session
    from review.store import open_store

    if demo is not None:
        shutil.copy(demo, db)
    store = open_store(db)
    if demo is None:
        load_demo(store)
    rng = random.Random(seed)
    cycle = cycles.get_cycle(store, CYCLE)
    q = cycles.cycle_questionnaire(store, cycle)
    articles = sorted({p.article for p in q.assessed_provisions(cycle.chapters)})
    parties = [s.party for s in submissions.list_submissions(store, CYCLE) if s.state in EDITABLE][:parties_at_most]
    officers = max(1, users_wanted // 10)
    people: list[Person] = []
    everyone = {u.email: u for u in users.list_users(store, LOADER)}
    secretariat = next(u for u in everyone.values() if u.role is Role.SECRETARIAT)
    for i in range(officers):
        people.append(Person(f"secretariat-{i}", open_session(store, secretariat), None))
    party_users = users_wanted - officers
    per_party = max(1, -(-party_users // len(parties)))
    for i in range(party_users):
        party = parties[i % len(parties)]
        colleague = i // len(parties)
        email = f"{party.lower()}.load{colleague}@demo.example.org"
        user = everyone.get(email) or users.create_user(store, LOADER, email=email, name=f"Load {colleague}, {party}",
                                                        role=Role.CONTRIBUTOR, party=party)
        mine = [a for k, a in enumerate(articles) if k % per_party == colleague]
        people.append(Person(f"{party}-{colleague}", open_session(store, user), party, rng.sample(mine, min(3, len(mine)))))
    store.close()
    return people


class Client:
    """One browser tab, over the websocket: runs pages and presses widgets as the browser would."""

    def __init__(self, port: int, person: Person) -> None:
        self.port, self.person = port, person
        self.ws = None
        self.elements: list = []

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Origin": f"http://127.0.0.1:{self.port}",
                                "Cookie": f"cop_review_session={self.person.token}"},
            max_size=64 * 1024 * 1024, open_timeout=60, ping_interval=None)

    async def run(self, page: str, query: str = "", states: list | None = None) -> float:
        """Ask for a run of `page` with these widget states; wait for its end; its time in seconds."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query
        for state in states or []:
            msg.rerun_script.widget_states.widgets.append(state)
        self.elements = []
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=300)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self.elements.append(forward.delta.new_element)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.elements = []  # the page asked for another run (st.rerun): wait for that one
                    continue
                return time.perf_counter() - start

    def problems(self) -> list[str]:
        """Server errors and refusals on the page just run (not the page's warnings or infos)."""
        from streamlit.proto.Alert_pb2 import Alert

        found = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind == "exception":
                found.append(f"exception: {element.exception.message[:120]}")
            elif kind == "alert" and element.alert.format == Alert.ERROR:
                found.append(f"error shown: {element.alert.body[:120]}")
        return found

    def succeeded(self) -> bool:
        from streamlit.proto.Alert_pb2 import Alert

        return any(e.WhichOneof("type") == "alert" and e.alert.format == Alert.SUCCESS for e in self.elements)

    def widgets(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]


THINK = (1.0, 3.0)


def pause(rng: random.Random) -> float:
    return rng.uniform(*THINK)


async def party_user(client: Client, tally: Tally, until: float, rng: random.Random, save_label: str) -> None:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    person = client.person
    n = 0
    for section in person.sections * 1000:
        if time.monotonic() >= until:
            return
        took = await client.run("party_questionnaire", f"cycle={CYCLE}&section={section}")
        tally.pages.append(took)
        tally.runs += 1
        tally.errors += client.problems()
        areas = [a for a in client.widgets("text_area") if not a.disabled and "_examples" in a.id]
        save = next((b for b in client.widgets("button") if b.is_form_submitter and b.label == save_label), None)
        if not areas or save is None:
            tally.errors.append(f"{person.name}: section {section} has no example box or Save button")
            await asyncio.sleep(pause(rng))
            continue
        area = areas[0]
        n += 1
        text = f"Example typed by {person.name}, save {n}, at {dt.datetime.now():%H:%M:%S.%f}"
        states = [WidgetState(id=area.id, string_value=text), WidgetState(id=save.id, trigger_value=True)]
        await asyncio.sleep(pause(rng))  # typing
        took = await client.run("party_questionnaire", f"cycle={CYCLE}&section={section}", states)
        tally.runs += 1
        problems = client.problems()
        tally.errors += problems
        if client.succeeded() and not problems:
            tally.saves.append(took)
            # a keyed widget's id ends with its key, input_key(gen, (provision, question)): ans_<gen>_<provision>_examples
            provision = area.id.split("-", 2)[2].split("_", 2)[2].removesuffix("_examples")
            tally.confirmed[(person.party, provision, "examples")] = text
        await asyncio.sleep(pause(rng))  # reading


async def officer(client: Client, tally: Tally, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        page = rng.choice(DASHBOARDS)
        took = await client.run(page, f"cycle={CYCLE}")
        tally.pages.append(took)
        tally.runs += 1
        tally.errors += [f"{page}: {p}" for p in client.problems()]
        await asyncio.sleep(pause(rng))


async def drive(port: int, people: list[Person], seconds: float, save_label: str) -> tuple[Tally, float]:
    tally = Tally()
    rng = random.Random(5)
    clients = [Client(port, p) for p in people]

    async def one(client: Client, delay: float) -> None:
        await asyncio.sleep(delay)  # users arrive over the first seconds, not in one instant
        try:
            await client.connect()
            until = time.monotonic() + seconds
            if client.person.party:
                await party_user(client, tally, until, random.Random(rng.random()), save_label)
            else:
                await officer(client, tally, until, random.Random(rng.random()))
        except Exception as failed:  # a dropped connection or a timeout is an error of the run
            tally.errors.append(f"{client.person.name}: {type(failed).__name__}: {str(failed)[:120]}")
        finally:
            if client.ws is not None:
                await client.ws.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(c, i * 10 / len(clients)) for i, c in enumerate(clients)))
    return tally, time.perf_counter() - start


def lost_updates(db: Path, confirmed: dict) -> list[str]:
    """Confirmed saves whose text the database does not hold."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    lost = []
    for (party, provision, question), text in confirmed.items():
        row = con.execute("SELECT value FROM answer WHERE submission_id = ? AND provision_id = ? AND question_id = ?",
                          [f"{CYCLE}/{party}", provision, question]).fetchone()
        import json

        if row is None or json.loads(row[0]) != text:
            lost.append(f"{party} {provision} {question}")
    con.close()
    return lost


def pct(values: list[float], p: float) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000:.0f}"


def serve(db: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "REVIEW_DB": str(db), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server did not start; see {log}")


def one_population(n: int, seconds: float, work: Path, demo: Path | None = None, parties_at_most: int | None = None) -> dict:
    """Run `n` users for `seconds` on a server of their own; the tally, lost updates and server CPU."""
    from review.i18n import t

    db = work / f"load-{n}.duckdb"
    people = prepare(db, n, demo=demo, parties_at_most=parties_at_most)
    port = _free_port()
    server = serve(db, port, work / f"server-{n}.log")
    cpu_before = _cpu(server.pid)
    try:
        tally, wall = asyncio.run(drive(port, people, seconds, t("party.save", "en")))
    finally:
        cpu = _cpu(server.pid) - cpu_before
        stop(server)
    lost = lost_updates(db, tally.confirmed)
    return {"users": n, "wall": wall, "tally": tally, "lost": lost, "server_cpu": cpu}


def stop(server: subprocess.Popen, grace: float = 60) -> None:
    """Stop the server as an operator's service manager does: SIGTERM, then SIGKILL after `grace`
    seconds. A server still working through a backlog of page runs may not finish them in time;
    what it committed is in the database either way (DuckDB's write-ahead log), so the lost-update
    count read afterwards holds. Said on stderr when it happens."""
    server.terminate()
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        print(f"  - the server did not stop within {grace:g} s of SIGTERM; killed", file=sys.stderr)
        server.kill()
        server.wait(timeout=grace)


def _cpu(pid: int) -> float:
    """CPU seconds the server process has used so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    global THINK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--think", type=float, nargs=2, default=list(THINK), metavar=("MIN", "MAX"),
                        help="seconds each user pauses between actions (drawn between MIN and MAX)")
    options = parser.parse_args(argv)
    THINK = tuple(options.think)
    work = Path(tempfile.mkdtemp(prefix="review-load-"))
    print(f"# {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, {options.minutes} min per population, pauses {THINK[0]:g} to {THINK[1]:g} s")
    print("| users | saves | save p50 / p95 / p99 (ms) | page opens | page p50 / p95 / p99 (ms) | runs/s | server CPU/s | server CPU per run (ms) | errors | lost updates |")
    print("|---:|---:|---|---:|---|---:|---:|---:|---:|---:|")
    try:
        for n in options.users:
            r = one_population(n, options.minutes * 60, work)
            t = r["tally"]
            print(f"| {n} | {len(t.saves)} | {pct(t.saves, 50)} / {pct(t.saves, 95)} / {pct(t.saves, 99)} | {len(t.pages)} | "
                  f"{pct(t.pages, 50)} / {pct(t.pages, 95)} / {pct(t.pages, 99)} | {t.runs / r['wall']:.1f} | "
                  f"{r['server_cpu'] / r['wall']:.2f} | {1000 * r['server_cpu'] / max(1, t.runs):.0f} | {len(t.errors)} | "
                  f"{len(r['lost'])} |", flush=True)
            for line in (t.errors[:5] + r["lost"][:5]):
                print(f"  - {line}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
