"""Checks on an uploaded file before any spreadsheet parser sees it.

An .xlsx is a zip of XML parts, so a hostile file can be huge once unzipped, carry macros, or be
an encrypted (OLE) container in disguise. A zip directory can also lie: a part that says it
inflates to 1 MB may inflate to 1 GB, and a parser trusting the directory takes the server's memory
with it. So every part is inflated here first, each with a hard cap at the size its directory
entry declares (itself bounded in total), before any spreadsheet parser sees the file: a part
that inflates to more, or less, than it declares is refused as damaged, having cost at most its
declared size. The worksheets inflated on the way, and the styles, are kept for the formula scan and
`stored` (cells the text view would misread). XML itself is
parsed by calamine (which expands no entities) and by openpyxl with defusedxml installed.
"""

from __future__ import annotations

import html
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass

from review import limits as bounds

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A formula cell is <c><f>...</f></c>, possibly with a namespace prefix (</x:f>); cells sharing a
# formula point (<f t="shared" si="0"/>) at one that holds it. Both end a tag with "f>", which one
# pass over the XML finds; a false hit only costs the exact check.
FORMULA_TAG_END = b"f>"


@dataclass(frozen=True)
class Limits:
    """How big an upload may be, zipped and unzipped, and how far a sheet may reach (defaults:
    `review.limits`, where every bound is documented)."""

    max_bytes: int = bounds.UPLOAD_BYTES
    max_unzipped_bytes: int = bounds.UNZIPPED_BYTES
    max_ratio: int = bounds.UNZIPPED_RATIO
    max_sheet_cells: int = bounds.SHEET_CELLS
    max_directory_bytes: int = bounds.ZIP_DIRECTORY_BYTES


class PackageRefused(Exception):
    """The file is refused before reading: a problem code, a translation key and parameters."""

    def __init__(self, code: str, key: str, **params):
        super().__init__(code)
        self.code = code
        self.key = key
        self.params = params


def too_large(size: int, limits: Limits) -> PackageRefused | None:
    if size > limits.max_bytes:
        return PackageRefused("too_large", "workbook.too_large", size=size // 1024, limit=limits.max_bytes // 1024)
    return None


def read_file(path: str | os.PathLike, limits: Limits = Limits()) -> bytes:
    """A file's bytes. Only a regular file is read (a device such as /dev/zero, a FIFO that would
    block, a directory are refused unopened); one over the size limit is refused from its size
    alone, and the read itself never takes more than the limit, should the file grow meanwhile."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise PackageRefused("not_a_file", "workbook.not_a_file")
    refused = too_large(os.stat(path).st_size, limits)
    if refused:
        raise refused
    with open(path, "rb") as file:
        data = file.read(limits.max_bytes + 1)
    if refused := too_large(len(data), limits):
        raise refused
    return data


def open_package(data: bytes, limits: Limits = Limits()) -> zipfile.ZipFile:
    """The file as a zip, once it is known to be a plain, macro-free, reasonably sized xlsx."""
    size = len(data)
    if refused := too_large(size, limits):
        raise refused
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise PackageRefused("encrypted", "workbook.encrypted")
        raise PackageRefused("not_xlsx", "workbook.not_xlsx")
    try:
        directory = zipfile._EndRecData(io.BytesIO(data))  # what ZipFile reads next: refused if too long
        if directory and directory[zipfile._ECD_SIZE] > limits.max_directory_bytes:
            raise PackageRefused("too_many_parts", "workbook.too_many_parts")
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PackageRefused("not_xlsx", "workbook.not_xlsx") from None
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise PackageRefused("macro_enabled", "workbook.macro_enabled")
    unzipped = sum(info.file_size for info in infos)
    if unzipped > limits.max_unzipped_bytes or unzipped > limits.max_ratio * max(size, 1):
        raise PackageRefused("unzipped_too_large", "workbook.unzipped_too_large", size=unzipped // 1024, packed=size // 1024)
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise PackageRefused("not_xlsx", "workbook.not_xlsx")
    sheets, parts = {}, {}
    for info in infos:
        inflated = _inflate_exactly(data, info)
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            sheets[info.filename] = inflated
        elif info.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
            parts[info.filename] = inflated
        elif info.filename == "[Content_Types].xml" and b"macroEnabled" in inflated:
            raise PackageRefused("macro_enabled", "workbook.macro_enabled")
    _check_extents(sheets, parts, limits)
    package.worksheets = sheets
    package.parts = parts
    return package


# The spreadsheet reader (calamine) allocates one cell for every position between a sheet's first
# and furthest cell: two cells at A1 and XFD1048576, in a 5 KB file, asked for 512 GB and aborted
# the whole process. So each sheet's reach is bounded before any reader sees it. Every writer we
# know (Excel, LibreOffice, openpyxl, XlsxWriter) puts `r="..."` first on each cell and row, so the
# quick check looks only for references past column Z or row 99,999, for cells and rows whose
# position is implied (no `r` first), and for prefixed elements; a sheet with none of these spans
# at most 99,999 x 26 cells. Any other sheet is measured exactly, and refused past the limit.
_QUICK_LIMIT = 99_999 * 26
_UNUSUAL = (
    r"""\sr\s*=\s*["']\s*(?:[A-Za-z]{2}|[A-Za-z]?\s*[0-9]{6}|[^"'>]*&)"""  # far, spaced or escaped references
    r"|<(?:c|row)(?:/?>|\s+(?:[^r/>\s]|r[^=\s]))"  # a cell or row without `r` first
    r"|:(?:c|row)[\s/>]"  # prefixed elements
)
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.S)
_CELL_REF = re.compile(r"\s*([A-Za-z]*)\s*([0-9]*)\s*$")


