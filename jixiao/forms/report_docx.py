"""自评报告 (.docx): sections in order, headings found by their numbering whether or not they use heading styles.

Numbering levels: 一、 → 1, （一） → 2, 1. / 1、 → 3, （1） → 4. Real reports lose their automatic numbering and write
"（2）" where "（二）" was meant; such a heading is read as level 2 when no level-3 heading stands above it.
Paragraphs stay paragraphs, list paragraphs become "- " lines, tables are kept cell by cell, pictures are noted.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from jixiao.findings import InvalidData, problem
from jixiao.forms.input_file import ENCRYPTED_MARK, OLE_MAGIC, refuse_empty
from jixiao.forms.statements import extract_statements
from jixiao.forms.tables import Extract
from jixiao.forms.workbook import Grid, cell_value
from jixiao.location import Location

KIND = "自评报告"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^\d+\s*[.、．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[)）]")),
]
# "（2）目标设置（4分）。绩效目标制定科学合理……": a heading and its text in one paragraph.
_INLINE = re.compile(r"^(.{2,40}?[（(]\d+(?:\.\d+)?分[)）])[。.：:]\s*(.+)$")
MAX_HEADING = 30


def read_report(data: bytes, display: str) -> tuple[Extract, list[Grid]]:
    """The report's sections and stated figures, and its tables as grids (a report often carries the forms)."""
    return read_document(open_document(data, display), display)


def open_document(data: bytes, display: str):
    """A .docx parsed by python-docx, or a located error saying why it cannot be."""
    from docx import Document

    _refuse_non_documents(data, display)
    try:
        return Document(io.BytesIO(data))
    except Exception as err:  # python-docx's own parse of a damaged package; no jixiao code runs in here
        raise InvalidData(
            [problem("unreadable-file", display, f"无法读取该 Word 文档：{str(err)[:200]}")]
        ) from None


def read_document(doc, display: str) -> tuple[Extract, list[Grid]]:
    blocks = list(_blocks(doc))
    ex = report_from_blocks(blocks, display, None)
    if not ex.data["report"]["sections"]:
        ex.problem(
            "missing-headings",
            display,
            "找不到编号标题（一、 （一） 1. （1）），无法分节；请确认这是自评报告",
        )
    return ex, _grids(doc, display)


def report_from_blocks(blocks: list[tuple], display: str, title: str | None) -> Extract:
    """A report from paragraph blocks of any source (Word, a saved page, a PDF's text)."""
    ex = Extract()
    found_title, sections = _sections(blocks)
    report = {"title": title or found_title or Path(display).stem, "sections": sections}
    report.update(extract_lists(sections))
    if not sections:
        # Prose without numbered headings (a portal notice, a PDF's opening): its figures still count.
        text = "\n\n".join(b[1] for b in blocks if b[0] == "p" and b[1])
        stated = extract_statements([{"heading": "", "text": text}]) if text else []
    else:
        stated = extract_statements(sections)
    if stated:
        report["stated"] = stated
    ex.set("report", report, Location(display))
    return ex


def _grids(doc, display: str) -> list[Grid]:
    """Every table of the document as a grid (表1, 表2 …); a merged cell shows its text in every slot it covers."""
    grids = []
    captions = _captions(doc)
    for n, table in enumerate(doc.tables, start=1):
        grid = Grid(display, f"表{n}", [])
        seen: dict = {}  # keyed by the cell element itself: a merged cell is one element
        for r, row in enumerate(table.rows):
            values = []
            for c, cell in enumerate(row.cells):
                text = "\n".join(p.text for p in cell.paragraphs).strip()
                anchor = seen.setdefault(cell._tc, (r, c))
                if anchor != (r, c):
                    grid.anchors[(r, c)] = anchor
                values.append(cell_value(text))
            grid.rows.append(values)
        grid.caption = captions[n - 1] if n - 1 < len(captions) else []
        grids.append(grid)
    return grids


def _captions(doc) -> list[list[str]]:
    """For each table of the body, the last paragraphs (at most three) between it and the table before it."""
    out, since = [], []
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = "".join(t.text or "" for t in child.iter(f"{W}t")).strip()
            if text:
                since.append(text)
        elif child.tag == f"{W}tbl":
            out.append(since[-3:])
            since = []
    return out


