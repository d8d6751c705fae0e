"""What an answer cell holds as the file stored it, where the importer's text view would change it.

The importer reads every cell as text (calamine's string view), which is right for text cells,
dates and labels, but writes a number cell its own way and leaves out an error value:
0.123456789012 comes back as "0.123456789", 3.0000000001 as "3", and #N/A as an empty cell (which
would clear the answer). So the chapter sheets' XML (already inflated by `package.open_package`)
is scanned for the cells the text view cannot be trusted with: numbers (kept with the exact text
the file holds and whether their format shows them as their digits, as a percentage or otherwise),
error values and booleans (TRUE, which the text view writes "true"). `as_typed` then turns such a
cell into the text a user typed when its meaning is plain (a whole number shown as its digits in
a text question: "12", never "12.0"), or refuses it (`CellProblem`) when the spreadsheet already
changed what was typed or shows something else: a number of 16 digits or more (Excel keeps 15), a
fraction, a date, TRUE/FALSE or a number shown by a format of its own (00007, 1,234) where a text
is asked, a percentage, an error value. What was typed in a cell formatted as text (the template's
text cells) is stored as a string and never comes here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from review.questionnaire import Question
from review.questionnaire.types import TEXT, WHOLE_NUMBER, CellProblem, of

# A cell from column F on (the answers, `layout.ANSWER`: the sheet's own numbers, a table's row
# numbers in column E, are no answer) that is not a string nor a formula's string, and whose first
# child is its value: a number (no `t`, or t="n"), a date (a number with a date format), an error
# value (t="e") or a boolean (t="b"). Formula cells (<f> first) are refused on their own; strings
# read right through the text view. Written without look-arounds (each attribute either `r` at column F or
# later, `t` of "n", "e" or "b", or any other name) for Polars' regular expressions, which scan a
# workbook's sheets ten times faster than Python's `re` (3 ms against 20 for a demo Party's workbook).
_ANY = r"(?:[A-Za-z_][\w.-]*:)?"
_VALUED = (r"<" + _ANY + r"c((?:\s+(?:r\s*=\s*[\"'](?:[F-Zf-z]|[A-Za-z]{2,3})[0-9]+[\"']|t\s*=\s*[\"'][neb][\"']"
           r"|(?:[^rt\s=>/][^\s=>/]*|[rt][^\s=>/]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')))*)\s*>\s*<" + _ANY + r"v>([^<]*)</")
_MATCH = re.compile(_VALUED)
_ATTRIBUTE = {name: re.compile(r"(?:^|\s)" + name + r"\s*=\s*[\"']([^\"']*)[\"']") for name in ("r", "s", "t")}
_REF = re.compile(r"^\s*([A-Za-z]{1,3})(\d+)\s*$")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
PERCENT_FORMATS = (9, 10)  # Excel's built-in "0%" and "0.00%"
PLAIN_FORMATS = (0, 1, 49)  # Excel's built-in General, "0" and "@" (text): a whole number shows as its digits
PLAIN_CODES = ("general", "0", "@")
# how a number format shows a number: as its digits, as a percentage, or some other way (00007, 1,234)
PLAIN, PERCENT, FORMATTED = "plain", "percent", "formatted"
DIGITS = 15  # the significant digits a spreadsheet keeps of a number; later ones become zeros
# the text view of a cell with a date format
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


@dataclass(frozen=True)
class Stored:
    """A number, error value or boolean as the file holds it: `value` its exact text ("0.5", "#N/A",
    "1"), `kind` the cell's type ("n", "e" or "b")."""

    value: str
    kind: str = "n"
    shown: str = PLAIN  # how its number format shows it: PLAIN, PERCENT or FORMATTED

    @property
    def percent(self) -> bool:
        return self.shown == PERCENT

    @property
    def error(self) -> bool:
        return self.kind == "e"


