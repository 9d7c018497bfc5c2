"""What the publish gate scans of a PDF, from the same pdfplumber parse the table reader uses: the whole text of
every page (running headers and footers included), notes and link targets, the document information and the XMP
metadata; and what cannot be scanned: pages without a text layer, pictures, attached files.

One parse serves both, so the gate sees exactly what was read, and a PDF is not parsed again by other programs.
"""

from __future__ import annotations

import re

from jixiao.forms.input_file import Text
from jixiao.location import Location


class PdfTexts:
    """Filled page by page while the reader goes through the document, then ``finish``-ed with its metadata."""

    def __init__(self, display: str):
        self.display = display
        self.texts: list[Text] = []
        self.blank: list[int] = []  # pages without a text layer
        self.pictures: list[int] = []  # pages with images
        self.attached = False

    def add_page(self, number: int, page) -> None:
        text = page.extract_text() or ""
        if text.strip():
            self.texts.append((Location(self.display, f"第 {number} 页"), text))
        else:
            self.blank.append(number)
        if page.images:
            self.pictures.append(number)
        for note in page.annots:
            if (note.get("data") or {}).get("Subtype") == _name("FileAttachment"):
                self.attached = True
            for key, part in (("contents", "批注"), ("title", "批注作者"), ("uri", "链接")):
                value = _text(note.get(key))
                if value.strip():
                    self.texts.append((Location(self.display, f"第 {number} 页", part=part), value))

    def finish(self, pdf) -> tuple[list[Text], list[str]]:
        """The texts found and why parts of the document cannot be scanned."""
        here = Location(self.display)
        for key, value in (pdf.metadata or {}).items():
            if _text(value).strip():
                self.texts.append((here.in_part(f"文档属性 {key}"), _text(value)))
        xmp = _xmp(pdf)
        if xmp.strip():
            self.texts.append((here.in_part("XMP 元数据"), re.sub(r"<[^>]+>", " ", xmp)))
        unscanned = []
        if self.blank:
            unscanned.append(f"第 {_ranges(self.blank)} 页没有文字层（可能是扫描件），无法检查")
        if self.pictures:
            unscanned.append(f"第 {_ranges(self.pictures)} 页含图片，无法检查图中文字")
        if self.attached or _embedded_files(pdf):
            unscanned.append("含附件（嵌入的文件），无法检查其内容")
        return self.texts, unscanned


def _name(name: str):
    from pdfminer.psparser import LIT

    return LIT(name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _xmp(pdf) -> str:
    from pdfminer.pdftypes import resolve1

    stream = resolve1(pdf.doc.catalog.get("Metadata"))
    return stream.get_data().decode("utf-8", "replace") if hasattr(stream, "get_data") else ""


def _embedded_files(pdf) -> bool:
    """Whether the document's name tree lists attached files."""
    from pdfminer.pdftypes import resolve1

    names = resolve1(pdf.doc.catalog.get("Names"))
    files = resolve1(names.get("EmbeddedFiles")) if isinstance(names, dict) else None
    return isinstance(files, dict) and bool(resolve1(files.get("Names")) or resolve1(files.get("Kids")))


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
