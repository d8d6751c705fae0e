"""The printable reports (country profile, matching summary) in the six UN languages: Arabic shaped
and in reading order, Chinese wrapped without cutting Latin words, each language's labels present."""

from __future__ import annotations

import collections
import dataclasses
import io
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

import review
from review.analysis.profile import CitationLine, NeedLine, country_profile
from review.i18n import t
from review.matching.files import json_bytes, pdf_bytes
from review.matching.report import match_report
from review.reports.country_profile import country_profile_pdf
from review.store import open_store
from tests.actors import SETUP

CYCLE = "review-2026"
LANGS = ("en", "zh", "fr", "es", "ru", "ar")
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
MIXED_AR = "قانون مكافحة الفساد (Anti-Corruption Act) رقم 12 لسنة 2020"
LABELS_ZH = "".join(p.read_text(encoding="utf-8") for p in (Path(review.__file__).parent / "locales" / "zh").glob("*.yaml"))
MIXED_ZH = "需要为司法人员举办 Training workshop on mutual legal assistance 的培训，并提供 Interpretation 服务" * 3


def flat(text: str) -> str:
    """Extracted text with Arabic presentation forms folded to letters and lines joined."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pieces(label: str) -> list[str]:
    """The label as the runs a PDF keeps together: whole for left-to-right scripts; for Arabic each
    stretch of Arabic words (punctuation and Latin between them follow the page's direction)."""
    label = flat(label)
    if not ARABIC.search(label):
        return [label]
    return re.findall(r"[\u0600-\u06FF]+(?: [\u0600-\u06FF]+)*", label)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def store(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf-langs") / "demo.duckdb"
    shutil.copy(demo_db, path)
    s = open_store(path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def documents(store):
    """lang -> (profile, profile PDF bytes, matching report, matching PDF bytes); the profile carries a
    need in mixed Chinese and English and a law title in mixed Arabic and English."""
    out = {}
    for lang in LANGS:
        profile = country_profile(store, SETUP, "KEN", CYCLE, lang=lang)
        profile = dataclasses.replace(
            profile,
            ta_needs=(*profile.ta_needs, NeedLine("1.1", "1.1", "training", "high", MIXED_ZH)),
            legislation=(*profile.legislation, CitationLine("1.1", "1.1", MIXED_AR, "art. 5", 2020, "in force", "")),
        )
        report = match_report(store, SETUP, CYCLE, lang=lang)
        out[lang] = (profile, country_profile_pdf(profile, lang), report, pdf_bytes(report))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_prints_its_own_headings(documents, lang):
    profile, profile_pdf, report, report_pdf = documents[lang]
    text = flat(pdf_text(profile_pdf))
    for key in ("chapters", "gaps", "ta_needs", "legislation"):
        assert all(p in text for p in pieces(t(f"profile.{key}", lang))), key
    assert flat(profile.party_name) in text
    text = flat(pdf_text(report_pdf))
    for view in ("providers", "unmet_summary", "parties"):
        assert all(p in text for p in pieces(t(f"matching.views.{view}", lang))), view


def test_french_and_russian_labels_are_their_own():
    assert t("profile.chapters", "fr") != t("profile.chapters", "en")
    assert re.search("[\u0400-\u04FF]", t("profile.chapters", "ru"))
    assert ARABIC.search(t("profile.chapters", "ar"))


def test_arabic_reads_in_logical_order(documents):
    """Extracting the text gives the Arabic words as typed, not letter-reversed."""
    profile, profile_pdf, report, report_pdf = documents["ar"]
    text = flat(pdf_text(profile_pdf))
    for key in ("chapters", "legislation", "ta_needs"):
        label = flat(t(f"profile.{key}", "ar"))
        assert label in text
        assert label[::-1] not in text
    assert "قانون مكافحة الفساد" in text and "Anti-Corruption Act" in text
    assert flat(t("matching.views.providers", "ar")) in flat(pdf_text(report_pdf))


def _glyphs_per_letter(data: bytes) -> collections.Counter:
    """How many distinct glyphs of the embedded fonts stand for each Arabic letter (from their ToUnicode maps)."""
    counts: collections.Counter = collections.Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for glyph, code in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", cmap):
                if ARABIC.match(chr(int(code, 16))):
                    counts[(font["/BaseFont"], chr(int(code, 16)))] += 1
    return counts


def test_arabic_letters_take_their_joined_forms(documents):
    """Shaped Arabic uses several glyphs (initial, medial, final) for one letter; unshaped text one each."""
    for data in (documents["ar"][1], documents["ar"][3]):
        counts = _glyphs_per_letter(data)
        assert counts and max(counts.values()) >= 3
        assert any("Naskh" in str(font) for font, _ in counts)


def test_mixed_arabic_and_latin_stand_in_reading_order(documents):
    """In a right-to-left line the Arabic words typed first stand furthest right, and the English
    name inside it still reads left to right."""
    runs: list[tuple[float, float, str]] = []
    for page in PdfReader(io.BytesIO(documents["ar"][1])).pages:
        page.extract_text(visitor_text=lambda s, cm, tm, f, z: runs.append((tm[5], tm[4], flat(s))) if s.strip() else None)

    y_ar, x_ar, _ = next(r for r in runs if "مكافحة الفساد" in r[2])
    line = [r for r in runs if r[0] == y_ar]
    x_anti = next(x for _, x, text in line if "Anti-Corruption" in text)
    # the line's y is shared by other cells of the page ("Proceeds of Crime Act"): the title's "Act" is the one
    # that stands nearest its Arabic words
    x_act = min((abs(x - x_ar), x) for _, x, text in line if "Act" in text.replace("Anti-Corruption", ""))[1]
    assert x_anti < x_act < x_ar


def test_chinese_never_cuts_a_latin_word(documents):
    profile, profile_pdf, report, report_pdf = documents["zh"]
    for data, source in ((profile_pdf, repr(profile)), (report_pdf, json_bytes(report).decode())):
        known = set(LATIN_WORD.findall(source + MIXED_ZH + LABELS_ZH))
        printed = set(LATIN_WORD.findall(unicodedata.normalize("NFKC", pdf_text(data))))
        assert printed - known == set()
    assert "Training workshop on mutual legal assistance" in flat(pdf_text(profile_pdf))


def test_a_missing_font_is_refused_naming_its_package(monkeypatch):
    from review import pdf
    from review.errors import ReviewError

    monkeypatch.setitem(pdf.FONTS, "arabic", ("/nonexistent/NotoNaskhArabic-Regular.ttf", "fonts-noto-core"))
    with pytest.raises(ReviewError) as refused:
        pdf.new_document("x", "ar")
    assert "fonts-noto-core" in refused.value.message("en")
