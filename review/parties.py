"""Possible Parties: UN Member States, observer States and regional organizations, from `data/`.

Names exist in the six UN languages where known; a missing name falls back to English. Signature
and ratification dates are fields, empty (None) where not known: the shipped file invents none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from review.i18n import normalize
from review.store import Store
from review.resources import data_file

REFERENCE_CSV = data_file("parties.csv")
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
    signature_date: dt.date | None = None
    ratification_date: dt.date | None = None

    def name(self, lang: str = "en") -> str:
        return self.names.get(normalize(lang)) or self.names["en"]


def load_reference(store: Store, path: Path = REFERENCE_CSV) -> int:
    """Insert or refresh every possible Party from the reference file; returns how many."""
    flags = ", ".join(f"{flag} = 'true' AS {flag}" for flag in CATEGORIES)
    texts = [c for c in COLUMNS if c not in CATEGORIES]
    with store.transaction() as cur:
        cur.execute(
            f"INSERT OR REPLACE INTO party BY NAME SELECT {', '.join(texts)}, {flags} "
            "FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        return cur.execute("SELECT count(*) FROM party").fetchone()[0]


def all_parties(store: Store) -> dict[str, Party]:
    """Every possible Party by code, in code order."""
    with store.read() as cur:
        rows = cur.execute(
            "SELECT code, kind, regional_group, ldc, lldc, sids, name_en, name_fr, name_es, name_ru, name_zh, name_ar, "
            "signature_date, ratification_date FROM party ORDER BY code"
        ).fetchall()
    return {
        r[0]: Party(r[0], r[1], r[2], r[3], r[4], r[5], {lang: n for lang, n in zip(("en", "fr", "es", "ru", "zh", "ar"), r[6:12]) if n},
                    r[12], r[13])
        for r in rows
    }


def in_regions(store: Store, regions: Iterable[str]) -> list[str]:
    """The codes of every possible Party in these regional groups, for choosing a cycle's Parties."""
    wanted = set(regions)
    return [code for code, party in all_parties(store).items() if party.regional_group in wanted]
