"""Tables written as CSV (UTF-8 with BOM, CRLF: what Excel opens) and XLSX (one sheet per table).

Written directly, row by row. A pandas frame per file cost more than the page it sits beside (27% of a build), and
a general XLSX library still spends about 10 µs on every cell: 280 seconds for a province's indicator and score
sheets (two million rows). The XLSX here is the smallest package Excel, LibreOffice and openpyxl read: a workbook,
a style sheet (bold headers) and one worksheet per table, its rows compressed as they are formatted.
Text is stored as text (an inline string: never read as a formula, number or link), numbers as numbers, None as
an empty cell; the zip entries and document properties carry the data's date, so the same tables give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import shutil
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.forms.addresses import column_letter
from jixiao.reproducible import ZIP_EPOCH

# Excel's limit on the text of one cell.
MAX_CELL_TEXT = 32_767
_CHUNK_ROWS = 5_000
# Characters XML 1.0 cannot carry (control characters other than tab and line breaks, lone surrogates, which
# UTF-8 cannot encode either; the model refuses both in data): written as Excel does.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What XML text escapes (as xml.sax.saxutils.escape, and a carriage return, which XML would read as a newline).
_MARKUP = re.compile("[&<>\r]")


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence]


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, and tab or carriage return, which
# some programs strip before looking. Such a text gets a leading apostrophe; numbers stay numbers (-3.5 is data).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell value no spreadsheet evaluates: texts that look like formulas get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([inert(c) for c in table.columns])
    writer.writerows([inert(v) for v in row] for row in table.rows)
    # utf-8-sig writes the BOM that Excel needs to read UTF-8 Chinese text.
    return out.getvalue().encode("utf-8-sig")


def csv_lines(rows: Iterable[Sequence]) -> bytes:
    """The rows as ``csv_bytes`` writes them after its head: a table's CSV is its head and such lines, joined."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([inert(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, Table | FormattedTable], when: dt.datetime = ZIP_EPOCH) -> bytes:
    """The workbook; its entries and document dates are ``when`` (from the data: see jixiao.reproducible)."""
    when = max(when, ZIP_EPOCH)
    return b"".join(_zip(_entries(sheets, when), when))  # every part in memory: no sheet lies in a file here


# A worksheet's rows made before their place is known (in the unit-file workers, for the site-wide workbook):
# the row's number is left as a mark, and the rows are parted by another. Neither can be in a formatted row: both
# are characters XML cannot carry, which every text writes as _x0000_ (see _text).
_NUMBER_MARK = "\x00"
_ROW_MARK = b"\x01"


def sheet_rows(rows: Sequence[Sequence], width: int) -> bytes:
    """``rows`` as a worksheet of ``width`` columns holds them, their numbers left open (see SheetWriter)."""
    letters = [column_letter(c) for c in range(max([width, *map(len, rows)]))]
    return _ROW_MARK.join([_row(_NUMBER_MARK, row, letters).encode("utf-8") for row in rows])


def _numbered(piece: bytes, first: int) -> tuple[bytes, int]:
    """The rows of a ``sheet_rows`` piece numbered from ``first``, and the number after the last."""
    if not piece:
        return b"", first
    rows = piece.split(_ROW_MARK)
    mark = _NUMBER_MARK.encode()
    # Each row's template split at its marks (one opens the row, one is in every cell), joined by its number.
    numbered = b"".join([(b"%d" % n).join(row.split(mark)) for n, row in enumerate(rows, first)])
    return numbered, first + len(rows)


@dataclass(frozen=True)
class FormattedTable:
    """A table with its worksheet rows formatted already (``sheet_rows``): a unit's indicators and scores are
    sheets of its own workbook and of the site's, formatted once for both."""

    columns: Sequence[str]
    rows: bytes

    @classmethod
    def of(cls, table: Table) -> FormattedTable:
        return cls(table.columns, sheet_rows(table.rows, len(table.columns)))


