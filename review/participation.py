"""Who is a Party to an instrument, and since when: what decides who must report in a cycle.

The secretariat records, per instrument and State, the date of signature, the date and kind of the
instrument of consent to be bound (ratification, acceptance, approval or accession) and the date the
instrument entered into force for that State: by hand or from a file in the column layout of the UN
Treaty Collection's status table (`Participant`, `Signature`, and the consent column whose dates
carry `a`, `A` or `AA` for accession, acceptance and approval). A State is a *Party* on a day when
the instrument is in force for it on that day; a *signatory* when it signed and is not yet a Party.
A cycle defaults to the Parties on its opening day; signatories may take part as volunteers.

The date an instrument entered into force for a State, when not recorded, is computed from the
instrument's final clauses, kept as data in `data/instruments.yaml` (for the Convention against
Cybercrime, article 65: the 90th day after the 40th instrument; for a later State, the 30th day after
its own, or the first date if later).

Nothing here invents a real State's status: the demo keeps these dates empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from review import audit
from review.access import Actor, require
from review.errors import Problem, ValidationFailed
from review.store import Store
from review.resources import data_file

CONSENT_KINDS = ("ratification", "acceptance", "approval", "accession")
_SUFFIX = {"": "ratification", "A": "acceptance", "AA": "approval", "a": "accession"}
_DATE = re.compile(r"^\s*(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\s*$")
_CONSENT = re.compile(r"^(.*?)(?:\s+(AA|A|a))?$")
_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                       "Dec"), start=1)}
MAX_FILE_BYTES = 1024 * 1024
PARTY, SIGNATORY, NEITHER = "party", "signatory", "neither"
INSTRUMENTS_FILE = data_file("instruments.yaml")


@dataclass(frozen=True)
class Participation:
    instrument: str
    party: str
    signature_date: dt.date | None
    consent_date: dt.date | None
    consent_kind: str | None
    in_force_date: dt.date | None

    def standing(self, on: dt.date) -> str:
        """'party' when the instrument is in force for the State on `on`, 'signatory' when it signed
        by then, else 'neither'."""
        if self.in_force_date is not None and self.in_force_date <= on:
            return PARTY
        if self.signature_date is not None and self.signature_date <= on:
            return SIGNATORY
        return NEITHER


@cache
def instruments() -> dict:
    """The instruments the installation knows (`data/instruments.yaml`), by id."""
    return (yaml.safe_load(INSTRUMENTS_FILE.read_text(encoding="utf-8")) or {}) if INSTRUMENTS_FILE.is_file() else {}


def entry_into_force_rule(instrument: str) -> dict | None:
    """The instrument's entry-into-force clause as data, or None when none is known."""
    return (instruments().get(instrument) or {}).get("entry_into_force")


def in_force_dates(consents: dict[str, dt.date], rule: dict, not_counted: set[str] = frozenset()) -> dict[str, dt.date]:
    """When the instrument entered into force for each State that consented, under `rule`: none
    before enough instruments (those of `not_counted`, a regional organization's, left out) are in."""
    counted = sorted(day for code, day in consents.items() if code not in not_counted)
    needed = rule["instruments_needed"]
    if len(counted) < needed:
        return {}
    last_needed = counted[needed - 1]
    first = last_needed + dt.timedelta(days=rule["days_after_last_needed"])
    later = dt.timedelta(days=rule["days_after_later_deposit"])
    return {code: first if day <= last_needed else max(day + later, first) for code, day in consents.items()}


def participations(store: Store, instrument: str) -> dict[str, Participation]:
    """Every State's recorded participation in `instrument`, by code (treaty status is public), with
    the date of entry into force computed from the instrument's rule where none was recorded."""
    with store.read() as cur:
        rows = cur.execute(
            "SELECT p.instrument, p.party, p.signature_date, p.consent_date, p.consent_kind, p.in_force_date, s.kind "
            "FROM participation p LEFT JOIN party s ON s.code = p.party WHERE p.instrument = ? ORDER BY p.party",
            [instrument]).fetchall()
    found = {r[1]: Participation(*r[:6]) for r in rows}
    rule = entry_into_force_rule(instrument)
    if rule:
        organizations = set() if rule.get("count_regional_organizations") else {
            r[1] for r in rows if r[6] == "regional_organization"}
        computed = in_force_dates({c: p.consent_date for c, p in found.items() if p.consent_date}, rule, organizations)
        found = {c: p if p.in_force_date or c not in computed else replace(p, in_force_date=computed[c])
                 for c, p in found.items()}
    return found


def parties_on(store: Store, instrument: str, day: dt.date) -> list[str]:
    """The codes of the States that are Parties to `instrument` on `day`."""
    return [code for code, p in participations(store, instrument).items() if p.standing(day) == PARTY]


def standings(store: Store, instrument: str, day: dt.date) -> dict[str, str]:
    """Each recorded State's standing on `day` ('party' or 'signatory'; others are absent)."""
    found = {code: p.standing(day) for code, p in participations(store, instrument).items()}
    return {code: s for code, s in found.items() if s != NEITHER}


def record(store: Store, actor: Actor, instrument: str, party: str, *, signature_date: dt.date | None = None,
           consent_date: dt.date | None = None, consent_kind: str | None = None,
           in_force_date: dt.date | None = None) -> Participation:
    """Record (or correct) one State's participation; refused whole with every problem named."""
    require(actor, "cycle.manage")
    entry = Participation(instrument, party.strip().upper(), signature_date, consent_date, consent_kind, in_force_date)
    with store.read() as cur:
        known = {r[0] for r in cur.execute("SELECT code FROM party").fetchall()}
    problems = _problems(entry, known, "")
    if problems:
        raise ValidationFailed(problems)
    with store.transaction() as cur:
        _write(cur, actor, [entry])
    return entry


