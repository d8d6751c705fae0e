"""Possible Parties: the UN Member States, the observer States and the European Union."""

import datetime as dt

from review.parties import REFERENCE_CSV, REGIONAL_GROUPS, all_parties, load_reference


def test_every_possible_party_is_there(store):
    everyone = all_parties(store)
    kinds = [p.kind for p in everyone.values()]
    assert kinds.count("member_state") == 193
    assert sorted(c for c, p in everyone.items() if p.kind == "observer_state") == ["PSE", "VAT"]
    assert everyone["EUU"].kind == "regional_organization"


def test_groups_categories_and_names(store):
    everyone = all_parties(store)
    members = [p for p in everyone.values() if p.kind == "member_state"]
    assert all(p.regional_group in REGIONAL_GROUPS for p in members)
    assert sum(p.ldc for p in members) == 44
    assert everyone["NPL"].lldc and everyone["FJI"].sids
    assert everyone["CHN"].name("zh") == "中国"
    assert all(p.name(lang) for p in everyone.values() for lang in ("en", "zh", "fr", "es", "ru", "ar"))


def test_codes_groups_and_categories_match_the_documented_counts(store):
    everyone = all_parties(store)
    with store.read() as cur:
        codes = cur.execute("SELECT code, iso2, iso_numeric FROM party").fetchall()
    assert len({c for c, _, _ in codes}) == len({i for _, i, _ in codes}) == 196
    assert all(len(c) == 3 and c.isupper() and len(i2) == 2 for c, i2, _ in codes)
    assert all(n is None or (len(n) == 3 and n.isdigit()) for _, _, n in codes)
    groups = {g: sum(1 for p in everyone.values() if p.regional_group == g) for g in REGIONAL_GROUPS}
    assert groups == {"AFR": 54, "APG": 55, "EEG": 23, "GRULAC": 33, "WEOG": 29}
    assert everyone["VAT"].regional_group is None and everyone["EUU"].regional_group is None
    assert sum(p.lldc for p in everyone.values()) == 32 and sum(p.sids for p in everyone.values()) == 38


def test_signature_and_ratification_dates_are_fields_empty_when_not_known(store, tmp_path):
    assert all(p.signature_date is None and p.ratification_date is None for p in all_parties(store).values())
    lines = REFERENCE_CSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    germany = next(line for line in lines if line.startswith("DEU,")).split(",")
    germany[header.index("signature_date")] = "2025-10-25"
    germany[header.index("name_fr")] = ""
    edited = tmp_path / "parties.csv"
    edited.write_text("\n".join([lines[0], ",".join(germany)]) + "\n", encoding="utf-8")
    load_reference(store, edited)
    germany = all_parties(store)["DEU"]
    assert germany.signature_date == dt.date(2025, 10, 25) and germany.ratification_date is None
    assert germany.name("fr") == "Germany", "a name missing in a language falls back to English"
