"""Offers in bulk: an Excel template to fill in, and its import under the questionnaire import's rules.

The file is checked before any parser reads it (`review.workbook.package`: size, zip, macros,
encryption), formulas are refused, every cell is checked, and each problem names its sheet and
cell; only when the whole file is right are all its offers registered, in one transaction.
Coded columns take the code or its label in any of the six UN languages, whatever language the template
was made in; lists are separated by ';'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable
import io
import os
from dataclasses import dataclass, field

import fastexcel
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from review import limits as bounds
from review.access import Actor, require
from review.errors import ReviewError
from review.i18n import LANGUAGES, fill, t
from review.matching.registry import OfferInput, check_offer, register_offers, vocabulary
from review.store import Store
from review.workbook.package import Limits, PackageRefused, has_formulas, open_package, read_file
from review.workbook.safe import set_cell

SHEET = "Offers"
META = "_about"
FORMAT = "review-ta-offers"
FORMAT_VERSION = "1"
KEY_ROW, FIRST_ROW = 2, 3
COLUMNS = ("provider", "provider_kind", "provider_party", "role", "types", "provisions", "articles", "chapters", "languages",
           "regions", "countries", "capacity", "modalities", "starts", "ends", "description")
LISTS = {"types", "provisions", "articles", "chapters", "languages", "regions", "countries", "modalities"}


@dataclass(frozen=True)
class CellProblem:
    where: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en", escape: Callable[[Any], Any] | None = None) -> str:
        return fill(self.key, lang, self.params, escape)


@dataclass
class OfferImport:
    file: str
    offers: list[str] = field(default_factory=list)
    errors: list[CellProblem] = field(default_factory=list)


def offer_template(lang: str = "en") -> bytes:
    """An empty offers workbook: readable headers, the column keys in a hidden row, a hidden marker sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for col, key in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=1, column=col)
        set_cell(head, t(f"matching.columns.{key}", lang))
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = PatternFill("solid", fgColor="1F4E79")
        set_cell(sheet.cell(row=KEY_ROW, column=col), key)
        sheet.column_dimensions[get_column_letter(col)].width = 22
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.freeze_panes = "A3"
    about = book.create_sheet(META)
    for r, (k, v) in enumerate((("format", FORMAT), ("format_version", FORMAT_VERSION), ("lang", lang)), start=1):
        set_cell(about.cell(row=r, column=1), k)
        set_cell(about.cell(row=r, column=2), v)
    about.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parse(key: str, raw: str | None, labels: dict[str, dict[str, str]]):
    """A cell's text as the field's value; raises ValueError with a message key when it cannot be."""
    text = (raw or "").strip()
    if key in LISTS:
        parts = [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]
        if key == "articles":
            try:
                return [int(float(p)) for p in parts]
            except ValueError:
                raise ValueError("values.not_integer", {"value": text}) from None
        return [labels.get(key, {}).get(p.lower(), p) for p in parts]
    if key == "capacity":
        if not text:
            return None
        try:
            return int(float(text))
        except ValueError:
            raise ValueError("values.not_integer", {"value": text}) from None
    if key in ("starts", "ends"):
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError("values.bad_date", {"value": text}) from None
    if key in ("provider_kind", "role"):
        return labels.get(key, {}).get(text.lower(), text)
    return text or None


def _labels(store: Store) -> dict[str, dict[str, str]]:
    from review.cycles import cycle_questionnaire, get_cycle
    from review.matching.engine import MODALITIES, PROVIDER_KINDS, ROLES

    q = cycle_questionnaire(store, get_cycle(store))
    out: dict[str, dict[str, str]] = {"types": {}, "modalities": {}, "provider_kind": {}, "role": {}}
    for item in q.code_lists["ta_type"].items:
        for text in item.label.values():
            out["types"][text.lower()] = item.code
    for lang in LANGUAGES:
        out["modalities"] |= {t(f"matching.modalities.{m}", lang).lower(): m for m in MODALITIES}
        out["provider_kind"] |= {t(f"matching.kinds.{k}", lang).lower(): k for k in PROVIDER_KINDS}
        out["role"] |= {t(f"matching.roles.{r}", lang).lower(): r for r in ROLES}
    return out


