"""PDFs with a text layer as grids and prose, through pdfplumber (pdfminer.six underneath).

Tables are found by their ruling lines; a table that ends at the bottom of a page and goes on at the top of the next
with the same columns is one table (a header row repeated on the new page is dropped). Merged cells come back as
empty slots and are anchored to the cell whose box covers them. Prose is the text outside the tables, without the
running headers and footers (lines that repeat on most pages) and page numbers ("3", "- 3 -", "第 3 页", "3/12").
A PDF without a text layer (a scan) yields nothing and a finding says so.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from jixiao import limits
from jixiao.findings import Finding, InvalidData, problem
from jixiao.forms.input_file import Text
from jixiao.forms.pdf_texts import PdfTexts
from jixiao.forms.workbook import Grid, cell_value
from jixiao.location import Location

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
    # The publish gate's: every text of the document with its place, and why parts of it cannot be scanned.
    texts: list[Text] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)
    # Tables that name an evaluation table's columns but could not be read reliably (a finding each, never silence).
    refused: list[Finding] = field(default_factory=list)


def read_pdf(data: bytes, display: str, tables: bool = True) -> PdfRead:
    """The PDF's tables and prose (unless ``tables`` is false: the gate's texts only, for an original jixiao does
    not read), within the limits on pages and time."""
    with _opened(data, display) as pdf:
        pages = len(pdf.pages)
        if pages > limits.MAX_PDF_PAGES:
            raise _too_large(display, f"PDF 有 {pages:,} 页，超过上限 {limits.MAX_PDF_PAGES:,}")
        deadline = time.monotonic() + limits.SECONDS_PER_FILE
        gate = PdfTexts(display)
        pieces, lines_by_page, chars, refused = [], [], 0, []
        for number, page in enumerate(pdf.pages, start=1):
            if time.monotonic() > deadline:
                raise _too_large(display, f"PDF 读取超过 {limits.SECONDS_PER_FILE} 秒，疑为恶意文件")
            chars += len(page.chars)
            gate.add_page(number, page)
            if tables:
                refused += _read_page(page, number, pieces, lines_by_page, display)
            page.close()  # its parsed objects are not needed again: memory stays flat over long documents
        texts, unscanned = gate.finish(pdf)
    if chars == 0 or not tables:
        return PdfRead([], [], pages, chars == 0, texts, unscanned)
    blocks = list(_paragraphs(_body_lines(lines_by_page)))
    return PdfRead(_join(pieces, display), blocks, pages, False, texts, unscanned, refused)


def _too_large(display: str, message: str) -> InvalidData:
    return InvalidData([problem("file-too-large", display, message)])


def _read_page(page, number: int, pieces: list, lines_by_page: list, display: str) -> list[Finding]:
    """The page's tables (with the lines just above each) and its lines outside them; a finding for each table
    that names an evaluation table's columns but could not be read."""
    found = [(t, _rows(t)) for t in page.find_tables()]
    if not found:
        # No ruling lines: columns and rows from the words' alignment, kept only when the header names an
        # evaluation table's columns (a report's prose laid out in columns is no table, and stays prose).
        found = [
            (t, [row for row in _text_rows(t) if any(cell and cell[0] for cell in row)])
            for t in page.find_tables(_TEXT_TABLES)
        ]
        kept, refused = [], []
        for table, rows in found:
            header = _evaluation_header(rows)
            if header is not None and not _wrapped(rows, header):
                kept.append((table, rows))
            elif header is not None or _header_words_in_columns(rows) >= 2:
                # Wrapped cells (which may split the header too: "三级指" / "标"): reported, never half-read.
                refused.append(
                    problem(
                        "unmapped-table",
                        Location(display).in_part(f"第 {number} 页"),
                        "这张表没有框线，且单元格内的文字折行：分不清哪些行属于同一指标，未读取；"
                        "请提供 Excel 原件或带框线的 PDF",
                    )
                )
        found = kept
    else:
        refused = []
    boxes = [t.bbox for t, _ in found]
    outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
    lines = _lines(outside)
    for table, rows in found:
        pieces.append((number, page.height, table.bbox, rows, _above(lines, table.bbox)))
    lines_by_page.append((page.height, lines))
    return refused


