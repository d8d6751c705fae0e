"""The translation layer: the complete languages have every key; the other UN languages fall back to English."""

from __future__ import annotations

import re
from pathlib import Path

from review.i18n import COMPLETE, LANGUAGES, label, messages, normalize, t

ROOT = Path(__file__).resolve().parent.parent


def test_complete_languages_have_the_same_keys_and_no_blanks():
    en = messages("en")
    for lang in COMPLETE:
        assert set(messages(lang)) == set(en), lang
        assert all(v.strip() for v in messages(lang).values()), lang


def test_placeholders_match_between_languages():
    for lang in COMPLETE:
        for key, text in messages("en").items():
            assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", messages(lang)[key])), (lang, key)


def test_other_un_languages_fall_back_to_english_never_blank():
    for lang in LANGUAGES:
        assert t("states.draft", lang)
    incomplete = [lang for lang in LANGUAGES if lang not in COMPLETE]
    for lang in incomplete:
        assert t("no.such.key.anywhere", lang) == "no.such.key.anywhere"
    assert t("states.draft", "fr") == "Brouillon"
    assert t("states.draft", "zh-CN") == "草稿"
    assert label({"en": "Party", "zh": "缔约国"}, "ar") == "Party"
    assert normalize("fr_FR") == "fr" and normalize("xx") == "en" and normalize(None) == "en"


def test_every_key_the_code_uses_exists():
    pattern = re.compile(r"""\b(?:t|tr|ReviewError|NotFound|PermissionDenied|InvalidTransition|Problem)\(\s*(?:[\w.]+,\s*)?f?["']([a-z_]+\.[a-z0-9_.]+)["']""")
    known = messages("en")
    missing = []
    for path in [*ROOT.glob("review/**/*.py"), *ROOT.glob("app/**/*.py")]:
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            if key not in known and not key.endswith("."):
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, missing


def test_complete_languages_have_locale_files():
    assert COMPLETE[:2] == ("en", "zh") and all((ROOT / "review/locales" / lang).is_dir() for lang in COMPLETE)
