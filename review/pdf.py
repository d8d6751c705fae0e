"""Printable PDF documents with Chinese text rendered properly.

fpdf2's built-in fonts cover Latin-1 only, so every report registers Unicode TrueType fonts:
DejaVu Sans for Latin and Cyrillic text, with Droid Sans Fallback for Chinese glyphs (Debian's
fonts-dejavu-core and fonts-droid-fallback, installed by `make`).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from review.errors import ReviewError

FONTS = {
    "body": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "body-bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "cjk": ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
}
FAMILY = "body"


def font_path(name: str) -> Path:
    """One of the fonts reports use; a clear refusal naming the package when it is missing."""
    path, package = FONTS[name]
    if not Path(path).is_file():
        raise ReviewError("pdf.font_missing", package=package)
    return Path(path)


def new_document(title: str) -> FPDF:
    """An A4 page with family 'body' (regular and bold) that falls back to CJK glyphs."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FAMILY, "", str(font_path("body")))
    pdf.add_font(FAMILY, "B", str(font_path("body-bold")))
    pdf.add_font("cjk", "", str(font_path("cjk")))
    pdf.set_fallback_fonts(["cjk"], exact_match=False)
    pdf.set_font(FAMILY, size=10)
    pdf.add_page()
    return pdf
