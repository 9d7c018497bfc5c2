"""Workbooks (.xlsx, .xls) as grids of cell values with merged cells expanded.

Values and merged ranges both come from python-calamine, which reads .xlsx and legacy .xls alike and is several
times faster than openpyxl (see scripts/benchmark_import.py). Every cell keeps its address so that any problem can
be reported as ``file:sheet!C12``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from jixiao.findings import InvalidData, problem
from jixiao.forms.addresses import column_letter
from jixiao.forms.input_file import ENCRYPTED_MARK, OLE_MAGIC, ZIP_MAGIC, is_html, refuse_empty
from jixiao.location import Location


@dataclass
class Grid:
    """One sheet: ``rows[r][c]`` holds the value shown at (r, c); a merged range shows its anchor's value."""

    file: str
    name: str
    rows: list[list[Any]]
    anchors: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # The lines of text just above a table in a page, a Word report or a PDF ("附件2：项目支出绩效自评表",
    # "单位：元"): what a sheet would hold in its first rows, which the readers consult for the unit and the year.
    caption: list[str] = field(default_factory=list)
    _labels: list[list[str | None]] | None = field(default=None, repr=False)

    def label_row(self, r: int) -> list[str | None]:
        """The cleaned labels of row ``r`` (whitespace removed), computed once per sheet: readers ask often."""
        if self._labels is None:
            from jixiao.forms.cell_text import clean_label, simplified

            # Labels are for recognising: traditional characters (績效) are read as simplified ones.
            width = self.width
            self._labels = [
                [simplified(t) if (t := clean_label(v)) else None for v in row] + [None] * (width - len(row))
                for row in self.rows
            ]
        return self._labels[r] if 0 <= r < len(self._labels) else [None] * self.width

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        return self.anchors.get((r, c), (r, c))

    def where(self, r: int, c: int) -> Location:
        r, c = self.anchor(r, c)
        return Location(self.file, self.name, f"{column_letter(c)}{r + 1}")

    def where_row(self, r: int) -> Location:
        return Location(self.file, self.name, row=r + 1)

    def whole(self) -> Location:
        return Location(self.file, self.name)


def read_workbook(data: bytes, display: str, suffix: str = "") -> list[Grid]:
    """Every sheet of an .xlsx or .xls file (``suffix``: its name's); raises InvalidData for an empty, encrypted or
    unreadable file."""
    import python_calamine

    _refuse_non_workbooks(data, display, suffix)
    if is_html(data):
        from jixiao.forms.html_tables import read_html_tables

        grids = read_html_tables(data, display)
        if not grids:
            raise InvalidData([problem("unreadable-file", display, "这是网页（HTML）文件，但其中没有表格")])
        return grids
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [book.get_sheet_by_name(name) for name in book.sheet_names]
        values = [(sheet, sheet.to_python(skip_empty_area=False)) for sheet in sheets]
    except BaseException as err:
        # Only the reader library's own errors mean "this file is broken"; a bug in jixiao must not be disguised
        # as one.
        if not is_reader_error(err):
            raise
        raise InvalidData(
            [problem("unreadable-file", display, f"无法读取该工作簿：{_reason(err)}")]
        ) from None
    return [_grid(display, sheet, rows) for sheet, rows in values]


def _refuse_non_workbooks(data: bytes, display: str, suffix: str) -> None:
    refuse_empty(data, display)
    if data.startswith(OLE_MAGIC) and (
        suffix in {".xlsx", ".xlsm", ".docx"} or ENCRYPTED_MARK in data or _xls_is_encrypted(data)
    ):
        raise InvalidData(
            [problem("encrypted-file", display, "文件已加密（设置了打开密码），请提供未加密的文件")]
        )
    if not data.startswith((OLE_MAGIC, ZIP_MAGIC)) and not is_html(data):
        raise InvalidData([problem("unreadable-file", display, "不是 Excel 工作簿（.xlsx 或 .xls）")])


def _xls_is_encrypted(data: bytes) -> bool:
    """A legacy workbook with a FILEPASS record (0x002F) right after its first BOF record."""
    import xlrd

    try:
        # xlrd logs to stdout by default, which is `jixiao import`'s JSON.
        xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as err:
        return "encrypt" in str(err).lower()
    except Exception:
        return False
    return False


def _reason(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0][:200]


def is_reader_error(err: BaseException) -> bool:
    """Whether python-calamine raised ``err`` for a malformed file: its own errors, and its Rust panics, which
    surface as ``pyo3_runtime.PanicException`` (a BaseException that ``except Exception`` does not catch)."""
    import python_calamine

    return isinstance(err, (python_calamine.CalamineError, ValueError, OSError, EOFError)) or (
        type(err).__name__ == "PanicException"
    )


def _grid(display: str, sheet, values) -> Grid:
    rows = [[_plain(v) for v in row] for row in values]
    grid = Grid(display, sheet.name, rows)
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        anchor = grid.value(r0, c0)
        for r in range(r0, r1 + 1):
            while len(grid.rows) <= r:
                grid.rows.append([])
            row = grid.rows[r]
            for c in range(c0, c1 + 1):
                while len(row) <= c:
                    row.append(None)
                if (r, c) != (r0, c0):
                    row[c] = anchor
                    grid.anchors[(r, c)] = (r0, c0)
    return grid


def _plain(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def cell_value(text: str):
    """A cell read as text (a web page's, a Word table's, a PDF's) as a spreadsheet would hold it: numbers stay
    numbers; everything else is text, None if empty."""
    if not text:
        return None
    plain = text.replace(",", "")
    if re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
        number = float(plain)
        return int(number) if number.is_integer() and "." not in plain else number
    return text


def grid_texts(grids: list[Grid]):
    """Every text of every sheet with its cell (merged ranges once, at their anchor), for the personal-data scan."""
    for grid in grids:
        yield grid.whole().in_part("工作表名称"), grid.name
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is not None and grid.anchor(r, c) == (r, c):
                    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
                    yield grid.where(r, c), text