def import_offers(store: Store, actor: Actor, name: str, data: bytes | str | os.PathLike,
                  limits: Limits = Limits()) -> OfferImport:
    """Check the whole file, then register every offer in it in one transaction; a refused file changes nothing.
    `data` is the file's bytes, or its path: only a regular file is read, never past the size limit."""
    require(actor, "offer.import")
    result = OfferImport(name)
    try:
        if not isinstance(data, bytes):
            try:
                data = read_file(data, limits)
            except OSError as error:
                result.errors = [CellProblem(name, "workbook.unreadable", {"reason": error.strerror or str(error)})]
                return result
        package = open_package(data, limits)
        reader = fastexcel.read_excel(data)
        if SHEET not in reader.sheet_names or META not in reader.sheet_names:
            result.errors = [CellProblem(name, "matching.not_offer_template")]
            return result
        about = reader.load_sheet(META, header_row=None, dtypes="string").to_polars()
        grid = reader.load_sheet(SHEET, header_row=None, dtypes="string").to_polars()
        with_formulas = has_formulas(package, data)
    except PackageRefused as refused:
        result.errors = [CellProblem(name, refused.key, refused.params)]
        return result
    except Exception:  # calamine refuses a broken package or a damaged sheet with its own error types
        result.errors = [CellProblem(name, "workbook.not_xlsx")]
        return result
    marks = dict(zip(about.to_series(0).to_list(), about.to_series(1).to_list())) if about.width >= 2 else {}
    if marks.get("format") != FORMAT or marks.get("format_version") != FORMAT_VERSION:
        result.errors = [CellProblem(name, "matching.not_offer_template")]
        return result
    keys = [grid.item(KEY_ROW - 1, c) if grid.height >= KEY_ROW else None for c in range(grid.width)]
    if keys[:len(COLUMNS)] != list(COLUMNS):
        result.errors = [CellProblem(f"{SHEET}!A{KEY_ROW}", "matching.columns_moved")]
        return result
    problems: list[CellProblem] = []
    if with_formulas:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            for row in book[SHEET].iter_rows(min_row=FIRST_ROW):
                problems += [CellProblem(f"{SHEET}!{c.coordinate}", "workbook.formula") for c in row
                             if getattr(c, "data_type", None) == "f"]
        finally:
            book.close()
    if problems:
        result.errors = problems
        return result
    filled = [r for r in range(FIRST_ROW - 1, grid.height)
              if any((grid.item(r, c) or "").strip() for c in range(min(len(COLUMNS), grid.width)))]
    if len(filled) > bounds.OFFERS_PER_FILE:
        result.errors = [CellProblem(f"{SHEET}!A{filled[bounds.OFFERS_PER_FILE] + 1}", "matching.too_many_offers",
                                     {"count": len(filled), "limit": bounds.OFFERS_PER_FILE})]
        return result
    v = vocabulary(store)
    labels = _labels(store)
    offers, where = [], []
    for r in range(FIRST_ROW - 1, grid.height):
        raw = {key: grid.item(r, c) for c, key in enumerate(COLUMNS)}
        if not any((x or "").strip() for x in raw.values()):
            continue
        values, cells = {}, {key: f"{SHEET}!{get_column_letter(c + 1)}{r + 1}" for c, key in enumerate(COLUMNS)}
        unreadable = []
        for key in COLUMNS:
            try:
                values[key] = _parse(key, raw[key], labels)
            except ValueError as bad:
                unreadable.append(CellProblem(cells[key], bad.args[0], bad.args[1]))
        if values.get("capacity") is None and not unreadable:
            unreadable.append(CellProblem(cells["capacity"], "values.required"))
        if unreadable:
            problems += unreadable
            continue
        offer = OfferInput(**{k: (values[k] if values[k] is not None else ([] if k in LISTS else "")) for k in COLUMNS
                              if k not in ("provider_party", "starts", "ends")},
                           provider_party=values["provider_party"], starts=values["starts"], ends=values["ends"])
        problems += [CellProblem(cells[p.location], p.key, p.params) for p in check_offer(v, offer)]
        offers.append(offer)
        where.append(cells["provider"])
    if not problems and not offers:
        problems.append(CellProblem(f"{SHEET}!A{FIRST_ROW}", "matching.no_offers"))
    if problems:
        result.errors = problems
        return result
    try:
        result.offers = register_offers(store, actor, offers, locations=where)
    except ReviewError as error:
        result.errors = [CellProblem(name, error.key, dict(error.params))]
    return result
