"""The publish gate's reading side: every text of every file that may go onto the site, and what cannot be read.

``read_file`` (jixiao.forms) calls ``precheck`` before a format's reader (the limits on size, packages and sheet
extents, so no reader meets a hostile file unguarded) and ``scan`` after it, adding to the reader's texts every
part the reader does not look at. Files that jixiao only publishes (PDFs, pictures, archives, old Word files) are
scanned by ``scan`` alone. What cannot be scanned is returned as reasons: such a file is withheld from the site
unless the unit releases it by name in unit.yaml.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.forms.html_tables import decode, span
from jixiao.forms.input_file import OLE_MAGIC, PICTURES, ZIP_MAGIC, InputFile, Text, is_html
from jixiao.forms.ooxml_package import Package, check_sheet_sizes, open_package
from jixiao.forms.ooxml_places import part_names
from jixiao.forms.parts_legacy import ole_texts, xls_check_sizes
from jixiao.forms.parts_ooxml import package_texts, raw_texts
from jixiao.forms.pdf_source import PdfRead, read_pdf
from jixiao.location import Location

ARCHIVES = {".zip", ".rar", ".7z", ".gz", ".tar"}


@contextlib.contextmanager
def quiet_stderr():
    """Native code's own messages (python-calamine's Rust panics with their backtraces) kept off the terminal:
    the panic still becomes a located error, which is all a clerk should see."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@dataclass
class Scan:
    texts: list[Text] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)  # why (parts of) the file cannot be scanned


def precheck(file: InputFile) -> None:
    """The limits a reader must not meet unguarded: zip parts, DOCTYPEs, sheet extents and merged ranges, HTML
    tables' spans and nesting. What was parsed for this is kept on the file for its reader and for ``scan``."""
    data, display = file.data, file.display
    if file.suffix in ARCHIVES:
        return  # an archive is published unread: its members are not unzipped at all
    if data.startswith(ZIP_MAGIC):
        file.parsed = open_package(data, display)
        check_sheet_sizes(file.parsed, part_names(file.parsed.parts).sheets)
    elif data.startswith(OLE_MAGIC):
        xls_check_sizes(data, display)
    elif is_html(data):
        file.parsed = read_page(data, display)


def scan(file: InputFile, known: set[str]) -> Scan:
    """Every text of the file beyond ``known`` (what its reader already gave), with its place."""
    data, display, suffix = file.data, file.display, file.suffix
    if isinstance(file.parsed, Package):
        return Scan(*package_texts(file.parsed, known))
    if isinstance(file.parsed, _PageTexts):
        return page_scan(file.parsed, display, known)
    if data.startswith(OLE_MAGIC):
        return Scan(*ole_texts(data, display, known))
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return pdf_scan(file)
    if is_html(data):
        return page_scan(read_page(data, display), display, known)
    if suffix in PICTURES:
        return Scan([], ["图片：无法检查图中是否有个人信息"])
    if suffix in ARCHIVES:
        return Scan([], ["压缩包：其中的文件无法逐一检查"])
    return Scan(list(raw_texts(Location(display), data)), [f"不认识的文件类型（{suffix or '无扩展名'}）"])


# --- web pages ----------------------------------------------------------------------------------------------

_BLOCKS = {
    "p", "div", "td", "th", "tr", "li", "br", "table", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section",
    "article", "header", "footer", "ul", "ol", "dd", "dt", "caption", "body", "head", "html", "script", "style",
}  # fmt: skip


