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
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.forms.input_file import OLE_MAGIC, ZIP_MAGIC, InputFile, Text, is_html
from jixiao.forms.parts_legacy import ole_texts, xls_check_sizes
from jixiao.forms.parts_ooxml import (
    Package,
    check_sheet_sizes,
    open_package,
    package_texts,
    part_names,
    raw_texts,
)
from jixiao.location import Location

PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".emf", ".wmf", ".svg"}
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
        return pdf_texts(data, display)
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
        rowspan, colspan = _span(attrs.get("rowspan")), _span(attrs.get("colspan"))
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


def _span(value) -> int:
    try:
        return max(1, int(str(value).strip()[:12]))
    except (TypeError, ValueError):
        return 1


def read_page(data: bytes, display: str) -> _PageTexts:
    """A web page read once: its texts and attributes, its tables' geometry checked against the limits."""
    from jixiao.forms.html_tables import decode

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


def pdf_texts(data: bytes, display: str) -> Scan:
    """The text of every page (poppler's pdftotext) and the document information and XMP metadata."""
    if not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        return Scan([], ["本机没有 pdftotext（poppler-utils），无法读取 PDF 文字"])
    try:
        # poppler's tools read a file: a private copy of the bytes that were checked, not the path again.
        with tempfile.NamedTemporaryFile(prefix="jixiao-", suffix=".pdf") as copy:
            copy.write(data)
            copy.flush()
            return _pdf_texts(Path(copy.name), data, display)
    except InvalidData as err:
        # A PDF that cannot be read is withheld with the reason, never a stopped build (it may hold no data).
        return Scan([], [f.message for f in err.findings])


def _pdf_texts(path: Path, data: bytes, display: str) -> Scan:
    here = Location(display)
    info = _run(["pdfinfo", "-enc", "UTF-8", str(path)], display)
    meta = _run(["pdfinfo", "-enc", "UTF-8", "-meta", str(path)], display)
    pages = int(m.group(1)) if (m := re.search(r"^Pages:\s+(\d+)", info, re.M)) else 0
    if pages > limits.MAX_PDF_PAGES:
        raise InvalidData(
            [problem("file-too-large", display, f"PDF 有 {pages:,} 页，超过上限 {limits.MAX_PDF_PAGES:,}")]
        )
    texts: list[Text] = []
    for line in info.splitlines():
        key, _, value = line.partition(":")
        if value.strip() and key not in ("Pages", "Page size", "File size", "PDF version", "Page rot"):
            texts.append((here.in_part(f"文档属性 {key}"), value.strip()))
    if meta.strip():
        texts.append((here.in_part("XMP 元数据"), re.sub(r"<[^>]+>", " ", meta)))
    body = _run(["pdftotext", "-enc", "UTF-8", str(path), "-"], display)
    unscanned = []
    blank = []
    for n, page in enumerate(body.split("\f")[:pages] if pages else [], start=1):
        if page.strip():
            texts.append((Location(display, f"第 {n} 页"), page))
        else:
            blank.append(n)
    if blank:
        unscanned.append(f"第 {_ranges(blank)} 页没有文字层（可能是扫描件），无法检查")
    images = (
        _run(["pdfimages", "-list", str(path)], display, required=False) if shutil.which("pdfimages") else ""
    )
    with_images = sorted({int(line.split()[0]) for line in images.splitlines()[2:] if line.split()[:1] != []})
    if with_images:
        unscanned.append(f"第 {_ranges(with_images)} 页含图片，无法检查图中文字")
    attached = (
        _run(["pdfdetach", "-list", str(path)], display, required=False) if shutil.which("pdfdetach") else ""
    )
    if re.search(r"^\d+:", attached, re.M):
        unscanned.append("含附件（嵌入的文件），无法检查其内容")
    texts.extend(raw_texts(here.in_part("PDF 其他内容"), data))
    return Scan(texts, unscanned)


def _run(command: list[str], display: str, required: bool = True) -> str:
    try:
        result = subprocess.run(command, capture_output=True, timeout=limits.SECONDS_PER_FILE, check=False)
    except subprocess.TimeoutExpired:
        raise InvalidData(
            [problem("file-too-large", display, f"PDF 读取超过 {limits.SECONDS_PER_FILE} 秒，疑为恶意文件")]
        ) from None
    if result.returncode != 0 and required:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["未知原因"]
        raise InvalidData([problem("unreadable-file", display, f"PDF 无法读取：{reason[0][:160]}")])
    return result.stdout.decode("utf-8", "replace")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1—3、7"."""
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}—{n}")
            start = None
    return "、".join(out)
