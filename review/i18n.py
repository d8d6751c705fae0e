"""The translation layer: every user-facing string is a key looked up here.

All six UN languages are complete; a language added later falls back to English key by key
until translated, so a user never sees a blank. Messages live in `locales/<lang>/*.yaml`, one
file per feature, merged at load; nested keys are joined with dots.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

LANGUAGES = ("en", "zh", "fr", "es", "ru", "ar")
COMPLETE = ("en", "zh", "fr", "es", "ru", "ar")
FALLBACK = "en"
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "中文",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})


@cache
def language_name(code: str, lang: str = FALLBACK) -> str:
    """The name of language `code` in language `lang` ("英语" for English on a Chinese page), from
    the Unicode CLDR data Babel ships (offline); its own name when Babel does not know it."""
    from babel import Locale, UnknownLocaleError  # imported when first needed: the CLI starts without it

    try:
        return Locale.parse(code).get_display_name(normalize(lang)) or LANGUAGE_NAMES.get(code, code)
    except (ValueError, UnknownLocaleError):
        return LANGUAGE_NAMES.get(code, code)
_LOCALES = Path(__file__).parent / "locales"


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = str(node)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def messages(lang: str) -> dict[str, str]:
    """All messages of one language, as flat dotted keys (no fallback applied)."""
    out: dict[str, str] = {}
    folder = _LOCALES / lang
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        # libyaml's loader when present: the pure-Python one took 70 ms a file, every process start
        _flatten("", yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}, out)
    return out


def normalize(lang: str | None) -> str:
    """Map a browser or user locale such as 'zh-CN' or 'fr_FR' onto one of the UN languages."""
    if not lang:
        return FALLBACK
    base = lang.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else FALLBACK


def t(key: str, lang: str = FALLBACK, /, **params: Any) -> str:
    """The message for `key` in `lang`, falling back to English, then to the key itself."""
    text = messages(normalize(lang)).get(key) or messages(FALLBACK).get(key) or key
    return text.format(**params) if params else text


# messages whose parameters are codes of the access policy: each is shown by its label
# (`actions.<name>`, `roles.<role>`) in the reader's language, never as the code
CODED_PARAMS = {"errors.permission_denied": {"action": "actions", "role": "roles"},
                "errors.invalid_transition": {"state": "states", "step": "ops2.steps"}}


def fill(key: str, lang: str, params: Mapping[str, Any], escape: Callable[[Any], Any] | None = None) -> str:
    """`t` with `params` passed through `escape` first: an interface that renders markup (Markdown
    in the app) escapes the values users typed, which a message carries, so they show as text."""
    coded = CODED_PARAMS.get(key)
    if coded:
        params = {k: t(f"{coded[k]}.{v}", lang) if k in coded else v for k, v in params.items()}
    params = _figures(params, lang)
    return t(key, lang, **({k: escape(v) for k, v in params.items()} if escape else params))


def _figures(params: Mapping[str, Any], lang: str) -> Mapping[str, Any]:
    """A refusal's dates, moments and times as the reader's language writes them (`review.formats`):
    the library hands the values, not text it formatted itself."""
    if not any(isinstance(v, (dt.date, dt.time)) for v in params.values()):
        return params
    from review import formats  # Babel, loaded only when a message carries a date

    def one(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return formats.datetime(value, lang)
        if isinstance(value, dt.date):
            return formats.date(value, lang)
        if isinstance(value, dt.time):
            return formats.time(value, lang)
        return value

    return {k: one(v) for k, v in params.items()}


def label(texts: Mapping[str, str] | str | None, lang: str = FALLBACK) -> str:
    """A multilingual label from data (questionnaires, code lists, names), falling back to English."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(normalize(lang)) or texts.get(FALLBACK) or next(iter(texts.values()), "")


MAX_ACCEPT_LANGUAGE = 4096  # a header longer than any browser sends is not parsed at all


def preferred(accept_language: str | None) -> str | None:
    """The first of the six UN languages in a browser's Accept-Language header, by its q-weights
    (`fr-CH, fr;q=0.9, en;q=0.8` -> fr); None when it names none of them (or is not a header a
    browser would send), so the caller falls back on its own default."""
    if not accept_language or len(accept_language) > MAX_ACCEPT_LANGUAGE:
        return None
    weighted = []
    for place, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        base = tag.strip().replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES and 0 < weight <= 1:
            weighted.append((-weight, place, base))
    return min(weighted)[2] if weighted else None