class _PageTexts(HTMLParser):
    """All text (joined within a block, so "138<span>1234</span>5678" is one number) and every attribute value."""

    def __init__(self, display: str):
        super().__init__(convert_charrefs=True)
        self.display = display
        self.out: list[tuple[int, str, str]] = []  # (line, part, text)
        self.buffer: list[str] = []
        self.line = 1
        self.embedded = 0
        # Table geometry, checked against the limits as the page is read: per open table, its row count, the
        # rows still covered by a rowspan in each column, and the next free column of the current row.
        self.tables: list[dict] = []
        self.count = 0

    def _cell(self, attrs: dict) -> None:
        table = self.tables[-1]
        rowspan, colspan = span(attrs.get("rowspan")), span(attrs.get("colspan"))
        covered = table["covered"]
        c = table["column"]
        while c < len(covered) and covered[c] > 0:
            c += 1
        end = c + colspan
        row = table["rows"]
        if max(rowspan, colspan) > limits.MAX_SPAN:
            self._too_large(
                f"第 {row} 行的单元格 rowspan={rowspan}、colspan={colspan}，超过上限 {limits.MAX_SPAN:,}"
            )
        if end > limits.MAX_COLUMNS or row - 1 + rowspan > limits.MAX_ROWS:
            self._too_large(
                f"第 {row} 行的单元格（rowspan={rowspan}，colspan={colspan}）超出 {limits.MAX_ROWS:,} 行、{limits.MAX_COLUMNS} 列"
            )
        covered.extend([0] * (end - len(covered)))
        for k in range(c, end):
            covered[k] = rowspan
        table["column"] = end
        table["cells"] += rowspan * colspan
        if table["cells"] > limits.MAX_CELLS:
            self._too_large(f"单元格（含合并展开）超过 {limits.MAX_CELLS:,} 个")

    def _row(self) -> None:
        table = self.tables[-1]
        table["covered"] = [max(0, n - 1) for n in table["covered"]]
        table["column"] = 0
        table["rows"] += 1
        if table["rows"] > limits.MAX_ROWS:
            self._too_large(f"超过 {limits.MAX_ROWS:,} 行")

    def _too_large(self, message: str):
        where = Location(self.display, f"表{self.tables[-1]['n']}", line=self.getpos()[0])
        raise InvalidData([problem("file-too-large", where, f"{message}（上限见 README“输入限制”）")])

    def flush(self):
        text = "".join(self.buffer).strip()
        if text:
            self.out.append((self.line, "网页文字", text))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.flush()
        if tag == "table":
            self.count += 1
            self.tables.append({"n": self.count, "rows": 0, "covered": [], "column": 0, "cells": 0})
            if len(self.tables) > limits.MAX_NESTING:
                self._too_large(f"表格嵌套超过 {limits.MAX_NESTING} 层")
        elif tag == "tr" and self.tables:
            self._row()
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]["rows"]:
                self._row()
            self._cell(dict(attrs))
        for key, value in attrs:
            if value and value.strip():
                if key in ("src", "data", "href") and value.strip().lower().startswith("data:"):
                    self.embedded += 1
                    continue
                self.out.append((self.getpos()[0], f"网页属性 {tag} {key}", value))
        if not self.buffer:
            self.line = self.getpos()[0]

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.flush()
        if tag == "table" and self.tables:
            self.tables.pop()

    def handle_data(self, data):
        if not self.buffer:
            self.line = self.getpos()[0]
        self.buffer.append(data)

    def handle_comment(self, data):
        if data.strip():
            self.out.append((self.getpos()[0], "网页注释", data))


def read_page(data: bytes, display: str) -> _PageTexts:
    """A web page read once: its texts and attributes, its tables' geometry checked against the limits."""
    parser = _PageTexts(display)
    parser.feed(decode(data))
    parser.close()
    parser.flush()
    return parser


def page_scan(parser: _PageTexts, display: str, known: set[str]) -> Scan:
    texts = [
        (Location(display, line=line, part=part), text)
        for line, part, text in parser.out
        if text not in known
    ]
    unscanned = (
        [f"含 {parser.embedded} 个内嵌图片或对象（data: 地址），无法检查其内容"] if parser.embedded else []
    )
    return Scan(texts, unscanned)


# --- PDF ----------------------------------------------------------------------------------------------------


def pdf_scan(file: InputFile) -> Scan:
    """A PDF's texts from the parse its reader made (jixiao.forms.pdf_source), or from one made now for a PDF jixiao
    does not read as data. One that cannot be read is withheld with the reason, never a stopped build (it may hold
    no data)."""
    read = file.parsed
    if not isinstance(read, (PdfRead, InvalidData)):
        try:
            read = read_pdf(file.data, file.display, tables=False)
        except InvalidData as err:
            read = err
    if isinstance(read, InvalidData):
        return Scan([], [f.message for f in read.findings])
    raw = raw_texts(Location(file.display).in_part("PDF 其他内容"), file.data)
    return Scan([*read.texts, *raw], list(read.unscanned))
