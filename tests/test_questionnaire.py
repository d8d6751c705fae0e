"""The convention as a versioned questionnaire: complete, checked, and refused when broken."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from review import cycles
from tests.actors import SETUP
from review.errors import ReviewError
from review.questionnaire import DefinitionError, catalogue, from_mapping, load_file
from review.questionnaire.loader import QUESTIONNAIRES_DIR, translation_catalogues, with_translations
from tests.tiny_instrument import tiny_definition

CHAPTER_RANGES = {"I": (1, 6), "II": (7, 21), "III": (22, 22), "IV": (23, 34), "V": (35, 52),
                  "VI": (53, 53), "VII": (54, 56), "VIII": (57, 58), "IX": (59, 68)}


@pytest.fixture(scope="module")
def uncc():
    return catalogue()[("uncc-self-assessment", "1.0")]


def test_all_68_articles_in_9_chapters_with_the_right_ranges(uncc):
    assert [a.number for a in uncc.articles] == list(range(1, 69))
    assert {c.number: (c.first, c.last) for c in uncc.chapters} == CHAPTER_RANGES
    for article in uncc.articles:
        first, last = CHAPTER_RANGES[article.chapter]
        assert first <= article.number <= last


def test_every_provision_has_an_obligation_level(uncc):
    provisions = list(uncc.provisions())
    assert len(provisions) >= 68
    assert {p.obligation for p in provisions} <= {"mandatory", "consider", "optional", "institutional"}
    assert all(a.provisions for a in uncc.articles)


def test_paragraph_level_provisions_where_known(uncc):
    assert [p.id for p in uncc.article(7).provisions] == ["7.1", "7.2"]
    assert [p.obligation for p in uncc.article(7).provisions] == ["mandatory", "optional"]
    assert [p.id for p in uncc.article(16).provisions] == ["16"]


def test_institutional_provisions_ask_nothing_and_others_ask_the_block(uncc):
    for provision in uncc.provisions():
        if provision.obligation == "institutional":
            assert not provision.assessed, provision.id
        else:
            ids = [q.id for q in provision.questions]
            assert ids[:2] == ["status", "legislation"], provision.id
            assert {"ta_needs", "challenges", "statistics", "ta_received"} <= set(ids)


def test_designations_are_asked_in_structured_form(uncc):
    assert uncc.provision("41").question("contact_point_247").type == "table"
    assert uncc.provision("40").question("central_authority").required
    assert uncc.provision("37").question("extradition_authority").columns


def _texts(node, path=""):
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            yield path, node
        else:
            for key, value in node.items():
                yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def _catalogued_languages():
    return {lang for folder in QUESTIONNAIRES_DIR.glob("*/translations") for lang in translation_catalogues(folder)}


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_every_text_is_complete_in_chinese_french_spanish_and_every_catalogued_language(version):
    uncc = catalogue()[("uncc-self-assessment", version)]
    texts = list(_texts({k: v for k, v in uncc.source.items() if k != "translation_notes"}))
    assert len(texts) > 300
    langs = {"en", "zh", "fr", "es", "ru", "ar"} | _catalogued_languages()
    for path, text in texts:
        for lang in sorted(langs):
            assert text.get(lang, "").strip(), f"{path} has no {lang}"


def test_translation_catalogues_are_working_translations_keyed_by_current_english_texts():
    for folder in QUESTIONNAIRES_DIR.glob("*/translations"):
        english = set()
        for path in folder.parent.glob("*.yaml"):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            english |= {text["en"] for _, text in _texts(raw)}
        for lang, doc in translation_catalogues(folder).items():
            assert doc["status"] == "working-translation" and doc["language"] == lang
            assert "Working translation awaiting review by UN language services." in (folder / f"{lang}.yaml").read_text(encoding="utf-8")
            stale = set(doc["texts"]) - english
            assert not stale, f"{folder}/{lang}.yaml translates texts no definition has: {sorted(stale)[:3]}"
            assert all(isinstance(v, str) and v.strip() for v in doc["texts"].values()), lang


def test_a_catalogue_fills_only_missing_languages(tmp_path):
    (tmp_path / "fr.yaml").write_text('language: fr\nstatus: working-translation\ntexts:\n  "Yes": "Oui"\n  "No": "Non"\n', encoding="utf-8")
    data = {"a": {"en": "Yes", "zh": "是"}, "b": [{"en": "No", "fr": "Non (déjà)"}], "translation_notes": {"zh": "z"}}
    out = with_translations(data, tmp_path)
    assert out["a"] == {"en": "Yes", "zh": "是", "fr": "Oui"} and out["b"][0]["fr"] == "Non (déjà)"
    assert out["translation_notes"]["fr"].startswith("Working translation") and "fr" not in data["a"]


def test_chinese_titles_are_declared_working_translations(uncc):
    assert "working translation" in uncc.translation_notes["zh"]


def test_code_lists_are_data(uncc):
    assert uncc.code_lists["status"].codes == ("implemented", "partly_implemented", "not_implemented", "not_applicable")
    assert uncc.code_lists["status"].label("partly_implemented", "zh") == "部分执行"
    assert uncc.code_lists["status"].label("implemented", "fr") == "Appliqué"
    assert uncc.code_lists["status"].label("not_applicable", "es") == "No se aplica"
    assert {"challenge", "ta_type", "priority", "legislation_status"} <= set(uncc.code_lists)


@pytest.mark.parametrize(
    "breakage, where",
    [
        (lambda d: d["articles"][0].pop("title"), "articles[0]"),
        (lambda d: d["articles"][0]["provisions"][0].update(obligation="sometimes"), "articles[0].provisions[0].obligation"),
        (lambda d: d["question_blocks"]["basic"][0].update(code_list="nope"), "question_blocks.basic[0].code_list"),
        (lambda d: d["chapters"][1].update(articles=[4, 4]), "chapters[1].articles"),
        (lambda d: d["articles"][1]["provisions"][0].update(id="1.1"), "articles[1].provisions[0].id"),
        (lambda d: d["articles"][2].update(chapter="I"), "articles[2].chapter"),
        (lambda d: d["question_blocks"]["basic"][1].update(required_when={"status": ["maybe"]}), "question_blocks.basic[1].required_when"),
    ],
)
def test_a_broken_definition_is_refused_with_the_path_of_each_error(breakage, where):
    data = tiny_definition()
    breakage(data)
    with pytest.raises(DefinitionError) as caught:
        from_mapping(data, "broken.yaml")
    paths = [path for path, _ in caught.value.errors]
    assert any(path.startswith(where) for path in paths), paths
    assert all(line.startswith("broken.yaml: ") for line in caught.value.lines())


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    assert caught.value.source == str(path)


def test_the_shipped_definitions_all_load():
    assert all(q.fingerprint for q in catalogue(QUESTIONNAIRES_DIR).values())


def test_earlier_versions_stay_loadable_and_cannot_change_shape(store, tiny):
    cycles.register_questionnaire(store, SETUP, tiny)
    cycles.create_cycle(store, SETUP, cycle_id="old", title="Old", questionnaire_id=tiny.id,
                        questionnaire_version="1", chapters=["I"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    newer = tiny_definition()
    newer["version"] = "2"
    newer["question_blocks"]["basic"].pop()  # version 2 drops the "keepers" question
    cycles.register_questionnaire(store, SETUP, from_mapping(newer))
    old = cycles.cycle_questionnaire(store, cycles.get_cycle(store, "old"))
    assert old.version == "1" and old.provision("1.1").question("keepers") is not None

    changed = tiny_definition()
    changed["question_blocks"]["basic"].pop()
    with pytest.raises(ReviewError) as caught:
        cycles.register_questionnaire(store, SETUP, from_mapping(changed))
    assert caught.value.key == "errors.questionnaire_version_changed"


def test_relabelling_a_version_is_allowed(store, tiny):
    cycles.register_questionnaire(store, SETUP, tiny)
    relabelled = tiny_definition()
    relabelled["title"]["en"] = "Tiny self-assessment, corrected"
    assert cycles.register_questionnaire(store, SETUP, from_mapping(relabelled)) is False
    assert cycles.questionnaire(store, "tiny-treaty", "1").title["en"].endswith("corrected")


def test_the_yaml_file_round_trips_through_the_loader(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_definition(), allow_unicode=True), encoding="utf-8")
    assert load_file(path).provision("1.2").question("colour").code_list == "colour"
