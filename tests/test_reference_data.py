"""Possible Parties: the UN Member States, the observer States and the European Union."""

from review.parties import REGIONAL_GROUPS, all_parties


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
