"""Review cycles: which questionnaire version, which chapters, which Parties, by when.

A cycle pins a questionnaire version, and the definition is stored in the database when the
version is registered, so the answers of a cycle keep their meaning even after newer versions
(or a removed file) change the catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from review import audit
from review.access import Actor, require, viewer
from review.errors import NotFound, ValidationFailed, Problem, ReviewError
from review.questionnaire import Questionnaire
from review.questionnaire.loader import from_registered
from review.rules import public_sql
from review.store import Store

CYCLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


@dataclass(frozen=True)
class Cycle:
    id: str
    title: str
    questionnaire_id: str
    questionnaire_version: str
    chapters: tuple[str, ...]
    opens: dt.date | None
    deadline: dt.date
    created_at: dt.datetime
    created_by: str


def register_questionnaire(store: Store, actor: Actor, questionnaire: Questionnaire) -> bool:
    """Store a definition so cycles can use it forever; returns True when it was new.

    A version already stored may only be refreshed when its structure (fingerprint) is unchanged,
    as when labels are corrected; a structural change needs a new version.
    """
    require(actor, "cycle.manage")
    definition = json.dumps(questionnaire.source, ensure_ascii=False, sort_keys=True)
    store.cache.pop(("questionnaire", questionnaire.id, questionnaire.version), None)
    with store.transaction() as cur:
        row = cur.execute(
            "SELECT fingerprint, definition FROM questionnaire WHERE id = ? AND version = ?",
            [questionnaire.id, questionnaire.version],
        ).fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO questionnaire VALUES (?, ?, ?, ?, current_timestamp)",
                [questionnaire.id, questionnaire.version, questionnaire.fingerprint, definition],
            )
            return True
        if row[0] != questionnaire.fingerprint:
            raise ReviewError(
                "errors.questionnaire_version_changed", id=questionnaire.id, version=questionnaire.version
            )
        if row[1] != definition:
            cur.execute(
                "UPDATE questionnaire SET definition = ? WHERE id = ? AND version = ?",
                [definition, questionnaire.id, questionnaire.version],
            )
        return False


def questionnaire(store: Store, questionnaire_id: str, version: str) -> Questionnaire:
    """A registered questionnaire version, as stored (parsed once per process: see Store.cache)."""
    key = ("questionnaire", questionnaire_id, version)
    if key in store.cache:
        return store.cache[key]
    with store.read() as cur:
        row = cur.execute(
            "SELECT definition FROM questionnaire WHERE id = ? AND version = ?", [questionnaire_id, version]
        ).fetchone()
    if row is None:
        raise NotFound("errors.questionnaire_not_found", id=questionnaire_id, version=version)
    parsed = store.cache[key] = from_registered(row[0], f"{questionnaire_id} {version}")
    return parsed


def registered_questionnaires(store: Store) -> list[tuple[str, str]]:
    with store.read() as cur:
        return [tuple(r) for r in cur.execute("SELECT id, version FROM questionnaire ORDER BY id, version").fetchall()]


def _cycle(row) -> Cycle:
    return Cycle(row[0], row[1], row[2], row[3], tuple(row[4]), row[5], row[6], row[7], row[8])


_CYCLE_COLUMNS = "id, title, questionnaire_id, questionnaire_version, chapters, opens, deadline, created_at, created_by"


def list_cycles(store: Store) -> list[Cycle]:
    """All cycles, newest first. Cycles are public: the status tracker lists them."""
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_CYCLE_COLUMNS} FROM cycle ORDER BY deadline DESC, created_at DESC").fetchall()
    return [_cycle(r) for r in rows]


def get_cycle(store: Store, cycle_id: str | None = None) -> Cycle:
    """The named cycle, or the latest one when none is named."""
    if cycle_id is None:
        cycles = list_cycles(store)
        if not cycles:
            raise NotFound("errors.no_cycle")
        return cycles[0]
    with store.read() as cur:
        row = cur.execute(f"SELECT {_CYCLE_COLUMNS} FROM cycle WHERE id = ?", [cycle_id]).fetchone()
    if row is None:
        raise NotFound("errors.cycle_not_found", cycle=cycle_id)
    return _cycle(row)


# the order in which a Party's cycles are its "current" one: work in hand first (a draft, or
# answers returned to it), then a cycle open for answers it has not started, then what it has sent;
# a cycle not open yet comes last. Ties go to the newest deadline.
_WORKING_ORDER = """
    CASE WHEN s.state IN ('draft', 'returned') THEN 0
         WHEN s.state = 'not_started' AND (c.opens IS NULL OR c.opens <= $today) THEN 1
         WHEN s.state <> 'not_started' THEN 2
         ELSE 3 END"""


def default_cycle(source, actor: Actor, party: str | None = None, today: dt.date | None = None) -> Cycle | None:
    """The cycle a page opens on when the user has chosen none: the one definition every page uses.

    - for a Party (the user's own, or the one named by `party`): the cycle it is working on (see
      `_WORKING_ORDER`), so opening a new cycle does not move a Party off the draft in hand;
    - for the secretariat: the latest cycle with a submission sent to it;
    - for everyone else (the public, providers) and on a published snapshot: the latest cycle with
      published answers.
    A Party taking part in no cycle gets its role's rule; each falls back to the newest cycle; None when there is no cycle at all. Cycles and submission
    states are public (the status tracker), so no permission is needed."""
    published_only = bool(getattr(source, "published_only", False))
    seen = viewer(actor, public_source=published_only)
    party = party or seen.party
    with source.read() as cur:
        row = None
        if party and not published_only:
            row = cur.execute(
                f"SELECT c.id FROM submission s JOIN cycle c ON c.id = s.cycle_id WHERE s.party = $party "
                f"ORDER BY {_WORKING_ORDER}, c.deadline DESC, c.created_at DESC LIMIT 1",
                {"party": party, "today": today or dt.date.today()},
            ).fetchone()
        if row is not None:
            pass
        elif seen.sight == "all":
            row = cur.execute(
                "SELECT c.id FROM cycle c WHERE EXISTS (SELECT 1 FROM submission s WHERE s.cycle_id = c.id "
                "AND s.state IN ('submitted', 'validated', 'published')) ORDER BY c.deadline DESC, c.created_at DESC LIMIT 1"
            ).fetchone()
        else:
            row = cur.execute(
                "SELECT c.id FROM cycle c WHERE EXISTS (SELECT 1 FROM submission s WHERE s.cycle_id = c.id "
                f"AND {public_sql('s')}) ORDER BY c.deadline DESC, c.created_at DESC LIMIT 1"
            ).fetchone()
        if row is None:
            row = cur.execute("SELECT id FROM cycle ORDER BY deadline DESC, created_at DESC LIMIT 1").fetchone()
        if row is None:
            return None
        found = cur.execute(f"SELECT {_CYCLE_COLUMNS} FROM cycle WHERE id = ?", [row[0]]).fetchone()
    return _cycle(found)


def cycle_questionnaire(store: Store, cycle: Cycle) -> Questionnaire:
    return questionnaire(store, cycle.questionnaire_id, cycle.questionnaire_version)


def participants(store: Store, cycle_id: str) -> list[str]:
    with store.read() as cur:
        return [r[0] for r in cur.execute("SELECT party FROM submission WHERE cycle_id = ? ORDER BY party", [cycle_id]).fetchall()]


def parties_on_opening(store: Store, questionnaire_id: str, questionnaire_version: str,
                       opens: dt.date | None = None) -> list[str]:
    """Who takes part in a cycle unless the secretariat names the Parties: the States that are Parties
    to the questionnaire's instrument on the cycle's opening day (today for a cycle that opens now),
    from the recorded treaty status (`review.participation`). The page and `review cycles create` both
    ask this, so the rule is written once."""
    from review import participation

    q = questionnaire(store, questionnaire_id, questionnaire_version)
    return participation.parties_on(store, q.instrument["id"], opens or dt.date.today())


def create_cycle(
    store: Store,
    actor: Actor,
    *,
    cycle_id: str,
    title: str,
    questionnaire_id: str,
    questionnaire_version: str,
    chapters: list[str],
    parties: list[str],
    deadline: dt.date,
    opens: dt.date | None = None,
    every_party: bool = False,
) -> Cycle:
    """Open a cycle: one submission, not started, per participating Party. `every_party` adds the
    States that are Parties on the opening day (`parties_on_opening`); when that leaves no Party at
    all, the refusal says why (nobody is a Party that day), not that the list of Parties is empty."""
    require(actor, "cycle.manage")
    q = questionnaire(store, questionnaire_id, questionnaire_version)
    problems = []
    on_opening = parties_on_opening(store, questionnaire_id, questionnaire_version, opens) if every_party else []
    parties = sorted(set(parties) | set(on_opening))
    if not (cycle_id or "").strip():
        problems.append(Problem("cycle_id", "values.required", {}))
    elif not CYCLE_ID.fullmatch(cycle_id):  # not match: "$" lets a trailing line break through
        problems.append(Problem("cycle_id", "cycles.bad_id", {"value": cycle_id}))
    if not (title or "").strip():
        problems.append(Problem("title", "values.required", {}))
    known_chapters = [c.number for c in q.chapters]
    unknown = [c for c in chapters if c not in known_chapters]
    if not chapters or unknown:
        problems.append(Problem("chapters", "cycles.bad_chapters", {"value": ", ".join(unknown), "allowed": ", ".join(known_chapters)}))
    elif not q.assessed_provisions(chapters):
        problems.append(Problem("chapters", "cycles.nothing_to_assess", {}))
    if opens is not None and opens > deadline:
        problems.append(Problem("deadline", "cycles.deadline_before_opening", {}))
    with store.read() as cur:
        known = {r[0] for r in cur.execute("SELECT code FROM party").fetchall()}
        exists = cur.execute("SELECT 1 FROM cycle WHERE id = ?", [cycle_id]).fetchone()
    if exists:
        problems.append(Problem("cycle_id", "cycles.exists", {"value": cycle_id}))
    unknown_parties = sorted(set(parties) - known)
    if not parties and every_party:  # nobody is a Party that day, and none was named besides
        problems.append(Problem("parties", "pol3.cycles.no_parties_on", {"day": opens or dt.date.today()}))
    elif not parties:
        problems.append(Problem("parties", "values.required", {}))
    elif unknown_parties:
        problems.append(Problem("parties", "cycles.bad_parties", {"value": ", ".join(unknown_parties)}))
    if problems:
        raise ValidationFailed(problems)
    ordered = [c for c in known_chapters if c in chapters]
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO cycle VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
            [cycle_id, title.strip(), questionnaire_id, questionnaire_version, ordered, opens, deadline, actor.id],
        )
        taking = sorted(set(parties))
        cur.execute(  # one statement (executemany runs one per Party)
            "INSERT INTO submission (id, cycle_id, party, state, seq) "
            "SELECT unnest(?::VARCHAR[]), ?, unnest(?::VARCHAR[]), 'not_started', 0",
            [[f"{cycle_id}/{p}" for p in taking], cycle_id, taking],
        )
        audit.record(
            cur, actor, "cycle.create", "cycle", cycle_id,
            after={"title": title, "questionnaire": [questionnaire_id, questionnaire_version], "chapters": ordered,
                   "parties": sorted(set(parties)), "deadline": deadline.isoformat()},
        )
    return get_cycle(store, cycle_id)


def extend_deadline(store: Store, actor: Actor, cycle_id: str, deadline: dt.date) -> Cycle:
    """Move a cycle's deadline later (secretariat). An earlier date is refused: it would make Parties
    late overnight; lateness and the reminders follow the new date (`review.rules`)."""
    require(actor, "cycle.manage")
    cycle = get_cycle(store, cycle_id)
    if deadline <= cycle.deadline:
        raise ValidationFailed([Problem("deadline", "cli_steps.deadline_not_later",
                                        {"value": deadline, "current": cycle.deadline})])
    with store.transaction() as cur:
        cur.execute("UPDATE cycle SET deadline = ? WHERE id = ?", [deadline, cycle_id])
        audit.record(cur, actor, "cycle.deadline", "cycle", cycle_id, before={"deadline": cycle.deadline.isoformat()},
                     after={"deadline": deadline.isoformat()})
    return get_cycle(store, cycle_id)
