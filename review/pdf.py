"""Printable PDF documents with Chinese text rendered properly.

fpdf2's built-in fonts cover Latin-1 only, so every report registers a Unicode TrueType font that
has CJK glyphs (Debian's fonts-droid-fallback, installed by `make`; its path can be overridden
with $REVIEW_PDF_FONT).
"""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF

from review.errors import ReviewError

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
FAMILY = "body"


def font_path() -> Path:
    """The Unicode font reports use; a clear refusal when none is installed."""
    override = os.environ.get("REVIEW_PDF_FONT")
    for candidate in ([override] if override else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise ReviewError("pdf.font_missing", package="fonts-droid-fallback")


def new_document(title: str) -> FPDF:
    """An A4 document with the Unicode font registered as family 'body' and page numbers."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    font = str(font_path())
    pdf.add_font(FAMILY, "", font)
    pdf.add_font(FAMILY, "B", font)
    pdf.set_font(FAMILY, size=10)
    pdf.add_page()
    return pdf
