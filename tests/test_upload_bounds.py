"""A hostile file costs at most its bounds: zip parts that lie about their size, entity bombs, huge
tables, endless or special files. Each is refused with a clear message and nothing is written."""

from __future__ import annotations

import io
import os
import struct
import threading
import tracemalloc
import zipfile

import pytest

from review import submissions
from review.cli import main
from review.errors import ValidationFailed
from review.matching.offer_workbook import import_offers
from review.workbook import import_workbooks
from review.workbook.package import Limits, PackageRefused, open_package, read_file
from tests.actors import SETUP
from tests.test_workbook import FOCAL, codes, kinds, refused, template  # noqa: F401 (fixture)
from tests.workbook_helpers import database_state

BOMB = 200 * 1024 * 1024  # what the lying part really inflates to


def lying_zip(data: bytes, part: str, real_size: int = BOMB, declared: int = 2048) -> bytes:
    """`data` with `part` replaced by a stream that inflates to `real_size` bytes while both its
    local header and the central directory declare `declared` bytes (the 1 GB-from-1 MB upload)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert part in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == part:
                compressor = zipfile.ZipInfo(part, info.date_time)
                compressor.compress_type = zipfile.ZIP_DEFLATED
                with target.open(compressor, "w", force_zip64=False) as stream:
                    chunk = b"<x/>" * (1024 * 256)
                    for _ in range(real_size // len(chunk)):
                        stream.write(chunk)
            else:
                target.writestr(info, source.read(info))
    raw = bytearray(out.getvalue())
    name = part.encode()
    # patch the declared size in the local header and in the central directory entry of `part`
    for signature, name_length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        pos = 0
        while (pos := raw.find(signature, pos)) >= 0:
            n, = struct.unpack_from("<H", raw, pos + name_length_at)
            if raw[pos + name_at:pos + name_at + n] == name:
                struct.pack_into("<I", raw, pos + size_at, declared)
            pos += 4
    return bytes(raw)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet2.xml", "xl/theme/theme1.xml", "xl/styles.xml"])
def test_a_part_that_inflates_past_its_declared_size_is_refused_at_its_declared_size(kinds, part):
    store, _, _ = kinds
    bomb = lying_zip(template(store), part)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        problems = refused(store, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(problems) == ["size_mismatch"] and part in problems[0].message("en")
    assert peak < 64 * 1024 * 1024


def test_the_offers_import_is_bounded_the_same_way(demo_store):
    from review.matching.offer_workbook import offer_template

    bomb = lying_zip(offer_template("en"), "xl/worksheets/sheet1.xml")
    before = database_state(demo_store)
    result = import_offers(demo_store, SETUP, "offers.xlsx", bomb)
    assert result.errors and result.errors[0].key == "workbook.size_mismatch"
    assert database_state(demo_store) == before


def test_a_part_that_inflates_to_less_than_declared_or_is_stored_with_a_wrong_size_is_refused(kinds):
    store, _, _ = kinds
    data = template(store)
    with pytest.raises(PackageRefused) as caught:
        open_package(lying_zip(data, "xl/styles.xml", real_size=1024 * 1024, declared=1024 * 1024 + 4096))
    assert caught.value.code == "size_mismatch"


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
               b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
               b'<c r="A1"><f>1+1</f><v>&d;</v></c></row></sheetData></worksheet>')


def test_an_entity_bomb_with_a_formula_is_a_clear_refusal_and_the_batch_reports_every_file(kinds):
    store, _, _ = kinds
    good = template(store)
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, ENTITY_BOMB if info.filename == "xl/worksheets/sheet2.xml" else source.read(info))
    before = database_state(store)
    reports = import_workbooks(store, FOCAL, [("bomb.xlsx", out.getvalue()), ("good.xlsx", good), ("junk.xlsx", b"x")])
    assert [r.file for r in reports] == ["bomb.xlsx", "good.xlsx", "junk.xlsx"]
    assert reports[0].status == "rejected" and reports[0].errors
    assert all(p.message("en") and "Traceback" not in p.message("en") for p in reports[0].errors)
    assert reports[1].status in ("imported", "unchanged")
    assert reports[2].status == "rejected"
    del before


def test_a_table_over_its_row_limit_is_refused_online_naming_the_field(kinds):
    store, _, q = kinds
    before = database_state(store)
    rows = [{"title": f"Law {i}"} for i in range(20_000)]
    with pytest.raises(ValidationFailed) as caught:
        submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "law"): rows})
    [problem] = caught.value.problems
    assert problem.key == "values.too_many_rows" and problem.params == {"rows": 20_000, "limit": 200}
    assert database_state(store) == before


def test_only_regular_files_are_read_and_never_past_the_limit(tmp_path):
    limits = Limits(max_bytes=1024)
    with pytest.raises(PackageRefused) as caught:
        read_file("/dev/zero", limits)
    assert caught.value.code == "not_a_file"
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = {}
    reader = threading.Thread(target=lambda: result.update(error=_refusal(fifo, limits)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading a FIFO must not hang"
    assert result["error"] == "not_a_file"
    grown = tmp_path / "grown.xlsx"
    grown.write_bytes(b"x" * 100)
    assert read_file(grown, limits) == b"x" * 100


def _refusal(path, limits) -> str | None:
    try:
        read_file(path, limits)
    except PackageRefused as refused_file:
        return refused_file.code
    return None


def test_review_import_of_dev_zero_and_a_fifo_is_one_line_and_exit_1(demo_db, tmp_path, capsys):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    code = main(["--db", str(demo_db), "import", "/dev/zero", str(fifo)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err and out.count("not a regular file") == 2


def test_review_import_pins_the_party_and_cycle_a_file_may_be_for(kinds, tmp_path, capsys):
    store, _, _ = kinds
    path = tmp_path / "ken.xlsx"
    path.write_bytes(template(store))
    store.close()
    db = str(store.path)
    assert main(["--db", db, "import", "--party", "FRA", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert "FRA" in out and "KEN" in out
    assert main(["--db", db, "import", "--cycle", "kinds-2", str(path)]) == 1
    assert "kinds-2" in capsys.readouterr()[0]


def test_the_formula_check_refuses_an_entity_bomb_instead_of_raising(kinds):
    from types import SimpleNamespace

    from review.workbook.importer import _formula_cells

    store, _, _ = kinds
    source = zipfile.ZipFile(io.BytesIO(template(store)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, ENTITY_BOMB if info.filename == "xl/worksheets/sheet2.xml" else source.read(info))
    names = load_sheet_names(out.getvalue())
    sheets = [SimpleNamespace(name=name, cells=[SimpleNamespace(row=1, col=1)]) for name in names]
    problems = _formula_cells(out.getvalue(), sheets)
    assert codes(problems) == ["unsafe_xml"]


def load_sheet_names(data: bytes) -> list[str]:
    import fastexcel

    return list(fastexcel.read_excel(data).sheet_names)
