"""The translation layer: English and Chinese complete, the other UN languages fall back to English."""

from __future__ import annotations

import re
from pathlib import Path

from review.i18n import COMPLETE, LANGUAGES, label, messages, normalize, t

ROOT = Path(__file__).resolve().parent.parent


def test_english_and_chinese_have_the_same_keys_and_no_blanks():
    en, zh = messages("en"), messages("zh")
    assert set(en) == set(zh)
    assert all(v.strip() for v in en.values()) and all(v.strip() for v in zh.values())


def test_placeholders_match_between_languages():
    for key, text in messages("en").items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", messages("zh")[key])), key


def test_other_un_languages_fall_back_to_english_never_blank():
    for lang in LANGUAGES:
        assert t("states.draft", lang)
    assert t("states.draft", "fr") == "Draft"
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


def test_complete_languages_are_english_and_chinese():
    assert COMPLETE == ("en", "zh")