def _check_extents(sheets: dict[str, bytes], parts: dict[str, bytes], limits: Limits) -> None:
    """Refuse a sheet that reaches over more than `limits.max_sheet_cells` cells, naming it."""
    if not sheets:
        return
    import polars as pl

    texts = pl.Series([xml.decode("utf-8", "replace") for xml in sheets.values()])
    unusual = texts.str.contains(_UNUSUAL).to_list()
    for (part, xml), odd in zip(sheets.items(), unusual):
        if not odd and _QUICK_LIMIT <= limits.max_sheet_cells:
            continue
        rows, columns = _extent(xml)
        if rows * columns > limits.max_sheet_cells:
            raise PackageRefused("sheet_too_large", "workbook.sheet_too_large", sheet=_sheet_names(parts).get(part, part),
                                 rows=rows, columns=columns, limit=limits.max_sheet_cells)


def _extent(xml: bytes) -> tuple[int, int]:
    """How many rows and columns a sheet spans at most: its furthest explicit row and column, plus
    every cell or row whose position is implied (each may move one further)."""
    rows = columns = implied = 0
    for tag in _TAG.finditer(xml):
        found = _REF.search(tag.group(2))
        ref = _CELL_REF.match(html.unescape(found.group(2).decode("utf-8", "replace"))) if found else None
        if not ref or not ref.group(2):
            implied += 1
            continue
        rows = max(rows, int(ref.group(2)))
        if tag.group(1) == b"c":
            column = 0
            for letter in ref.group(1).upper():
                column = column * 26 + ord(letter) - 64
            columns = max(columns, column)
    return rows + implied, columns + implied


def _sheet_names(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet part -> the sheet's name, from the workbook and its relationships (for messages)."""
    targets = {}
    for rel in re.finditer(rb"<Relationship\b[^>]*>", parts.get("xl/_rels/workbook.xml.rels", b"")):
        ident, target = re.search(rb'\bId="([^"]*)"', rel.group(0)), re.search(rb'\bTarget="([^"]*)"', rel.group(0))
        if ident and target:
            path = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[ident.group(1)] = path if path.startswith("xl/") else f"xl/{path}"
    names = {}
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", parts.get("xl/workbook.xml", b"")):
        name, ident = re.search(rb'\bname="([^"]*)"', sheet.group(0)), re.search(rb'\bid="([^"]*)"', sheet.group(0))
        if name and ident and ident.group(1) in targets:
            names[targets[ident.group(1)]] = html.unescape(name.group(1).decode("utf-8", "replace"))
    return names


def sheets_by_name(package: zipfile.ZipFile) -> dict[str, bytes]:
    """Each worksheet's XML (as `open_package` inflated it) by the sheet's name."""
    names = _sheet_names(package.parts)
    return {names[part]: xml for part, xml in package.worksheets.items() if part in names}


def has_formulas(package: zipfile.ZipFile, data: bytes) -> bool:
    """Whether any worksheet holds a formula: a quick scan (over the sheets `open_package` inflated)
    that spares most files a full parse."""
    return any(FORMULA_TAG_END in xml for xml in package.worksheets.values())


def _inflate_exactly(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated straight from the file (zipfile's reader costs as much again), with
    never more than its declared size plus one byte produced: a part whose stream holds more or
    less than its directory entry declares is refused, as are encrypted parts and compression
    methods an xlsx does not use."""
    if info.flag_bits & 1:
        raise PackageRefused("encrypted", "workbook.encrypted")
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        raise PackageRefused("not_xlsx", "workbook.not_xlsx")
    try:
        signature, = struct.unpack_from("<I", data, info.header_offset)
        name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    except struct.error:
        raise PackageRefused("not_xlsx", "workbook.not_xlsx") from None
    if signature != 0x04034B50:
        raise PackageRefused("not_xlsx", "workbook.not_xlsx")
    start = info.header_offset + 30 + name_length + extra_length
    raw = data[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        raise PackageRefused("not_xlsx", "workbook.not_xlsx")
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise PackageRefused("size_mismatch", "workbook.size_mismatch", part=info.filename)
        return raw
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, info.file_size + 1)
    except zlib.error:
        raise PackageRefused("not_xlsx", "workbook.not_xlsx") from None
    if len(out) != info.file_size or not inflater.eof:
        raise PackageRefused("size_mismatch", "workbook.size_mismatch", part=info.filename)
    return out
