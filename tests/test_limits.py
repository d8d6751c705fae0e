"""Every bound on what a user gives us lives in `review.limits`, is documented in docs/security.md,
and holds: sheets that reach too far (the reader would allocate every cell between), zip
directories too long to list, offers files too long, and table answers over their row limit
offline as online. Hostile files are built here, in a few kilobytes."""

from __future__ import annotations

import io
import json
import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from review import limits
from review.errors import ValidationFailed
from review.matching.offer_workbook import import_offers, offer_template
from review.matching.registry import OfferInput, register_offer
from review.questionnaire.loader import SCHEMA_PATH
from review.workbook import import_workbooks
from review.workbook.package import Limits, PackageRefused, _extent, open_package
from tests.actors import SETUP
from tests.test_workbook import FOCAL, codes, kinds, refused, template  # noqa: F401 (fixture)
from tests.workbook_helpers import database_state, edit

ROOT = Path(__file__).resolve().parent.parent


def _two_cells(far: str) -> bytes:
    book = Workbook()
    book.active["A1"] = "x"
    book.active[far] = "y"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_sheet_xml(data: bytes, part: str, xml: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == part else source.read(info))
    return out.getvalue()


def test_two_cells_far_apart_are_refused_before_the_reader_allocates_the_space_between():
    """5 KB with cells at A1 and XFD1048576: calamine asked for 512 GB and aborted the process."""
    data = _two_cells("XFD1048576")
    assert len(data) < 10_000
    with pytest.raises(PackageRefused) as caught:
        open_package(data)
    assert caught.value.code == "sheet_too_large"
    assert caught.value.params["sheet"] == "Sheet" and caught.value.params["columns"] == 16384


def test_a_questionnaire_sheet_with_a_value_far_out_is_refused_naming_the_sheet(kinds):
    store, _, _ = kinds
    far = edit(template(store), lambda book: book["Chapter I"].cell(row=60_000, column=52, value="note"))
    problems = refused(store, far)
    assert codes(problems) == ["sheet_too_large"]
    assert "Chapter I" in problems[0].message("en") and "60000" in problems[0].message("en")


@pytest.mark.parametrize("cells", [
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    b'<row r="&#49;000000"><c r="&#88;FD1000000" t="inlineStr"><is><t>y</t></is></c></row>',  # escaped references
    b"<row r='1'><c r='A1'/></row><row r='900000'><c r='ZZ900000'/></row>",  # single quotes
    b'<row r="90000"><c r="A90000"/>' + b"<c/>" * 40 + b"</row>",  # positions implied, not written
    b'<x:row r="1"><x:c r="A1"/></x:row><x:row r="500000"><x:c r="Z500000"/></x:row>',  # prefixed elements
])
def test_references_written_unusually_are_measured_exactly(cells):
    xml = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + cells
           + b"</sheetData></worksheet>")
    rows, columns = _extent(xml)
    assert rows * columns > limits.SHEET_CELLS
    with pytest.raises(PackageRefused) as caught:
        open_package(_with_sheet_xml(_two_cells("B2"), "xl/worksheets/sheet1.xml", xml))
    assert caught.value.code == "sheet_too_large"


def test_a_real_workbook_takes_the_quick_path_and_passes(kinds):
    store, _, _ = kinds
    package = open_package(template(store))
    assert all(_extent(xml)[0] * _extent(xml)[1] < 100_000 for xml in package.worksheets.values())


def test_a_zip_directory_too_long_to_list_is_refused_before_it_is_listed(kinds):
    store, _, _ = kinds
    source, out = zipfile.ZipFile(io.BytesIO(template(store))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for i in range(10_000):
            target.writestr(f"xl/media/{i:06d}-{'p' * 80}", b"")
    problems = refused(store, out.getvalue())
    assert codes(problems) == ["too_many_parts"]


def test_an_offers_file_with_too_many_offers_is_refused_naming_the_first_row_over(demo_store):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(offer_template("en")))
    sheet = book.worksheets[0]
    for row in range(3, 3 + limits.OFFERS_PER_FILE + 1):
        sheet.cell(row=row, column=1, value=f"Provider {row}")
    out = io.BytesIO()
    book.save(out)
    before = database_state(demo_store)
    result = import_offers(demo_store, SETUP, "offers.xlsx", out.getvalue())
    assert [e.key for e in result.errors] == ["matching.too_many_offers"]
    assert result.errors[0].where.endswith(f"A{3 + limits.OFFERS_PER_FILE}")
    assert database_state(demo_store) == before


def test_an_offers_provider_name_is_bounded_naming_the_field(demo_store):
    offer = OfferInput(provider="P" * (limits.OFFER_NAME_CHARS + 1), provider_kind="organization", role="expertise",
                       types=["legislative_drafting"], capacity=1)
    with pytest.raises(ValidationFailed) as caught:
        register_offer(demo_store, SETUP, offer)
    assert [(p.location, p.key) for p in caught.value.problems if p.key == "values.too_long"] == \
        [("provider", "values.too_long")]


def test_a_table_over_its_row_limit_is_refused_offline_naming_the_cell(kinds):
    """A table answer saved before its row limit existed gets all its rows in the workbook; changed
    offline, it is refused as it would be online, naming where it is."""
    store, _, _ = kinds
    rows = [{"title": f"Act {i}"} for i in range(limits.TABLE_ROWS + 1)]
    with store.transaction() as cur:
        cur.execute("INSERT INTO answer VALUES ('kinds-1/KEN', '1.1', 'law', ?, 0, 'legacy', now())", [json.dumps(rows)])
    data = template(store)
    from tests.workbook_helpers import find

    def change(book):
        sheet, row = find(book, "1.1/law#1")
        sheet.cell(row=row, column=6, value="Act one, amended")

    problems = refused(store, edit(data, change))
    assert codes(problems) == ["too_many_rows"] and problems[0].sheet == "Chapter I" and problems[0].cell


def test_every_limit_is_documented_and_the_server_schema_and_code_agree():
    names = [n for n in vars(limits) if n.isupper() and n != "MB"]
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert [n for n in names if f"`{n}`" not in security] == []
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * limits.MB == limits.UPLOAD_BYTES == Limits().max_bytes
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    text = json.dumps(schema)
    assert re.search(r'"max_rows": \{[^}]*"maximum": (\d+)', text).group(1) == str(limits.TABLE_ROWS_CEILING)
    assert re.search(r'"max_length": \{[^}]*"maximum": (\d+)', text).group(1) == str(limits.TEXT_CHARS_CEILING)


def test_review_offers_import_of_dev_zero_is_refused_not_read(demo_db, capsys):
    """`review offers import /dev/zero` read without end (Path.read_bytes)."""
    from review.cli import main

    assert main(["--db", str(demo_db), "offers", "import", "/dev/zero"]) == 1
    assert "not a regular file" in capsys.readouterr().err
