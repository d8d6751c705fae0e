"""Possible Parties: UN Member States, observer States and regional organizations, from `data/`.

Names exist in the six UN languages where known; a missing name falls back to English.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from review.i18n import normalize
from review.store import Store

REFERENCE_CSV = Path(__file__).resolve().parent.parent / "data" / "parties.csv"
COLUMNS = (
    "code", "iso2", "iso_numeric", "kind", "regional_group", "ldc", "lldc", "sids",
    "name_en", "name_fr", "name_es", "name_ru", "name_zh", "name_ar", "signature_date", "ratification_date",
)
REGIONAL_GROUPS = ("AFR", "APG", "EEG", "GRULAC", "WEOG")
CATEGORIES = ("ldc", "lldc", "sids")


@dataclass(frozen=True)
class Party:
    code: str
    kind: str
    regional_group: str | None
    ldc: bool
    lldc: bool
    sids: bool
    names: dict[str, str]

    def name(self, lang: str = "en") -> str:
        return self.names.get(normalize(lang)) or self.names["en"]


def _reference_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        item = {key: (row.get(key) or None) for key in COLUMNS}
        for flag in CATEGORIES:
            item[flag] = row[flag] == "true"
        out.append(item)
    return out


def load_reference(store: Store, path: Path = REFERENCE_CSV) -> int:
    """Insert or refresh every possible Party from the reference file; returns how many."""
    rows = _reference_rows(path)
    placeholders = ", ".join("?" for _ in COLUMNS)
    with store.transaction() as cur:
        cur.executemany(
            f"INSERT OR REPLACE INTO party ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            [[row[key] for key in COLUMNS] for row in rows],
        )
    return len(rows)


def all_parties(store: Store) -> dict[str, Party]:
    """Every possible Party by code, in code order."""
    with store.read() as cur:
        rows = cur.execute(
            "SELECT code, kind, regional_group, ldc, lldc, sids, name_en, name_fr, name_es, name_ru, name_zh, name_ar "
            "FROM party ORDER BY code"
        ).fetchall()
    return {
        r[0]: Party(r[0], r[1], r[2], r[3], r[4], r[5], {lang: n for lang, n in zip(("en", "fr", "es", "ru", "zh", "ar"), r[6:]) if n})
        for r in rows
    }
