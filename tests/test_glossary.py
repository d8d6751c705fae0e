"""The UN terminology of review/locales/glossary.yaml is used by the interface and the questionnaires."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from review.i18n import LANGUAGES, messages
from review.questionnaire import catalogue

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = yaml.safe_load((ROOT / "review/locales/glossary.yaml").read_text(encoding="utf-8"))
PRESENT = [lang for lang in LANGUAGES if (ROOT / "review/locales" / lang).is_dir()]


def _texts(node, out):
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            out[node["en"]] = node
        for value in node.values():
            _texts(value, out)
    elif isinstance(node, list):
        for value in node:
            _texts(value, out)
    return out


def _uses(text: str, forms: list[str]) -> bool:
    return any(form.casefold() in text.casefold() for form in forms)


def test_every_term_has_all_six_languages():
    for term, entry in GLOSSARY.items():
        for lang in LANGUAGES:
            assert entry.get(lang) and all(isinstance(f, str) and f.strip() for f in entry[lang]), (term, lang)


@pytest.mark.parametrize("lang", PRESENT)
def test_the_interface_uses_the_glossary_terms(lang):
    known = messages("en")
    wrong = []
    for term, entry in GLOSSARY.items():
        for key in entry.get("keys", []):
            assert key in known, f"glossary {term}: no key {key}"
            assert _uses(known[key], entry["en"]), f"glossary {term}: {key} is not about it in English"
            if not _uses(messages(lang).get(key, ""), entry[lang]):
                wrong.append(f"{term} {key}: {messages(lang).get(key)!r} uses none of {entry[lang]}")
    assert not wrong, wrong


@pytest.mark.parametrize("lang", PRESENT)
def test_the_questionnaires_use_the_glossary_terms(lang):
    wrong = []
    for questionnaire in catalogue().values():
        texts = _texts(questionnaire.source, {})
        for term, entry in GLOSSARY.items():
            for english in entry.get("texts", []):
                assert english in texts and _uses(english, entry["en"]), (term, english)
                if not _uses(texts[english].get(lang, ""), entry[lang]):
                    wrong.append(f"{questionnaire.key} {term}: {texts[english].get(lang)!r}")
            for ref in entry.get("labels", []):
                code_list, code = ref.split(".")
                label = questionnaire.code_lists[code_list].label(code, lang)
                if label.casefold() != entry[lang][0].casefold():
                    wrong.append(f"{questionnaire.key} {ref}: {label!r} is not {entry[lang][0]!r}")
    assert not wrong, wrong