class SheetWriter:
    """A worksheet written to ``path`` as it comes, compressed: its head, then ``sheet_rows`` pieces numbered in
    turn. The same bytes as ``_sheet`` of the whole table, without holding the table (a province's is 500 MB)."""

    def __init__(self, path: Path, columns: Sequence[str]):
        letters = [column_letter(c) for c in range(len(columns))]
        self.path, self._next = path, 2
        self._file = open(path, "wb")  # noqa: SIM115 (open until close(): the sheet grows a piece at a time)
        self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._crc = self._size = 0
        self._put(_sheet_head(columns, letters).encode("utf-8"))

    def _put(self, data: bytes) -> None:
        self._crc, self._size = zlib.crc32(data, self._crc), self._size + len(data)
        self._file.write(self._compressor.compress(data))

    def add(self, piece: bytes) -> None:
        """A piece made by ``sheet_rows``: its rows get the next numbers."""
        rows, self._next = _numbered(piece, self._next)
        self._put(rows)

    def close(self, name: str) -> _Entry:
        """The finished zip entry ``name``, its compressed data left in the file."""
        self._put(_SHEET_END)
        self._file.write(self._compressor.flush())
        self._file.close()
        return name.encode("ascii"), self._crc, self._size, [self.path]


def xlsx_file(target: Path, sheets: dict[str, Table | SheetWriter], when: dt.datetime = ZIP_EPOCH) -> None:
    """``xlsx_bytes`` written to ``target``, a sheet given as a ``SheetWriter`` copied from its file."""
    when = max(when, ZIP_EPOCH)
    with open(target, "wb") as out:
        for part in _zip(_entries(sheets, when), when):
            if isinstance(part, Path):
                with open(part, "rb") as data:
                    shutil.copyfileobj(data, out, 1 << 20)
            else:
                out.write(part)


def _entries(sheets: dict[str, Table | FormattedTable | SheetWriter], when: dt.datetime) -> list[_Entry]:
    """The workbook's zip entries: its package parts, then a worksheet per sheet (one written aside is closed)."""
    entries = [*_package_entries(tuple(sheets), when)]
    for n, sheet in enumerate(sheets.values(), start=1):
        name = f"xl/worksheets/sheet{n}.xml"
        entries.append(
            sheet.close(name) if isinstance(sheet, SheetWriter) else _deflated(name, _sheet(sheet))
        )
    return entries


@lru_cache(maxsize=64)
def _package_entries(names: tuple[str, ...], when: dt.datetime) -> list[_Entry]:
    # The same for every unit's workbook of the same date: compressed once.
    return [_deflated(name, [text.encode("utf-8")]) for name, text in _package(list(names), _iso(when))]


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# The zip container, as zipfile writes it with force_zip64 (the same bytes: tests/test_tabular.py holds the two
# side by side), without its cost per entry: a unit's workbook has ten entries, a province 200,000.
# name, CRC-32, size, compressed data (or files holding it)
_Entry = tuple[bytes, int, int, list[bytes | Path]]
_ZIP64_LIMIT = (1 << 31) - 1
_ZIP64_VERSION = 45
_UNIX = 3  # the system that made the entries, for their permissions (0o644)
_DEFLATED = 8


def _deflated(name: str, parts: Iterable[bytes]) -> _Entry:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    crc, size, data = 0, 0, []
    for part in parts:
        crc, size = zlib.crc32(part, crc), size + len(part)
        data.append(compressor.compress(part))
    data.append(compressor.flush())
    return name.encode("ascii"), crc, size, data


def _length(part: bytes | Path) -> int:
    return part.stat().st_size if isinstance(part, Path) else len(part)


