"""Printable PDF documents in the six UN languages.

fpdf2's built-in fonts cover Latin-1 only, so every report registers Unicode TrueType fonts:
DejaVu Sans for Latin and Cyrillic text, Noto Naskh Arabic for Arabic, and Droid Sans Fallback
for Chinese glyphs (Debian's fonts-dejavu-core, fonts-noto-core and fonts-droid-fallback,
installed by scripts/ensure-fonts.sh). Text goes through HarfBuzz (fpdf2's text shaping, Python
package uharfbuzz): Arabic letters take their joined forms and the Unicode bidirectional
algorithm puts Arabic and Latin runs (law titles, article numbers) in reading order.
Every language wraps at spaces; a run without spaces (Chinese) wraps between characters, so
Latin words inside Chinese text are never cut in two.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode

from review.errors import ReviewError
from review.printable import printed

FONTS = {
    "body": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "body-bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "arabic": ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", "fonts-noto-core"),
    "arabic-bold": ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
    "cjk": ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
}
FAMILY = "body"
WRAP = WrapMode.WORD  # breaks at spaces; a line without any breaks between characters


def font_path(name: str) -> Path:
    """One of the fonts reports use; a clear refusal naming the package when it is missing."""
    path, package = FONTS[name]
    if not Path(path).is_file():
        raise ReviewError("pdf.font_missing", package=package)
    return Path(path)


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in ("ar", "fa", "he", "ur")


def align(lang: str) -> str:
    """Where lines start: the right margin for Arabic, the left one otherwise."""
    return "R" if is_rtl(lang) else "L"


def new_document(title: str, lang: str = "en") -> FPDF:
    """An A4 page with family 'body' (regular and bold), shaped text, and fallback glyphs for
    Latin/Cyrillic, Arabic and Chinese whatever the language (a Party's name may be in any script).

    In Arabic the family 'body' is Noto Naskh Arabic and the paragraphs run right to left."""
    pdf = FPDF(format="A4")
    # fpdf2 replaces "{nb}" in any text with the page count: a Party's "{nb}" is printed as typed
    pdf.alias_nb_pages(None)
    pdf.set_title(printed(title))
    pdf.set_lang(lang)
    pdf.set_auto_page_break(auto=True, margin=15)
    latin, arabic = ("latin", FAMILY) if is_rtl(lang) else (FAMILY, "arabic")
    pdf.add_font(latin, "", str(font_path("body")))
    pdf.add_font(latin, "B", str(font_path("body-bold")))
    pdf.add_font(arabic, "", str(font_path("arabic")))
    pdf.add_font(arabic, "B", str(font_path("arabic-bold")))
    pdf.add_font("cjk", "", str(font_path("cjk")))
    pdf.set_fallback_fonts([latin if is_rtl(lang) else arabic, "cjk"], exact_match=False)
    pdf.set_text_shaping(True, direction="rtl" if is_rtl(lang) else None)
    pdf.set_font(FAMILY, size=10)
    pdf.add_page()
    return pdf


def paragraph(pdf: FPDF, height: float, text: str, lang: str) -> None:
    """A block of text across the page, wrapped at spaces, starting at the reader's side."""
    pdf.multi_cell(0, height, printed(text), new_x="LMARGIN", new_y="NEXT", wrapmode=WRAP, align=align(lang))


def table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: tuple[int, ...], lang: str, empty: str) -> None:
    """A table with a heading row; in Arabic the first column stands on the right."""
    if not rows:
        paragraph(pdf, 5, empty, lang)
        return
    order = slice(None, None, -1) if is_rtl(lang) else slice(None)
    with pdf.table(col_widths=tuple(widths)[order], wrapmode=WRAP, line_height=4.5,
                   text_align="RIGHT" if is_rtl(lang) else "LEFT", first_row_as_headings=True,
                   markdown=False) as grid:  # Party text is printed as typed, never as markup
        for cells in [header, *rows]:
            line = grid.row()
            for cell in list(cells)[order]:
                line.cell(printed(str(cell)))