_TEXT_TABLES = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def _text_rows(table) -> list[list]:
    """Cell texts with their boxes for a table found by alignment: each character in the cell its centre lies in
    (a crop would take the neighbours' characters that reach over the invisible cell edge)."""
    return [
        [
            (_clean(text or ""), bbox) if bbox is not None else None
            for bbox, text in zip(row.cells, texts, strict=False)
        ]
        for row, texts in zip(table.rows, table.extract(), strict=False)
    ]


def _wrapped(rows: list[list], header: int) -> bool:
    """Whether a cell's text wraps onto further lines: without ruling lines each line comes out as a row of its
    own ("受益群" / "众对道" / "路维护"), and guessing which belong together could invent indicators, so such a
    table is not read (the file is refused with what was found, never half-read)."""
    from jixiao.forms.tables import STOP_LABELS

    for row in rows[header + 1 :]:
        texts = [cell[0] for cell in row if cell and cell[0]]
        if len(texts) < 3 and not texts[0].startswith(STOP_LABELS):
            return True
    return False


_HEADER_WORDS = ("三级指标", "评价指标", "指标值", "完成值", "实际值", "分值", "得分")


def _header_words_in_columns(rows: list[list]) -> int:
    """How many columns name an evaluation table's column in their first lines read together."""
    columns: dict[int, str] = {}
    for row in rows[:10]:
        for c, cell in enumerate(row):
            if cell and cell[0]:
                columns[c] = columns.get(c, "") + cell[0]
    return sum(1 for text in columns.values() if any(word in text for word in _HEADER_WORDS))


def _evaluation_header(rows: list[list]) -> int | None:
    """Which of the first rows heads an indicator table (三级指标 with 指标值 or 实际完成值) or a scoring
    table (三级指标 or 评价指标 with 得分)."""
    from jixiao.forms.headers import INDICATOR_HEADERS, column_of
    from jixiao.forms.scoring_sheet import SCORE_HEADERS

    for n, row in enumerate(rows[:6]):
        texts = [cell[0] for cell in row if cell and cell[0]]
        indicator = {column_of(t, INDICATOR_HEADERS) for t in texts}
        scoring = {column_of(t, SCORE_HEADERS) for t in texts}
        if "name" in indicator and indicator & {"target", "actual"}:
            return n
        if "name" in scoring and "score" in scoring:
            return n
    return None


@contextlib.contextmanager
def _opened(data: bytes, display: str):
    """The document open, and every error pdfminer or pdfplumber raise while reading it (their own exception types
    and the plain ones they let through from damaged files) a located error; an error jixiao's own code raises
    is not disguised as a broken file."""
    import pdfplumber

    # pdfminer logs every font it finds odd; a clerk needs none of it.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            yield pdf
    except InvalidData:
        raise
    except Exception as err:
        if not _raised_by_pdf_library(err):
            raise
        text = str(err)
        reason = "文件已加密" if "encrypt" in text.lower() or "password" in text.lower() else text
        raise InvalidData([problem("unreadable-file", display, f"PDF 无法读取：{reason[:200]}")]) from None


def _raised_by_pdf_library(err: Exception) -> bool:
    """Whether the innermost code of jixiao or of the PDF libraries that ``err`` went through is the libraries':
    their own errors and the plain ones (KeyError, struct.error …) a damaged file makes them raise. A function of
    jixiao's that pdfplumber calls (a filter) and that fails is jixiao's bug, not a broken file."""
    for frame, _ in reversed(list(traceback.walk_tb(err.__traceback__))):
        module = frame.f_globals.get("__name__", "")
        if module.startswith(_LIBRARIES):
            return True
        if module.startswith("jixiao"):
            return False
    return False


_LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")


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
    grid = Grid(display, name, [[(cell_value(cell[0]) if cell else None) for cell in row] for row in rows])
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
    for height, lines in pages:
        for top, text in lines:
            if top < height * _EDGE or top > height * (1 - _EDGE):
                edge_texts[re.sub(r"\d+", "#", text)] += 1
    repeated = {t for t, n in edge_texts.items() if n >= max(2, len(pages) // 2)} if len(pages) > 1 else set()
    body = []
    for height, lines in pages:
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