def document_texts(doc, display: str):
    """Every text of a Word report with its place: paragraphs, table cells, properties, headers and footers."""
    here = Location(display)
    for n, para in enumerate(doc.paragraphs, start=1):
        if para.text.strip():
            yield here.in_part(f"第 {n} 段"), para.text
    for t, table in enumerate(doc.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                if cell.text.strip():
                    yield here.in_part(f"表 {t} 第 {r} 行第 {c} 列"), cell.text
    props = doc.core_properties
    for field in ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category"):
        value = getattr(props, field, None)
        if value:
            yield here.in_part(f"文档属性 {field}"), str(value)
    for s, section in enumerate(doc.sections, start=1):
        for part, label in ((section.header, "页眉"), (section.footer, "页脚")):
            text = "\n".join(p.text for p in part.paragraphs)
            if text.strip():
                yield here.in_part(f"第 {s} 节{label}"), text


def _refuse_non_documents(data: bytes, display: str) -> None:
    refuse_empty(data, display)
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            raise InvalidData(
                [problem("encrypted-file", display, "文件已加密（设置了打开密码），请提供未加密的文件")]
            )
        raise InvalidData(
            [problem("unsupported-format", display, "这是旧版 Word（.doc）文件，请用 Word 另存为 .docx")]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidData([problem("unreadable-file", display, "不是 Word 文档（.docx），文件可能已损坏")])


def _blocks(doc):
    """Paragraphs and tables in document order: ("p", text, bold, style, pictures, is_list) or ("t", rows)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            para = Paragraph(child, doc)
            text = para.text.replace("\u3000", " ").strip()
            runs = [r for r in para.runs if r.text.strip()]
            bold = bool(runs) and all(r.bold or (r.bold is None and _style_bold(para)) for r in runs)
            pictures = [
                _picture_name(doc, blip)
                for blip in child.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
            ]
            is_list = child.find(f"{W}pPr/{W}numPr") is not None or _style_numbered(para)
            yield ("p", text, bold, para.style.name if para.style is not None else "", pictures, is_list)
        elif child.tag == f"{W}tbl":
            table = Table(child, doc)
            rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            yield ("t", rows)


def _style_numbered(para) -> bool:
    """Bullets and numbering may come from the paragraph's style ("List Bullet") rather than the paragraph."""
    style = para.style
    while style is not None:
        if style.element.find(f"{W}pPr/{W}numPr") is not None:
            return True
        style = style.base_style
    return False


def _style_bold(para) -> bool:
    style = para.style
    return bool(style is not None and style.font is not None and style.font.bold)


def _picture_name(doc, blip) -> str:
    rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    part = doc.part.related_parts.get(rid) if rid else None
    return Path(str(part.partname)).name if part is not None else "图片"


def _level(text: str) -> int | None:
    return next((level for level, pattern in _LEVELS if pattern.match(text)), None)


def _sections(blocks) -> tuple[str | None, list[dict]]:
    title_parts, sections, paragraphs = [], [], []
    last_seen = {1: -1, 2: -1, 3: -1, 4: -1}

    def flush():
        if sections:
            sections[-1]["text"] = "\n\n".join(paragraphs)
        paragraphs.clear()

    for index, block in enumerate(blocks):
        if block[0] == "t":
            if sections:
                sections[-1].setdefault("tables", []).append(block[1])
            continue
        _, text, bold, style, pictures, is_list = block
        if pictures and sections:
            sections[-1].setdefault("pictures", []).extend(pictures)
        if not text:
            continue
        text = text.replace("[bookmark: _GoBack]", "").strip()
        heading_style = heading_style_level(style) is not None
        # A heading style is a heading even when Word numbers it automatically (the number is not in the text).
        level = _level(text) or (heading_style_level(style) if heading_style else None)
        inline = _INLINE.match(text) if level else None
        if level and (bold or heading_style or len(text) <= MAX_HEADING):
            heading, body = text.rstrip("。"), None
        elif inline and len(inline.group(1)) <= MAX_HEADING:
            heading, body = inline.group(1), inline.group(2)
        else:
            if not sections and (bold or not title_parts) and len(text) <= 60 and not level:
                title_parts.append(text)
            else:
                paragraphs.append(("- " + text) if is_list else text)
            continue
        level = heading_style_level(style) or level
        if level == 4 and last_seen[3] < last_seen[2]:
            level = 2  # "（2）" written where "（二）" was meant: a sibling of the （一） above, not a child.
        last_seen[level] = index
        flush()
        heading = re.sub(r"^((?:[（(]\d+[)）])|\d+[、.．])\s+", r"\1", heading)
        sections.append({"heading": heading, "level": level, "text": ""})
        if body:
            paragraphs.append(body)
    flush()
    for section in sections:
        if not section["text"]:
            section["text"] = ""
    return "".join(title_parts) or None, sections


def heading_style_level(style: str) -> int | None:
    match = re.match(r"(?:heading|标题)\s*(\d)", style.lower())
    return min(int(match.group(1)), 4) if match else None


def extract_lists(sections: list[dict]) -> dict:
    """存在问题 and 改进建议 as lists, split at 一是/二是… or at 1. 2. numbering."""
    out = {}
    for key, endings in (
        ("problems", ("存在问题", "主要问题", "存在的问题")),
        ("suggestions", ("改进建议", "建议", "改进措施")),
    ):
        section = next((s for s in sections if s["heading"].endswith(endings) and s.get("text")), None)
        if section:
            out[key] = split_points(section["text"])
    return out


def split_points(text: str) -> list[str]:
    text = " ".join(p.strip() for p in text.split("\n\n"))
    parts = re.split(r"(?=[一二三四五六七八九十]是)", text)
    if len(parts) < 2:
        parts = re.split(r"(?=(?<![\d.])\d+[.、．](?!\d))", text)
    return [p.strip() for p in parts if p.strip()]
