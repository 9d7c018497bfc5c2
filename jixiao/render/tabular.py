"""Tables written as CSV (UTF-8 with BOM, CRLF: what Excel opens) and XLSX (one sheet per table).

Written directly, row by row. A pandas frame per file cost more than the page it sits beside (27% of a build), and
a general XLSX library still spends about 10 µs on every cell: 280 seconds for a province's indicator and score
sheets (two million rows). The XLSX here is the smallest package Excel, LibreOffice and openpyxl read: a workbook,
a style sheet (bold headers) and one worksheet per table, its rows streamed into the zip as they are formatted.
Text is stored as text (an inline string: never read as a formula, number or link), numbers as numbers, None as
an empty cell; the zip entries and document properties carry the data's date, so the same tables give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from jixiao.forms.addresses import column_letter
from jixiao.reproducible import ZIP_EPOCH

# Excel's limit on the text of one cell.
MAX_CELL_TEXT = 32_767
_CHUNK_ROWS = 5_000
# Characters XML 1.0 cannot carry (control characters other than tab and line breaks): written as Excel does.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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


def xlsx_bytes(sheets: dict[str, Table], when: dt.datetime = ZIP_EPOCH) -> bytes:
    """The workbook; its entries and document dates are ``when`` (from the data: see jixiao.reproducible)."""
    when = max(when, ZIP_EPOCH)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, text in _package(list(sheets), when.strftime("%Y-%m-%dT%H:%M:%SZ")):
            _write(book, name, [text.encode("utf-8")], when)
        for n, table in enumerate(sheets.values(), start=1):
            _write(book, f"xl/worksheets/sheet{n}.xml", _sheet(table), when)
    return buffer.getvalue()


def _write(book: zipfile.ZipFile, name: str, parts: Iterable[bytes], when: dt.datetime) -> None:
    info = zipfile.ZipInfo(name, when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with book.open(info, "w", force_zip64=True) as entry:
        for part in parts:
            entry.write(part)


def _sheet(table: Table) -> Iterator[bytes]:
    letters = [column_letter(c) for c in range(max([len(table.columns), *map(len, table.rows)], default=0))]
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<sheetData>{_row(1, table.columns, letters, bold=True)}"
    ).encode()
    chunk: list[str] = []
    for r, row in enumerate(table.rows, start=2):
        chunk.append(_row(r, row, letters))
        if len(chunk) == _CHUNK_ROWS:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield ("".join(chunk) + "</sheetData></worksheet>").encode("utf-8")


def _row(r: int, values: Sequence, letters: list[str], bold: bool = False) -> str:
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
