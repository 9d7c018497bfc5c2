"""Percentages that a workbook stores as fractions: a cell showing 95% holds 0.95 under a percent number format.

python-calamine gives values without their formats, so the cells whose style is a percent format are found here,
from the package parts the publish gate has already unzipped (xl/styles.xml and each sheet's XML), and the readers
see them as the sheet shows them: "95%". Without this, a target of 95% would be read as 0.95.
"""

from __future__ import annotations

import re

from jixiao.forms.addresses import cell_position
from jixiao.forms.ooxml_package import Package
from jixiao.forms.ooxml_places import part_names

# Excel's built-in percent formats: 9 is "0%", 10 is "0.00%".
BUILTIN_PERCENT = {9, 10}
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)/?>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_QUOTED = re.compile(rb'"[^"]*"|\\.')


def _percent_codes(styles: bytes) -> set[int]:
    """Number-format ids whose code shows a percent sign (outside quoted text and escapes)."""
    ids = set(BUILTIN_PERCENT)
    for number, code in _NUM_FMT.findall(styles):
        if _shows_percent(code.replace(b"&quot;", b'"')):
            ids.add(int(number))
    return ids


def _shows_percent(code: bytes) -> bool:
    """Whether a number-format code shows a percent sign (outside quoted text and escapes)."""
    return b"%" in _QUOTED.sub(b"", code)


def percent_styles(styles: bytes) -> set[int]:
    """Indexes of the cell styles (cellXfs) that show their number as a percentage."""
    codes = _percent_codes(styles)
    block = _CELL_XFS.search(styles)
    out = set()
    for index, xf in enumerate(_XF.findall(block.group(1)) if block else []):
        found = re.search(rb'numFmtId="(\d+)"', xf)
        if found and int(found.group(1)) in codes:
            out.add(index)
    return out


def percent_cells(package: Package) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> the (row, column) of every number cell shown as a percentage, counted from 0."""
    styles = package.parts.get("xl/styles.xml")
    if not styles:
        return {}
    percent = percent_styles(styles)
    if not percent:
        return {}
    out: dict[str, set[tuple[int, int]]] = {}
    for part, sheet in part_names(package.parts).sheets.items():
        content = package.parts.get(part, b"")
        cells = set()
        for attrs in _CELL.findall(content):
            found = dict(_ATTR.findall(attrs))
            style = found.get(b"s")
            if style is None or not style.isdigit() or int(style) not in percent:
                continue
            if (
                found.get(b"t", b"n") != b"n"
            ):  # text, shared strings, booleans and errors are shown as they are
                continue
            place = cell_position(found.get(b"r", b""))
            if place is not None:
                cells.add(place)
        if cells:
            out[sheet] = cells
    return out


def legacy_percent_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """The same for a binary .xls: xlrd gives each number cell's format through its style (XF) record. A workbook
    calamine read but xlrd cannot style (damaged style records) keeps its values as read."""
    import io

    import xlrd

    out: dict[str, set[tuple[int, int]]] = {}
    try:
        # xlrd logs to stdout by default, which is `jixiao import`'s JSON.
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO(), verbosity=0
        )
        percent = {
            index
            for index, xf in enumerate(book.xf_list)
            if (fmt := book.format_map.get(xf.format_key)) is not None
            and _shows_percent(fmt.format_str.encode("utf-8", "replace"))
        }
        for index in range(book.nsheets if percent else 0):
            sheet = book.sheet_by_index(index)
            cells = {
                (r, c)
                for r in range(sheet.nrows)
                for c, kind in enumerate(sheet.row_types(r))
                if kind == xlrd.XL_CELL_NUMBER and sheet.cell_xf_index(r, c) in percent
            }
            if cells:
                out[sheet.name] = cells
            book.unload_sheet(index)
        book.release_resources()
    except Exception:  # noqa: BLE001 — only xlrd runs here; what it cannot style stands as calamine read it
        return {}
    return out


def show_percentages(grids, cells: dict[str, set[tuple[int, int]]]) -> None:
    """Number cells under a percent format become the text the sheet shows ("95%"), merged copies included."""
    for grid in grids:
        for r, c in cells.get(grid.name, ()):
            value = grid.value(r, c)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown = as_shown(value)
                for (rr, cc), anchor in [((r, c), (r, c)), *grid.anchors.items()]:
                    if anchor == (r, c) and rr < len(grid.rows) and cc < len(grid.rows[rr]):
                        grid.rows[rr][cc] = shown


def as_shown(value: float) -> str:
    """0.955 under a percent format is shown as 95.5%."""
    text = f"{value * 100:.8f}".rstrip("0").rstrip(".")
    return f"{text}%"
