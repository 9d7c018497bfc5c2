"""One input file: read from disk once, under the limits, and what reading it yields.

The publish gate's guarded read (a regular file within the size limit) gives the bytes every reader then works on,
so what is read, scanned and published is exactly what was checked, and the content hash (the parse cache's key,
the SHA-256 shown beside a published original) is taken of the same bytes.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.location import Location

if TYPE_CHECKING:
    from jixiao.forms.tables import Extract

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Pictures, by the ending of a file's or a package part's name: nothing in them can be scanned.
PICTURES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".svg",
    ".webp",
    ".jfif",
)
# The name of an OLE stream that only encrypted Office files carry ("EncryptedPackage", "EncryptionInfo").
ENCRYPTED_MARK = "Encrypt".encode("utf-16-le")

Text = tuple[Location, str]


@dataclass
class InputFile:
    """A file's bytes, its name as findings show it, and what the publish gate parsed of it while checking the
    limits (the unzipped package of an .xlsx or .docx, a web page's texts): kept so nothing is parsed twice."""

    path: Path
    display: str
    data: bytes
    parsed: object | None = None

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class FileRead:
    """What one file yields: extracts (one per recognised table or document), the kinds of form found in it, every
    text it holds with its place (for the personal-data scan, so no file is parsed twice), and how each table was
    recognised (for ``jixiao import --explain``)."""

    extracts: list[Extract]
    kinds: list[str]
    texts: list[Text] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    # Why (parts of) the file cannot be scanned for personal data: pictures, embedded objects, pages without text.
    # A file with reasons here is withheld from the site unless the unit releases it (jixiao.gate).
    unscanned: list[str] = field(default_factory=list)
    # The SHA-256 of the bytes read (None when the file could not be read at all).
    sha256: str | None = None


def read_input(path: Path, display: str) -> InputFile:
    """A file's bytes: a regular file within the size limit, else a located error."""
    try:
        info = path.stat()
    except OSError as err:
        raise InvalidData([problem("unreadable-file", display, f"无法打开文件：{err.strerror}")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidData([problem("unsafe-file", display, "不是普通文件（设备、管道或目录），拒绝读取")])
    if info.st_size > limits.MAX_FILE_BYTES:
        raise InvalidData(
            [
                problem(
                    "file-too-large",
                    display,
                    f"文件 {info.st_size / limits.MB:.1f} MB，超过上限 {limits.MAX_FILE_BYTES // limits.MB} MB",
                )
            ]
        )
    try:
        with open(path, "rb") as f:
            return InputFile(path, display, f.read(limits.MAX_FILE_BYTES + 1))
    except OSError as err:
        raise InvalidData([problem("unreadable-file", display, f"无法打开文件：{err.strerror}")]) from None


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file too large to read at once (streamed), None when it cannot be read."""
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def refuse_empty(data: bytes, display: str) -> None:
    if not data:
        raise InvalidData([problem("empty-file", display, "文件为空（0 字节）")])


def is_html(data: bytes) -> bool:
    """A web page, whatever its name: finance systems often save ".xls" files that are web pages holding tables."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    return head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"<body")) or (
        head.startswith((b"<?xml", b"<!--")) and b"<html" in data[:4096].lower()
    )