def number_styles(styles: bytes | None) -> dict[int, str]:
    """The cell styles (indexes into `cellXfs`) whose number format shows a number otherwise than
    as its digits: PERCENT or FORMATTED (any other style shows it PLAIN). styles.xml is parsed by
    defusedxml (no entity, linear in its size: regular expressions over it rescanned the rest of the
    file from every opening tag a hostile one repeated unclosed, minutes for a few hundred kilobytes);
    one that does not parse has no style of its own, as no spreadsheet writes one."""
    if not styles:
        return {}
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(styles)
    except Exception:  # defusedxml's refusals, and any parser error on a hostile file
        return {}
    custom = {}
    for found in root.iter():
        if _local(found.tag) == "numFmt":
            ident, code = found.get("numFmtId", ""), found.get("formatCode")
            if code is not None and ident.isdigit():
                custom[int(ident)] = (PERCENT if "%" in _QUOTED.sub("", code)
                                      else PLAIN if code.strip().casefold() in PLAIN_CODES else FORMATTED)
    formats = next((found for found in root.iter() if _local(found.tag) == "cellXfs"), None)
    shown = {}
    for index, xf in enumerate(x for x in (formats if formats is not None else ()) if _local(x.tag) == "xf"):
        ident = xf.get("numFmtId", "")
        number = int(ident) if ident.isdigit() else 0
        way = PERCENT if number in PERCENT_FORMATS else custom.get(number, PLAIN if number in PLAIN_FORMATS else FORMATTED)
        if way != PLAIN:
            shown[index] = way
    return shown


def _local(tag: object) -> str:
    """An element's name without its namespace ("{...}numFmt" -> "numFmt")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def stored_cells(sheets: dict[str, bytes], shown: dict[int, str]) -> dict[str, dict[tuple[int, int], Stored]]:
    """Sheet name -> (row, column) -> the sheet's number and error cells from column F on, as stored."""
    import polars as pl

    names = list(sheets)
    texts = pl.Series([sheets[name].decode("utf-8", "replace") for name in names], dtype=pl.String)
    found: dict[str, dict[tuple[int, int], Stored]] = {}
    for name, cells in zip(names, texts.str.extract_all(_VALUED).to_list()):
        held = found[name] = {}
        for text in cells or ():
            cell = _MATCH.match(text)
            attributes = cell.group(1)
            kind = _ATTRIBUTE["t"].search(attributes)
            ref = _ATTRIBUTE["r"].search(attributes)
            where = _REF.match(ref.group(1)) if ref else None
            if not where:
                continue  # a cell whose position is implied: no writer we know makes one
            style = _ATTRIBUTE["s"].search(attributes)
            style = int(style.group(1)) if style and style.group(1).isdigit() else 0
            held[(int(where.group(2)), _column(where.group(1)))] = Stored(html.unescape(cell.group(2)).strip(),
                                                                          kind.group(1) if kind else "n", shown.get(style, PLAIN))
    return found


def _shown(number: float) -> str:
    """A number as the user may recognize it: every digit of a whole one, else Python's shortest text."""
    return f"{number:.0f}" if number.is_integer() else repr(number)


def as_typed(spec: Question, raw: str | None, held: Stored) -> str:
    """The text to read for a number or error cell of an answer of type `spec`: the text view's
    `raw`, or the whole number's digits; CellProblem when the spreadsheet changed what was typed."""
    if held.error:
        raise CellProblem("keep.error_value", value=held.value)
    stored = of(spec).stored
    if stored not in (TEXT, WHOLE_NUMBER) or raw is None:
        return raw  # choices, dates, yes/no: the text view reads them right (a date as its day)
    if held.kind == "b":
        if stored == TEXT:  # TRUE typed where the cell was no text: Excel shows TRUE, the text view "true"
            raise CellProblem("keep.not_text", value="TRUE" if held.value.strip() == "1" else "FALSE")
        return raw  # refused by its type
    try:
        number = float(held.value)
    except ValueError:
        return raw
    typed = raw.strip()
    if held.percent:
        raise CellProblem("keep.percent", value=f"{number * 100:g}%", stored=_shown(number))
    if _DATETIME.match(typed):
        if stored == TEXT:
            raise CellProblem("keep.not_text", value=typed)
        return raw  # a year or number with a date format: refused by its type, showing the date
    if number.is_integer() and abs(number) >= 10 ** DIGITS:
        raise CellProblem("keep.digits_lost", value=_shown(number), digits=DIGITS)
    if stored == TEXT and (not number.is_integer() or held.shown == FORMATTED):
        raise CellProblem("keep.not_text", value=_shown(number))
    return _shown(number)  # a fraction where a whole number is asked is refused by its type, as stored
