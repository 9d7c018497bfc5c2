"""Legacy Office files (.xls, .doc, .wps, .et: OLE compound documents): every string record and the properties.

For a legacy workbook the BIFF records are walked once: cell extents and merged ranges (checked against the limits
before the grid reader expands them), sheet names, headers and footers, comments and text boxes (TXO records). The
shared strings and defined names come from xlrd's reading of the workbook globals; the summary properties (author,
company …) from olefile. Last, every stream's readable runs are scanned as they are, so a string in a record no
one names here is still seen before the file is published.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from jixiao.findings import InvalidData, problem
from jixiao.forms.addresses import column_letter
from jixiao.forms.input_file import Text
from jixiao.forms.ooxml_package import check_grid_size
from jixiao.forms.parts_ooxml import raw_texts
from jixiao.location import Location

_CELL_RECORDS = {0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00D6}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column
_BOF, _EOF, _BOUNDSHEET, _MERGED, _ROW = 0x0809, 0x000A, 0x0085, 0x00E5, 0x0208
_HEADER, _FOOTER, _TXO, _CONTINUE, _OBJ, _NOTE = 0x0014, 0x0015, 0x01B6, 0x003C, 0x005D, 0x001C
_DRAWING_GROUP = 0x00EB
_PROPERTIES = (
    "title",
    "subject",
    "author",
    "keywords",
    "comments",
    "last_saved_by",
    "company",
    "manager",
    "category",
    "template",
)


def open_ole(data: bytes, display: str):
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as err:  # olefile raises plain Exceptions and OSErrors for broken files
        raise InvalidData(
            [problem("unreadable-file", display, f"文件已损坏，无法读取：{str(err)[:160]}")]
        ) from None


def _stream(ole, name: str) -> bytes | None:
    try:
        return ole.openstream(name).read() if ole.exists(name) else None
    except Exception:
        return None


def records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(offset, record type, payload) of every BIFF record, stopping at a truncated one."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > end:
            return
        yield pos, kind, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _unicode_string(payload: bytes, pos: int, length_bytes: int = 2) -> str:
    """An XLUnicodeString (BIFF8): character count, a flags byte, then 8-bit or UTF-16 characters."""
    try:
        count = payload[pos] if length_bytes == 1 else struct.unpack_from("<H", payload, pos)[0]
        flags = payload[pos + length_bytes]
        start = pos + length_bytes + 1
        if flags & 0x08:
            start += 2
        if flags & 0x04:
            start += 4
        if flags & 0x01:
            return payload[start : start + 2 * count].decode("utf-16-le", "replace")
        return payload[start : start + count].decode("latin-1")
    except (IndexError, struct.error):
        return ""


def xls_check_sizes(data: bytes, display: str) -> None:
    """Every sheet's extent and merged ranges within the limits, before the grid reader allocates them."""
    try:
        ole = open_ole(data, display)
    except InvalidData:
        return  # not a compound document at all: the reader says what it is (encrypted, broken)
    stream = _stream(ole, "Workbook") or _stream(ole, "Book")
    if stream is None:
        return
    names = _sheet_names(stream)
    sheet, rows, cols, merges, area, depth = None, 0, 0, 0, 0, 0
    for offset, kind, payload in records(stream):
        if kind == _BOF:
            depth += 1
            sheet, rows, cols, merges, area = names.get(offset, f"第 {len(names)} 个工作表"), 0, 0, 0, 0
        elif kind == _EOF and sheet is not None:
            check_grid_size(display, sheet, rows, cols, merges, area)
            sheet = None
        elif kind in _CELL_RECORDS and len(payload) >= 4:
            r, c = struct.unpack_from("<HH", payload)
            rows, cols = max(rows, r + 1), max(cols, c + 1)
        elif kind in _MULTI and len(payload) >= 6:
            r = struct.unpack_from("<H", payload)[0]
            last = struct.unpack_from("<H", payload, len(payload) - 2)[0]
            rows, cols = max(rows, r + 1), max(cols, last + 1)
        elif kind == _MERGED and len(payload) >= 2:
            count = struct.unpack_from("<H", payload)[0]
            for i in range(min(count, (len(payload) - 2) // 8)):
                r0, r1, c0, c1 = struct.unpack_from("<HHHH", payload, 2 + 8 * i)
                rows, cols = max(rows, r1 + 1), max(cols, c1 + 1)
                area += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
            merges += count
    if sheet is not None:
        check_grid_size(display, sheet, rows, cols, merges, area)


def _sheet_names(stream: bytes) -> dict[int, str]:
    """Offset of each sheet's BOF record -> its name, from the BOUNDSHEET records of the globals."""
    out = {}
    for _, kind, payload in records(stream):
        if kind == _BOUNDSHEET and len(payload) > 8:
            out[struct.unpack_from("<I", payload)[0]] = _unicode_string(payload, 6, length_bytes=1)
        elif kind == _EOF:
            break
    return out


def ole_texts(data: bytes, display: str, known: set[str]) -> tuple[list[Text], list[str]]:
    """Every string of a legacy Office file with its place, and why parts of it cannot be scanned."""
    ole = open_ole(data, display)
    here = Location(display)
    texts: list[Text] = []
    unscanned: list[str] = []
    streams = ["/".join(entry) for entry in ole.listdir(streams=True, storages=False)]
    storages = ["/".join(entry) for entry in ole.listdir(streams=False, storages=True)]
    objects = [s for s in storages if s.startswith(("MBD", "ObjectPool", "_VBA_PROJECT", "Macros"))]
    if objects:
        unscanned.append(f"含 {len(objects)} 个嵌入对象或宏，无法检查其内容")
    workbook = _stream(ole, "Workbook") or _stream(ole, "Book")
    if workbook is not None:
        texts.extend(_workbook_texts(workbook, display, data, known, unscanned))
    picture_data = _stream(ole, "Data")
    if _stream(ole, "WordDocument") is not None and picture_data:
        unscanned.append("含图片或嵌入对象（Data 流），无法检查图中文字")
    texts.extend(_properties(ole, here))
    for name in streams:
        content = _stream(ole, name)
        if content:
            texts.extend(raw_texts(here.in_part(f"二进制流 {name}"), content))
    return texts, unscanned


def _workbook_texts(stream: bytes, display: str, data: bytes, known: set[str], unscanned: list[str]):
    names = _sheet_names(stream)
    sheet: str | None = None
    notes: dict[int, Location] = {}
    boxes: list[tuple[int, Location, str]] = []
    last_obj, pending_txo = 0, None
    for offset, kind, payload in records(stream):
        if kind == _BOF:
            sheet = names.get(offset)
        elif kind == _BOUNDSHEET:
            yield Location(display, part="工作表名称"), _unicode_string(payload, 6, length_bytes=1)
        elif kind in (_HEADER, _FOOTER) and payload and sheet:
            text = _unicode_string(payload, 0)
            if text.strip():
                yield Location(display, sheet, part="页眉" if kind == _HEADER else "页脚"), text
        elif kind == _OBJ and len(payload) >= 6:
            last_obj = struct.unpack_from("<H", payload, 6)[0] if len(payload) >= 8 else 0
        elif kind == _TXO:
            pending_txo = last_obj
        elif kind == _CONTINUE and pending_txo is not None and payload:
            raw = payload[1:]
            text = raw.decode("utf-16-le", "replace") if payload[0] & 1 else raw.decode("latin-1")
            boxes.append((pending_txo, Location(display, sheet, part="文本框"), text))
            pending_txo = None
        elif kind == _NOTE and len(payload) >= 8:
            r, c, _, obj = struct.unpack_from("<HHHH", payload)
            notes[obj] = Location(display, sheet, f"{column_letter(c)}{r + 1}", part="批注")
            author = _unicode_string(payload, 8)
            if author.strip():
                yield notes[obj].in_part("批注作者"), author
        elif kind == _DRAWING_GROUP and b"\x07\xf0" in payload:
            unscanned.append("含图片，无法检查图中文字")
    for obj, where, text in boxes:
        if text.strip():
            yield notes.get(obj, where), text
    yield from _globals_texts(data, display, known)


def _globals_texts(data: bytes, display: str, known: set[str]):
    """Shared strings (also those no cell shows) and defined names, as xlrd reads the workbook globals."""
    import xlrd

    try:
        # xlrd writes its warnings to stdout unless told otherwise: stdout is `jixiao import`'s JSON.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(), verbosity=0)
    except Exception:  # a broken file is reported by the grid reader; the raw scan below still runs
        return
    here = Location(display)
    for n, text in enumerate(getattr(book, "_sharedstrings", []) or [], start=1):
        if text and text.strip() and text not in known:
            yield here.in_part(f"共享字符串第 {n} 条"), text
    for name in getattr(book, "name_obj_list", []) or []:
        yield here.in_part("定义的名称"), str(getattr(name, "name", ""))


def _properties(ole, here: Location) -> Iterator[Text]:
    try:
        meta = ole.get_metadata()
    except Exception:
        return
    codepage = getattr(meta, "codepage", None) or 936
    for field in _PROPERTIES:
        value = getattr(meta, field, None)
        if isinstance(value, bytes):
            try:
                value = value.decode(f"cp{codepage}")
            except (LookupError, UnicodeDecodeError):
                value = value.decode("gb18030", "replace")
        if value and str(value).strip():
            yield here.in_part(f"文档属性 {field}"), str(value)
