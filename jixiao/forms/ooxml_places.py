"""Where each part of an .xlsx or .docx package stands, named as a clerk would find it in Excel or Word: the
worksheet a part belongs to (by the workbook's relationships), the section of a Word header or footer, the
paragraph, table, cell, comment or property an element is.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from jixiao.location import Location, masked_name

HEADERS = {
    "oddHeader": "页眉",
    "oddFooter": "页脚",
    "evenHeader": "偶数页页眉",
    "evenFooter": "偶数页页脚",
    "firstHeader": "首页页眉",
    "firstFooter": "首页页脚",
}
_WORD_KINDS = {"default": "", "even": "偶数页", "first": "首页"}
_PROPERTY_PARTS = {"docProps/core.xml": "文档属性", "docProps/app.xml": "文档属性"}
_W_ID = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id"


@dataclass
class PartNames:
    sheets: dict[str, str]  # worksheet part -> sheet name
    owners: dict[str, str]  # comments/drawing/chart part -> sheet name
    word_parts: dict[str, str]  # header/footer part -> "第 1 节首页页眉"


def part_names(parts: dict[str, bytes]) -> PartNames:
    names = PartNames({}, {}, {})
    workbook = parts.get("xl/workbook.xml")
    rels = _rels(parts, "xl/workbook.xml")
    if workbook:
        for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)>", workbook):
            attrs = dict(re.findall(rb'([\w:]+)="([^"]*)"', m.group(1)))
            rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
            target = rels.get(rid.decode()) if rid else None
            if target and b"name" in attrs:
                names.sheets[target] = _unescape(attrs[b"name"].decode("utf-8", "replace"))
    for sheet_part, sheet in list(names.sheets.items()):
        for target in _rels(parts, sheet_part).values():
            names.owners[target] = sheet
            for inner in _rels(parts, target).values():  # a drawing's charts
                names.owners[inner] = sheet
    document = parts.get("word/document.xml")
    if document:
        doc_rels = _rels(parts, "word/document.xml")
        sections = re.split(rb"</(?:\w+:)?sectPr>", document)
        for s, chunk in enumerate(sections[:-1] or sections, start=1):
            for m in re.finditer(rb"<(?:\w+:)?(header|footer)Reference\b([^>]*)>", chunk):
                attrs = dict(re.findall(rb'([\w:]+)="([^"]*)"', m.group(2)))
                kind = _WORD_KINDS.get(attrs.get(b"w:type", b"default").decode(), "")
                rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"").decode()
                label = "页眉" if m.group(1) == b"header" else "页脚"
                if rid in doc_rels:
                    names.word_parts.setdefault(doc_rels[rid], f"第 {s} 节{kind}{label}")
    return names


def _rels(parts: dict[str, bytes], part: str) -> dict[str, str]:
    """Relationship id -> target part (resolved against the part's folder); external targets left out."""
    folder, base = posixpath.split(part)
    content = parts.get(posixpath.join(folder, "_rels", base + ".rels"))
    out = {}
    for m in re.finditer(rb"<Relationship\b([^>]*)>", content or b""):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get(b"TargetMode") == b"External" or b"Id" not in attrs or b"Target" not in attrs:
            continue
        target = attrs[b"Target"].decode("utf-8", "replace")
        resolved = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[attrs[b"Id"].decode()] = resolved
    return out


def _unescape(text: str) -> str:
    return html.unescape(text)


def base_location(display: str, name: str, names: PartNames) -> Location:
    here = Location(display)
    if name in names.sheets:
        return Location(display, names.sheets[name])
    if name in names.owners:
        kind = "批注" if "comment" in name.lower() else "图表" if "/charts/" in name else "图形与文本框"
        return Location(display, names.owners[name], part=kind)
    if name in names.word_parts:
        return here.in_part(names.word_parts[name])
    simple = {
        "word/footnotes.xml": "脚注",
        "word/endnotes.xml": "尾注",
        "word/comments.xml": "批注",
        "word/commentsExtended.xml": "批注",
        "word/people.xml": "批注人",
        "xl/workbook.xml": "工作簿",
        "xl/sharedStrings.xml": "共享字符串",
        "docProps/custom.xml": "自定义属性",
    }
    if name in simple:
        return here.in_part(simple[name])
    if name in _PROPERTY_PARTS:
        return here.in_part(_PROPERTY_PARTS[name])
    if name.startswith("xl/persons/"):
        return here.in_part("批注人")
    if name.startswith("xl/threadedComments/") or name.startswith("xl/comments"):
        return here.in_part("批注")
    return here.in_part(f"部件 {name}")


def place(name: str, tag: str, element, parent: Location, depth: int, n: int) -> Location:
    """The place of an element (the ``n``-th of its tag under its parent): a paragraph or table of the body, a
    header of a sheet, a comment's cell …"""
    if name == "word/document.xml" and depth == 2 and tag in ("p", "tbl"):  # document > body > p|tbl
        return parent.in_part(f"第 {n} 段" if tag == "p" else f"表 {n}")
    if name.startswith("word/") and tag == "tbl" and depth > 2:
        return parent.in_part(f"{parent.part or ''}（嵌套表 {n}）".strip())
    if tag in ("tr", "tc") and name.startswith("word/"):
        return parent.in_part(f"{parent.part or ''} 第 {n} {'行' if tag == 'tr' else '列'}".strip())
    if tag in ("del", "moveFrom"):
        return parent.in_part(f"{parent.part or ''}（修订删除的文字）".strip())
    if tag == "txbxContent":
        return parent.in_part(f"{parent.part or ''} 文本框".strip())
    if tag in HEADERS:
        return parent.in_part(HEADERS[tag])
    if tag in ("comment", "threadedComment") and element.get("ref"):
        return Location(parent.file, parent.sheet, element.get("ref"), part=parent.part)
    if tag in ("footnote", "endnote", "comment") and element.get(_W_ID):
        return parent.in_part(f"{parent.part} {element.get(_W_ID)}")
    if tag == "definedName":
        return parent.in_part(f"定义的名称“{masked_name(element.get('name', ''))}”")
    if tag == "sheet" and name == "xl/workbook.xml":
        return parent.in_part("工作表名称")
    if tag == "f":
        return parent.in_part("公式")
    if tag == "c" and element.get("r") and parent.sheet:
        return Location(parent.file, parent.sheet, element.get("r"), part=parent.part)
    if name in _PROPERTY_PARTS and depth == 1:
        return parent.in_part(f"文档属性 {tag}")
    if name == "docProps/custom.xml" and tag == "property":
        return parent.in_part(f"自定义属性“{masked_name(element.get('name', ''))}”")
    return parent