def _zip(entries: list[_Entry], when: dt.datetime) -> list[bytes | Path]:
    """The container's bytes in order, an entry's data given as it came (bytes, or the file that holds them)."""
    date = (when.year - 1980) << 9 | when.month << 5 | when.day
    time = when.hour << 11 | when.minute << 5 | when.second // 2
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, crc, size, data in entries:
        packed = sum(map(_length, data))
        # The entry's header: its sizes in a ZIP64 field, as zipfile writes an entry streamed with force_zip64.
        sizes = struct.pack("<HHQQ", 1, 16, size, packed)
        head = struct.pack(
            "<4s2B4HL2L2H", b"PK\x03\x04", _ZIP64_VERSION, 0, 0, _DEFLATED, time, date, crc,
            0xFFFFFFFF, 0xFFFFFFFF, len(name), len(sizes),
        )  # fmt: skip
        out += [head, name, sizes, *data]
        # The central directory's record: a ZIP64 field only for what does not fit its own fields.
        large_sizes, large_offset = size > _ZIP64_LIMIT or packed > _ZIP64_LIMIT, offset > _ZIP64_LIMIT
        large = [size, packed] * large_sizes + [offset] * large_offset
        extra = struct.pack(f"<HH{len(large)}Q", 1, 8 * len(large), *large) if large else b""
        record = struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", _ZIP64_VERSION, _UNIX, _ZIP64_VERSION, 0, 0, _DEFLATED, time, date,
            crc, 0xFFFFFFFF if large_sizes else packed, 0xFFFFFFFF if large_sizes else size,
            len(name), len(extra), 0, 0, 0, 0o644 << 16, 0xFFFFFFFF if large_offset else offset,
        )  # fmt: skip
        directory += [record, name, extra]
        offset += len(head) + len(name) + len(sizes) + packed
    count, start, size = len(entries), offset, sum(map(len, directory))
    end: list[bytes] = []
    if count > 0xFFFF or start > _ZIP64_LIMIT or size > _ZIP64_LIMIT:
        end += [
            struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start),
            struct.pack("<4sLQL", b"PK\x06\x07", 0, start + size, 1),
        ]
        count, start, size = min(count, 0xFFFF), min(start, 0xFFFFFFFF), min(size, 0xFFFFFFFF)
    end.append(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    return [*out, *directory, *end]


def _sheet_head(columns: Sequence[str], letters: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<sheetData>{_row(1, columns, letters, bold=True)}"
    )


_SHEET_END = b"</sheetData></worksheet>"


def _sheet(table: Table | FormattedTable) -> Iterator[bytes]:
    if isinstance(table, FormattedTable):
        yield _sheet_head(table.columns, [column_letter(c) for c in range(len(table.columns))]).encode()
        yield _numbered(table.rows, 2)[0] + _SHEET_END
        return
    letters = [column_letter(c) for c in range(max([len(table.columns), *map(len, table.rows)], default=0))]
    yield _sheet_head(table.columns, letters).encode()
    chunk: list[str] = []
    for r, row in enumerate(table.rows, start=2):
        chunk.append(_row(r, row, letters))
        if len(chunk) == _CHUNK_ROWS:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield "".join(chunk).encode("utf-8") + _SHEET_END


def _row(r: int | str, values: Sequence, letters: list[str], bold: bool = False) -> str:
    # Every cell of a province's sheets passes here (two million rows): the common types are told apart by their
    # exact type, the rest (a bool, a subclass, an infinity) as the general case below.
    style = ' s="1"' if bold else ""
    cells = [f'<row r="{r}">']
    for letter, value in zip(letters, values, strict=False):  # a short row leaves the last cells empty
        kind = type(value)
        if kind is str:
            cells.append(f'<c r="{letter}{r}" t="inlineStr"{style}><is>{_text(value)}</is></c>')
        elif value is None:
            continue
        elif (kind is float or kind is int) and math.isfinite(value):
            cells.append(f'<c r="{letter}{r}"{style}><v>{value!r}</v></c>')
        else:
            cells.append(_cell(f"{letter}{r}", value, style))
    cells.append("</row>")
    return "".join(cells)


def _cell(ref: str, value, style: str) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and math.isfinite(value):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{style}><is>{_text(str(value))}</is></c>'


def _text(value: str) -> str:
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if _NOT_XML.search(value):
        value = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    if _MARKUP.search(value):
        value = value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("\r", "&#13;")
    return f"<t{space}>{value}</t>"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _package(names: list[str], iso_date: str) -> list[tuple[str, str]]:
    """Every part but the worksheets: content types, relationships, workbook, styles, document properties."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheets = range(1, len(names) + 1)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in sheets
    )
    return [
        (
            "[Content_Types].xml",
            f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{types}'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            f'{head}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        ),
        (
            "docProps/core.xml",
            f"{head}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>jixiao</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso_date}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso_date}</dcterms:modified>'
            "</cp:coreProperties>",
        ),
        (
            "xl/workbook.xml",
            f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in zip(sheets, names, strict=True)
            )
            + "</sheets></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'{head}<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in sheets
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        ),
        (
            "xl/styles.xml",
            f'{head}<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        ),
    ]