def import_status(store: Store, actor: Actor, instrument: str, name: str, data: bytes) -> list[Participation]:
    """A treaty status table (CSV in the UN Treaty Collection's columns) recorded for `instrument`
    whole or not at all: an unknown State, a date that is not a date, a State named twice are
    refused with the file's line, and nothing is recorded."""
    require(actor, "cycle.manage")
    entries = _parse(store, instrument, name, data)  # every line checked there, naming it
    with store.transaction() as cur:
        _write(cur, actor, entries)
    return entries


def _parse(store: Store, instrument: str, name: str, data: bytes) -> list[Participation]:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed([Problem(name, "participation.too_large", {"limit": MAX_FILE_BYTES // 1024})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed([Problem(name, "participation.not_text", {})]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValidationFailed([Problem(name, "participation.empty", {})])
    header = [h.strip() for h in rows[0]]
    columns = _columns(header)
    if columns is None:
        raise ValidationFailed([Problem(f"{name}:1", "participation.bad_header", {"found": ", ".join(header)})])
    names = {}
    with store.read() as cur:
        for code, *texts in cur.execute("SELECT code, name_en, name_fr, name_es, name_ru, name_zh, name_ar FROM party").fetchall():
            names[code.lower()] = code
            names.update({t.strip().lower(): code for t in texts if t})
    entries, problems, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}:{number}"
        cell = dict(zip(header, row))
        participant = cell.get(columns["participant"], "").strip()
        code = names.get(participant.lower())
        if code is None:
            problems.append(Problem(where, "participation.unknown_state", {"name": participant}))
            continue
        if code in seen:
            problems.append(Problem(where, "participation.twice", {"name": participant}))
            continue
        seen.add(code)
        signature, bad_signature = _date(cell.get(columns["signature"], ""))
        consent, kind, bad_consent = _consent(cell.get(columns["consent"], ""))
        in_force, bad_force = _date(cell.get(columns["in_force"], "")) if columns["in_force"] else (None, None)
        for bad, column in ((bad_signature, columns["signature"]), (bad_consent, columns["consent"]),
                            (bad_force, columns["in_force"])):
            if bad is not None:
                problems.append(Problem(where, "participation.bad_date", {"column": column, "value": bad}))
        entry = Participation(instrument, code, signature, consent, kind, in_force)
        problems += _problems(entry, set(names.values()), where)
        entries.append(entry)
    if problems:
        raise ValidationFailed(problems)
    return entries


def _columns(header: list[str]) -> dict[str, str | None] | None:
    lowered = {h.lower(): h for h in header}
    participant = lowered.get("participant")
    signature = lowered.get("signature")
    consent = next((h for h in header if "ratification" in h.lower() or "accession" in h.lower()), None)
    in_force = next((h for h in header if "entry into force" in h.lower()), None)
    if not (participant and signature and consent):
        return None
    return {"participant": participant, "signature": signature, "consent": consent, "in_force": in_force}


def _date(text: str) -> tuple[dt.date | None, str | None]:
    """A UNTC date ('25 Oct 2025') or ISO date; (None, the text) when it is not one."""
    text = (text or "").strip()
    if not text:
        return None, None
    found = _DATE.match(text)
    try:
        if found:
            return dt.date(int(found.group(3)), _MONTHS.get(found.group(2), 0), int(found.group(1))), None
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, text


def _consent(text: str) -> tuple[dt.date | None, str | None, str | None]:
    """The consent column: a date and its kind from the suffix (none: ratification)."""
    found = _CONSENT.match((text or "").strip())
    if not found or not found.group(1):
        return None, None, None
    day, bad = _date(found.group(1))
    if day is None:
        return None, None, bad
    return day, _SUFFIX[found.group(2) or ""], None


def _problems(entry: Participation, known: set[str], where: str) -> list[Problem]:
    where = where or entry.party
    problems = []
    if entry.party not in known:
        problems.append(Problem(where, "participation.unknown_state", {"name": entry.party}))
    if entry.consent_kind is not None and entry.consent_kind not in CONSENT_KINDS:
        problems.append(Problem(where, "participation.bad_kind", {"value": entry.consent_kind}))
    if (entry.consent_date is None) != (entry.consent_kind is None):
        problems.append(Problem(where, "participation.consent_incomplete", {}))
    if entry.in_force_date is not None and entry.consent_date is None:
        problems.append(Problem(where, "participation.in_force_without_consent", {}))
    if entry.consent_date and entry.in_force_date and entry.in_force_date < entry.consent_date:
        problems.append(Problem(where, "participation.in_force_before_consent", {}))
    return problems


def _write(cur, actor: Actor, entries: list[Participation]) -> None:
    now = dt.datetime.now()
    changes = []
    for e in entries:
        before = cur.execute("SELECT signature_date, consent_date, consent_kind, in_force_date FROM participation "
                             "WHERE instrument = ? AND party = ?", [e.instrument, e.party]).fetchone()
        cur.execute("INSERT OR REPLACE INTO participation VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [e.instrument, e.party, e.signature_date, e.consent_date, e.consent_kind, e.in_force_date, now,
                     actor.id])
        after = {"signature": e.signature_date, "consent": e.consent_date, "kind": e.consent_kind, "in_force": e.in_force_date}
        changes.append(("participation.record", "participation", f"{e.instrument}/{e.party}",
                        dict(zip(after, before)) if before else None, after))
    audit.record_all(cur, actor, changes)
