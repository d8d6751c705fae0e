"""Checks on an uploaded file before any spreadsheet parser sees it.

An .xlsx is a zip of XML parts, so a hostile file can be huge once unzipped, carry macros, or be
an encrypted (OLE) container in disguise. These checks look only at the zip directory and the
first bytes, which costs next to nothing, and refuse before the real read starts. XML itself is
parsed by calamine (which expands no entities) and by openpyxl with defusedxml installed.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A formula cell is <c><f>...</f></c>, possibly with a namespace prefix (</x:f>); cells sharing a
# formula point (<f t="shared" si="0"/>) at one that holds it. Both end a tag with "f>", which one
# pass over the XML finds; a false hit only costs the exact check.
FORMULA_TAG_END = b"f>"


@dataclass(frozen=True)
class Limits:
    """How big an upload may be, zipped and unzipped."""

    max_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 300 * 1024 * 1024
    max_ratio: int = 100


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
    """A file's bytes; one over the size limit is refused from its size alone, before it is read."""
    refused = too_large(os.stat(path).st_size, limits)
    if refused:
        raise refused
    with open(path, "rb") as file:
        return file.read()


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
    if b"macroEnabled" in package.read("[Content_Types].xml"):
        raise PackageRefused("macro_enabled", "workbook.macro_enabled")
    return package


def has_formulas(package: zipfile.ZipFile, data: bytes) -> bool:
    """Whether any worksheet holds a formula: a quick scan that spares most files a full parse.
    A sheet that cannot be unzipped is refused as a broken file."""
    try:
        for info in package.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if FORMULA_TAG_END in _inflate(package, data, info):
                    return True
    except (struct.error, zlib.error, zipfile.BadZipFile, EOFError):
        raise PackageRefused("not_xlsx", "workbook.not_xlsx") from None
    return False


def _inflate(package: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated straight from the file: zipfile's reader costs as much again. No
    more than the directory's size for it comes out (the size `open_package` checked)."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        return package.read(info)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    raw = data[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return raw[:info.file_size]
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, info.file_size)
