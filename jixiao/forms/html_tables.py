"""Workbooks that are web pages: many finance systems export ".xls" files that are HTML tables inside.

Each <table> becomes a Grid, with colspan/rowspan expanded the way merged cells are, so every sheet reader works
on them unchanged. The encoding comes from the page's meta charset, else UTF-8, else GB18030.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from jixiao.forms.workbook import Grid

_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


def decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:2048])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self._cell = []
            self._span = (_int(attrs.get("rowspan")), _int(attrs.get("colspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"[ \t\r\f\v\xa0]+", " ", "".join(self._cell)).strip()
            self.tables[-1][-1].append((text, *self._span))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _int(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def read_html_tables(data: bytes, display: str) -> list[Grid]:
    parser = _Tables()
    parser.feed(decode(data))
    grids = []
    for n, table in enumerate(parser.tables, start=1):
        grid = Grid(display, f"表{n}", [])
        # Cells covered by a span from a row above: placed once, when the spanning cell is met, so each cell is
        # visited once (rescanning every span for every cell took 7 s for 1,000 rows × 10 columns).
        taken: set[tuple[int, int]] = set()
        for r, cells in enumerate(table):
            c = 0
            for text, rowspan, colspan in cells:
                while (r, c) in taken:
                    c += 1
                value = _value(text)
                # A span past the table's last row ends with the table, as browsers draw it.
                for dr in range(min(rowspan, len(table) - r)):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                        _put(grid, r + dr, c + dc, value)
                        if dr or dc:
                            grid.anchors[(r + dr, c + dc)] = (r, c)
                c += colspan
        grids.append(grid)
    return grids


def _put(grid: Grid, r: int, c: int, value) -> None:
    while len(grid.rows) <= r:
        grid.rows.append([])
    row = grid.rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value


def _value(text: str):
    """Numbers stay numbers (as a spreadsheet would hold them); everything else is text, None if empty."""
    if not text:
        return None
    plain = text.replace(",", "")
    if re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
        number = float(plain)
        return int(number) if number.is_integer() and "." not in plain else number
    return text
