"""Who is a Party: dates recorded from the UN Treaty Collection's status table (or by hand), entry
into force computed from the instrument's final clauses, standing on a day, and bad files refused
whole, naming the line."""

from __future__ import annotations

import datetime as dt

import pytest

from review import audit, participation
from review.cli import main
from review.errors import PermissionDenied, ValidationFailed
from review.access import PUBLIC
from tests.actors import SETUP

INSTRUMENT = "uncc-2024"
HEADER = "Participant,Signature,\"Acceptance(A), Ratification, Approval(AA), Accession(a)\"\n"


def status_file(lines: list[str]) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_a_status_table_is_recorded_with_kinds_of_consent(store):
    data = status_file(["Kenya,25 Oct 2025,12 Mar 2026", "France,25 Oct 2025,", "Viet Nam,25 Oct 2025,1 Feb 2026 A",
                        "Bhutan,,3 Apr 2026 a", "Chile,2025-10-25,2026-05-01 AA"])
    entries = participation.import_status(store, SETUP, INSTRUMENT, "status.csv", data)
    found = participation.participations(store, INSTRUMENT)
    assert len(entries) == 5 and set(found) == {"KEN", "FRA", "VNM", "BTN", "CHL"}
    assert (found["KEN"].consent_date, found["KEN"].consent_kind) == (dt.date(2026, 3, 12), "ratification")
    assert found["VNM"].consent_kind == "acceptance" and found["BTN"].consent_kind == "accession"
    assert found["FRA"].consent_date is None and found["FRA"].signature_date == dt.date(2025, 10, 25)
    assert {e.action for e in audit.entries(store, SETUP)} >= {"participation.record"}


def test_a_bad_file_is_refused_whole_naming_each_line(store):
    data = status_file(["Kenya,25 Oct 2025,12 Mar 2026", "Atlantis,25 Oct 2025,", "France,31 Feb 2025,",
                        "Kenya,,"])
    with pytest.raises(ValidationFailed) as refused:
        participation.import_status(store, SETUP, INSTRUMENT, "status.csv", data)
    assert [(p.location, p.key) for p in refused.value.problems] == [
        ("status.csv:3", "participation.unknown_state"), ("status.csv:4", "participation.bad_date"),
        ("status.csv:5", "participation.twice")]
    assert "Atlantis" in refused.value.problems[0].message("en")
    assert participation.participations(store, INSTRUMENT) == {}
    with pytest.raises(ValidationFailed) as header:
        participation.import_status(store, SETUP, INSTRUMENT, "x.csv", b"Country,Date\nKenya,2026-01-01\n")
    assert header.value.problems[0].key == "participation.bad_header"


def test_entry_into_force_follows_the_instruments_rule():
    rule = {"instruments_needed": 3, "days_after_last_needed": 90, "days_after_later_deposit": 30}
    day = dt.date(2026, 1, 1)
    consents = {"A": day, "B": day + dt.timedelta(days=10), "EU": day + dt.timedelta(days=15),
                "C": day + dt.timedelta(days=20), "D": day + dt.timedelta(days=200)}
    assert participation.in_force_dates({k: v for k, v in consents.items() if k in "AB"}, rule) == {}
    found = participation.in_force_dates(consents, rule, not_counted={"EU"})
    first = consents["C"] + dt.timedelta(days=90)
    assert found["A"] == found["B"] == found["C"] == found["EU"] == first
    assert found["D"] == consents["D"] + dt.timedelta(days=30)


def test_parties_on_a_day_and_signatories(store):
    lines = [f"{code},25 Oct 2025,{1 + i % 28} Jan 2026" for i, code in enumerate(_codes(store, 40))]
    participation.import_status(store, SETUP, INSTRUMENT, "s.csv", status_file(lines + ["Kenya,25 Oct 2025,"]))
    last = max(p.consent_date for p in participation.participations(store, INSTRUMENT).values() if p.consent_date)
    in_force = last + dt.timedelta(days=90)
    assert participation.parties_on(store, INSTRUMENT, in_force - dt.timedelta(days=1)) == []
    assert len(participation.parties_on(store, INSTRUMENT, in_force)) == 40
    assert participation.standings(store, INSTRUMENT, in_force)["KEN"] == "signatory"


def test_only_the_secretariat_records_participation(store):
    with pytest.raises(PermissionDenied):
        participation.record(store, PUBLIC, INSTRUMENT, "KEN", signature_date=dt.date(2025, 10, 25))
    with pytest.raises(ValidationFailed) as incomplete:
        participation.record(store, SETUP, INSTRUMENT, "KEN", consent_date=dt.date(2026, 1, 1))
    assert incomplete.value.problems[0].key == "participation.consent_incomplete"


def test_review_parties_import_and_list(store, tmp_path, capsys):
    path = tmp_path / "status.csv"
    path.write_bytes(status_file(["Kenya,25 Oct 2025,12 Mar 2026"]))
    store.close()
    db = str(store.path)
    assert main(["--db", db, "parties", "import", str(path)]) == 0
    assert "1 State(s) recorded" in capsys.readouterr().out
    assert main(["--db", db, "parties", "list", "--json", "--on", "2026-04-01"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"party": "KEN", "signature": "2025-10-25", "consent": "2026-03-12", "consent_kind": "ratification",
                     "in_force": None, "standing": "signatory"}]
    path.write_bytes(status_file(["Narnia,25 Oct 2025,"]))
    assert main(["--db", db, "parties", "import", str(path)]) == 1
    assert "status.csv:2" in capsys.readouterr().err


def _codes(store, n: int) -> list[str]:
    with store.read() as cur:
        return [r[0] for r in cur.execute("SELECT code FROM party WHERE kind = 'member_state' AND code <> 'KEN' "
                                          "ORDER BY code LIMIT ?", [n]).fetchall()]
