"""Tables written as CSV (UTF-8 with BOM, CRLF: what Excel opens) and XLSX (one sheet per table).

Written directly, row by row: a pandas frame per file cost more than the page it sits beside (27% of a build).
XLSX cells are typed as they are written: text is always stored as text, never read as a formula, number or link;
numbers as numbers; None as an empty cell. The workbook's dates are fixed, so the same tables give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter

# The zip entries inside an .xlsx carry 1980-01-01 (xlsxwriter's choice); the document properties match it.
_FIXED_DATE = dt.datetime(1980, 1, 1)
# Above this many rows a workbook is streamed to a temporary file row by row (xlsxwriter's constant_memory
# mode) instead of held in memory: the province-wide indicator sheet has a million rows.
_STREAM_ROWS = 20_000


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence]


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    # utf-8-sig writes the BOM that Excel needs to read UTF-8 Chinese text.
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, Table]) -> bytes:
    stream = sum(len(t.rows) for t in sheets.values()) > _STREAM_ROWS
    if not stream:
        buffer = io.BytesIO()
        _write_workbook(xlsxwriter.Workbook(buffer, {"in_memory": True}), sheets)
        return buffer.getvalue()
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        _write_workbook(xlsxwriter.Workbook(path, {"constant_memory": True}), sheets)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _write_workbook(book: xlsxwriter.Workbook, sheets: dict[str, Table]) -> None:
    book.set_properties({"created": _FIXED_DATE})
    bold = book.add_format({"bold": True})
    for name, table in sheets.items():
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for col, header in enumerate(table.columns):
            sheet.write_string(0, col, header, bold)
        _write_rows(sheet, table.rows)
    book.close()


def _write_rows(sheet, rows: Iterable[Sequence]) -> None:
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c, value)
            elif isinstance(value, bool):
                write_boolean(r, c, value)
            elif isinstance(value, (int, float)) and math.isfinite(value):
                write_number(r, c, value)
            else:
                write_string(r, c, str(value))
