"""PDFs with a text layer as grids and prose, through pdfplumber (pdfminer.six underneath).

Tables are found by their ruling lines; a table that ends at the bottom of a page and goes on at the top of the next
with the same columns is one table (a header row repeated on the new page is dropped). Merged cells come back as
empty slots and are anchored to the cell whose box covers them. Prose is the text outside the tables, without the
running headers and footers (lines that repeat on most pages) and page numbers ("3", "- 3 -", "第 3 页", "3/12").
A PDF without a text layer (a scan) yields nothing and a finding says so.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from jixiao.findings import InvalidData, problem
from jixiao.forms.workbook import Grid

_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*\d{1,4}|\s*共\s*\d+\s*页)?[-—–\s]*$"
)
_EDGE = 0.12  # the top and bottom 12% of a page hold running headers and footers


@dataclass
class PdfRead:
    grids: list[Grid]
    blocks: list[tuple]
    pages: int
    scanned: bool


def read_pdf(data: bytes, display: str) -> PdfRead:
    import logging

    import pdfplumber

    # pdfminer logs every font it finds odd; a clerk needs none of it.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as err:
        raise InvalidData(
            [problem("unreadable-file", display, f"无法读取该 PDF：{str(err)[:200]}")]
        ) from None
    except Exception as err:  # pdfminer raises its own PDFException subclasses for encrypted and broken files
        if type(err).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2")):
            reason = (
                "文件已加密" if "encrypt" in str(err).lower() or "password" in str(err).lower() else str(err)
            )
            raise InvalidData(
                [problem("unreadable-file", display, f"无法读取该 PDF：{reason[:200]}")]
            ) from None
        raise
    with pdf:
        pieces, lines_by_page = [], []
        chars = 0
        for number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            found = page.find_tables()
            boxes = [t.bbox for t in found]
            outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
            lines = _lines(outside)
            for table in found:
                pieces.append((number, page.height, table.bbox, _rows(table), _above(lines, table.bbox)))
            text = outside.extract_text(layout=False) or ""
            lines_by_page.append((page.height, lines, text))
        if chars == 0:
            return PdfRead([], [], len(pdf.pages), True)
        grids = _join(pieces, display)
        blocks = list(_paragraphs(_body_lines(lines_by_page)))
        return PdfRead(grids, blocks, len(pdf.pages), False)


def _above(lines: list[tuple[float, str]], bbox) -> list[str]:
    """The last lines (at most three) standing within 60 points above a table: its title, its unit."""
    return [text for top, text in lines if bbox[1] - 60 <= top < bbox[1] and not _PAGE_NUMBER.match(text)][
        -3:
    ]


def _inside(obj, boxes) -> bool:
    if "x0" not in obj:
        return False
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _rows(table) -> list[list]:
    """Cell texts with their boxes; a slot a merged cell covers gets the covering cell's text and box."""
    real = [bbox for row in table.rows for bbox in row.cells if bbox is not None]
    texts = {bbox: _clean(table.page.crop(bbox).extract_text() or "") for bbox in real}
    # The grid's lines: every cell edge. A slot lies between two neighbouring edges.
    xs = sorted({round(b[0], 1) for b in real} | {round(b[2], 1) for b in real})
    ys = sorted({round(b[1], 1) for b in real} | {round(b[3], 1) for b in real})
    out = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, bbox in enumerate(row.cells):
            if bbox is None and c + 1 < len(xs) and r + 1 < len(ys):
                # The slot's centre lies inside the merged cell that covers it.
                x = (xs[c] + xs[c + 1]) / 2
                y = (ys[r] + ys[r + 1]) / 2
                bbox = next((b for b in real if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
            cells.append((texts[bbox], bbox) if bbox is not None else None)
        out.append(cells)
    return out


def _clean(text: str) -> str:
    # A wrapped line inside a cell is one text: CJK lines join without a space.
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    joined = ""
    for line in lines:
        if joined and re.search(r"[A-Za-z0-9]$", joined) and re.match(r"[A-Za-z0-9]", line):
            joined += " "
        joined += line
    return joined


def _join(pieces, display: str) -> list[Grid]:
    """Tables in reading order; one that runs over a page break continues the one before it."""
    tables: list[dict] = []
    for page, height, bbox, rows, caption in pieces:
        previous = tables[-1] if tables else None
        if (
            previous is not None
            and page == previous["last_page"] + 1
            and previous["bottom"] > height * (1 - 2 * _EDGE)
            and bbox[1] < height * 2 * _EDGE
            and len(rows[0]) == len(previous["rows"][0])
        ):
            # The header repeated on the new page: as many leading rows as repeat the table's first ones (a
            # two-row header repeats both).
            repeated = 0
            while repeated < min(len(rows) - 1, len(previous["rows"]), 4) and _texts(
                rows[repeated]
            ) == _texts(previous["rows"][repeated]):
                repeated += 1
            rows = rows[repeated:]
            previous["rows"].extend(rows)
            previous["last_page"], previous["bottom"] = page, bbox[3]
            continue
        tables.append(
            {"first_page": page, "last_page": page, "bottom": bbox[3], "rows": list(rows), "caption": caption}
        )
    grids = []
    per_page: Counter = Counter()
    for table in tables:
        per_page[table["first_page"]] += 1
        name = f"第{table['first_page']}页表{per_page[table['first_page']]}"
        grid = _grid(table["rows"], display, name)
        grid.caption = table["caption"]
        grids.append(grid)
    return grids


def _texts(row) -> list[str | None]:
    return [cell[0] if cell else None for cell in row]


def _grid(rows, display: str, name: str) -> Grid:
    from jixiao.forms.html_tables import _value

    grid = Grid(display, name, [[(_value(cell[0]) if cell else None) for cell in row] for row in rows])
    first: dict = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            anchor = first.setdefault(cell[1], (r, c))  # a merged cell: one box over several slots
            if anchor != (r, c):
                grid.anchors[(r, c)] = anchor
    return grid


def _lines(page) -> list[tuple[float, str]]:
    """The page's text lines with their vertical position."""
    out = []
    for line in page.extract_text_lines(return_chars=False):
        text = line["text"].strip()
        if text:
            out.append((line["top"], text))
    return out


def _body_lines(pages) -> list[str]:
    """Every page's lines without running headers, footers and page numbers."""
    edge_texts: Counter = Counter()
    for height, lines, _ in pages:
        for top, text in lines:
            if top < height * _EDGE or top > height * (1 - _EDGE):
                edge_texts[re.sub(r"\d+", "#", text)] += 1
    repeated = {t for t, n in edge_texts.items() if n >= max(2, len(pages) // 2)} if len(pages) > 1 else set()
    body = []
    for height, lines, _ in pages:
        for top, text in lines:
            at_edge = top < height * _EDGE or top > height * (1 - _EDGE)
            if _PAGE_NUMBER.match(text) or (at_edge and re.sub(r"\d+", "#", text) in repeated):
                continue
            body.append(text)
    return body


_STARTS_BLOCK = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[.、．](?!\d))"
)


def _paragraphs(lines: list[str]):
    """Lines joined into paragraphs: a paragraph ends with 。, with a line much shorter than a full one (a heading,
    a paragraph's last line), or before a numbered heading."""
    full = max((len(line) for line in lines), default=0)
    current, last = "", ""
    for line in lines:
        if current and (
            _STARTS_BLOCK.match(line) or last.endswith(("。", "：", ":", "；")) or len(last) < 0.7 * full
        ):
            yield ("p", current, False, "", [], False)
            current = ""
        current += line
        last = line
    if current:
        yield ("p", current, False, "", [], False)
