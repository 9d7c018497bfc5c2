"""Every text of every part of an .xlsx or .docx package, named as a clerk would find it in Excel or Word.

The grid readers see cells and the report reader sees paragraphs; a published original carries much more: sheet
comments and threaded comments, headers and footers of every kind, defined names, drawings, text boxes and alt
text, footnotes, endnotes, tracked insertions and deletions, document properties, links in relationship parts.
Each XML part is parsed once here (entities never resolved, a DOCTYPE refused before parsing) and its texts are
given with their place, for the personal-data scan. Parts that cannot be scanned (pictures, embedded objects,
macros) are named, so the original is withheld unless the unit releases it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.forms.addresses import column_number
from jixiao.forms.input_file import PICTURES, Text
from jixiao.location import Location, masked_name
from jixiao.privacy import may_hold

# Paragraph-like elements: their text runs are joined before scanning (Word splits "138" and "12345678" into runs).
_UNITS = {"p", "si", "is", "text", "comment", "definedName", "threadedComment", "del", "moveFrom"}
# Excel's header and footer codes (&C centre, &P page, &"宋体,常规" font, &12 size) would glue to the text.
_HEADER_CODES = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z&])')
_HEADERS = {
    "oddHeader": "页眉",
    "oddFooter": "页脚",
    "evenHeader": "偶数页页眉",
    "evenFooter": "偶数页页脚",
    "firstHeader": "首页页眉",
    "firstFooter": "首页页脚",
}
_WORD_KINDS = {"default": "", "even": "偶数页", "first": "首页"}
_PROPERTY_PARTS = {"docProps/core.xml": "文档属性", "docProps/app.xml": "文档属性"}
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,8})"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]{1,4})([0-9]{1,8})(?::([A-Z]{1,4})([0-9]{1,8}))?"')


@dataclass
class Package:
    """The parts of a zip package, each checked against the limits and decompressed once."""

    display: str
    parts: dict[str, bytes] = field(default_factory=dict)


def open_package(data: bytes, display: str) -> Package:
    """Unzip with the limits on parts, sizes, ratio and DOCTYPEs; raise InvalidData naming the part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise InvalidData(
            [problem("unreadable-file", display, f"压缩包已损坏，无法读取：{err}"[:200])]
        ) from None
    if len(infos) > limits.MAX_ZIP_PARTS:
        raise _limit(display, None, f"压缩包有 {len(infos):,} 个部件，超过上限 {limits.MAX_ZIP_PARTS:,}")
    package, total = Package(display), 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if info.file_size > limits.MAX_PART_BYTES:
            raise _limit(display, name, f"解压后 {info.file_size // limits.MB} MB，超过上限")
        content = _read_part(archive, info, display)
        total += len(content)
        if total > limits.MAX_UNZIPPED_BYTES:
            raise _limit(display, name, f"解压后合计超过 {limits.MAX_UNZIPPED_BYTES // limits.MB} MB")
        if len(content) > limits.MB and len(content) > limits.MAX_RATIO * max(info.compress_size, 1):
            raise _limit(
                display,
                name,
                f"压缩比 {len(content) // max(info.compress_size, 1)} 倍，超过上限 {limits.MAX_RATIO}",
            )
        if _is_xml(name) and (b"<!DOCTYPE" in content or b"<!ENTITY" in content):
            raise InvalidData(
                [
                    problem(
                        "unsafe-file",
                        Location(display, part=name),
                        "含 DOCTYPE 或实体声明：Office 文件不应有，疑为恶意文件",
                    )
                ]
            )
        package.parts[name] = content
    return package


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> bytes:
    """The part's bytes, read in chunks so a header that lies about the size cannot make it expand unbounded."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limits.MAX_PART_BYTES:
                    raise _limit(
                        display, info.filename, f"解压后超过 {limits.MAX_PART_BYTES // limits.MB} MB"
                    )
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ) as err:
        # RuntimeError: an encrypted part; NotImplementedError: an unknown compression method; zlib: damaged data.
        raise InvalidData(
            [problem("unreadable-file", Location(display, part=info.filename), f"部件无法解压：{err}"[:200])]
        ) from None
    return b"".join(chunks)


def _limit(display: str, part: str | None, message: str) -> InvalidData:
    where = Location(display, part=part) if part else Location(display)
    return InvalidData([problem("file-too-large", where, f"{message}（上限见 README“输入限制”）")])


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def check_sheet_sizes(package: Package, sheet_names: dict[str, str]) -> None:
    """Rows, columns and merged ranges of every worksheet within the limits, before any reader expands them."""
    for name, content in package.parts.items():
        if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
            continue
        sheet = sheet_names.get(name, name)
        rows = max((int(m.group(1)) for m in _ROW_REF.finditer(content)), default=0)
        cols = 0
        for m in _CELL_REF.finditer(content):
            rows, cols = max(rows, int(m.group(2))), max(cols, column_number(m.group(1)))
        merges = list(_MERGE.finditer(content))
        area = 0
        for m in merges:
            c0, r0 = column_number(m.group(1)), int(m.group(2))
            c1, r1 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
            rows, cols = max(rows, r1), max(cols, c1)
            area += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
        check_grid_size(package.display, sheet, rows, cols, len(merges), area)


def check_grid_size(
    display: str, sheet: str, rows: int, cols: int, merges: int = 0, merged_area: int = 0
) -> None:
    where = Location(display, sheet)
    if rows > limits.MAX_ROWS or cols > limits.MAX_COLUMNS or rows * cols > limits.MAX_CELLS:
        raise InvalidData(
            [
                problem(
                    "file-too-large",
                    where,
                    f"工作表范围 {rows:,} 行 × {cols:,} 列，超过上限 {limits.MAX_ROWS:,} 行、{limits.MAX_COLUMNS} 列、"
                    f"{limits.MAX_CELLS:,} 个单元格（上限见 README“输入限制”）",
                )
            ]
        )
    if merges > limits.MAX_MERGES or merged_area > limits.MAX_CELLS:
        raise InvalidData(
            [
                problem(
                    "file-too-large",
                    where,
                    f"{merges:,} 处合并单元格、共 {merged_area:,} 格，超过上限（上限见 README“输入限制”）",
                )
            ]
        )


# --- texts ------------------------------------------------------------------------------------------------


def package_texts(package: Package, known: set[str]) -> tuple[list[Text], list[str]]:
    """Every text of every part with its place (texts already in ``known``, the cells, are not repeated), and why
    some parts cannot be scanned."""
    parts = package.parts
    names = part_names(parts)
    texts: list[Text] = []
    unscanned: list[str] = []
    pictures = sorted(n for n in parts if n.lower().endswith(PICTURES))
    if pictures:
        unscanned.append(
            f"含 {len(pictures)} 张图片（{'、'.join(posixpath.basename(p) for p in pictures[:5])}），无法检查图中文字"
        )
    objects = sorted(
        n for n in parts if "/embeddings/" in n or n.lower().endswith(("vbaproject.bin", ".ole"))
    )
    if objects:
        unscanned.append(
            f"含 {len(objects)} 个嵌入对象或宏（{'、'.join(posixpath.basename(p) for p in objects[:5])}），无法检查其内容"
        )
    order = sorted(parts, key=lambda n: (n != "word/document.xml", n))  # the body first: it names headers
    for name in order:
        content = parts[name]
        if _is_xml(name):
            texts.extend(_xml_texts(package.display, name, content, names, known))
        elif not name.lower().endswith(PICTURES) and name not in objects:
            # Other binaries (printer settings, fonts): their readable strings, so nothing goes out unread.
            texts.extend(raw_texts(Location(package.display, part=f"部件 {name}"), content))
    return texts, unscanned


def raw_texts(where: Location, content: bytes) -> Iterator[Text]:
    """The readable runs of a binary, as 8-bit text and as UTF-16 at both byte offsets."""
    for text in (
        content.decode("latin-1"),
        content.decode("utf-16-le", errors="replace"),
        content[1:].decode("utf-16-le", errors="replace"),
    ):
        runs = [r for r in re.findall(r"[^\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]{5,}", text) if may_hold(r)]
        if runs:
            yield where, "\n".join(runs)


@dataclass
class _Names:
    sheets: dict[str, str]  # worksheet part -> sheet name
    owners: dict[str, str]  # comments/drawing/chart part -> sheet name
    word_parts: dict[str, str]  # header/footer part -> "第 1 节首页页眉"


def part_names(parts: dict[str, bytes]) -> _Names:
    names = _Names({}, {}, {})
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
    import html

    return html.unescape(text)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_texts(display: str, name: str, content: bytes, names: _Names, known: set[str]) -> Iterator[Text]:
    from lxml import etree

    parser_args = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}
    base = _base_location(display, name, names)
    counts: dict[str, int] = {}  # top level of a Word body: paragraphs and tables so far
    # (local tag, place, text collected for a unit, children counted by tag)
    stack: list[tuple[str, Location, list[str], dict[str, int]]] = []
    is_sheet = name.startswith("xl/worksheets/")
    try:
        for event, element in etree.iterparse(io.BytesIO(content), events=("start", "end"), **parser_args):
            tag = _local(element.tag)
            if event == "start":
                if len(stack) >= limits.MAX_NESTING:
                    raise InvalidData(
                        [
                            problem(
                                "file-too-large",
                                Location(display, part=name),
                                f"XML 嵌套超过 {limits.MAX_NESTING} 层",
                            )
                        ]
                    )
                siblings = stack[-1][3] if stack else counts
                siblings[tag] = siblings.get(tag, 0) + 1
                parent = stack[-1][1] if stack else base
                where = _place(name, tag, element, parent, len(stack), siblings[tag])
                stack.append((tag, where, [], {}))
                yield from _attribute_texts(where, tag, element)
                continue
            tag, where, collected, _ = stack.pop()
            # Cell values are the grid's (read by calamine, given with their cell already).
            skipped = is_sheet and tag in ("v", "t") and any(s[0] == "c" for s in stack)
            text = None if skipped else element.text
            target = _unit_of(stack, collected, tag)
            if text and text.strip():
                target.append(text)
            if tag == "tab":
                target.append("\t")
            elif tag in ("br", "cr"):
                target.append("\n")
            if tag in _UNITS or target is collected:
                joined = "".join(collected).strip()
                if tag in _HEADERS:
                    joined = _HEADER_CODES.sub(" ", joined).strip()
                if joined and joined not in known:
                    yield where, joined
            if element.tail and element.tail.strip() and stack:
                _unit_of(stack, stack[-1][2], stack[-1][0]).append(element.tail)
            element.clear(keep_tail=False)
            parent_element = element.getparent()
            if parent_element is not None:
                while element.getprevious() is not None:
                    del parent_element[0]  # keep memory flat on long parts
    except etree.XMLSyntaxError as err:
        raise InvalidData(
            [problem("unreadable-file", Location(display, part=name), f"XML 格式错误：{str(err)[:160]}")]
        ) from None


def _unit_of(stack, collected: list[str], tag: str) -> list[str]:
    """Where an element's text goes: the nearest paragraph-like ancestor, else the element itself."""
    if tag in _UNITS:
        return collected
    for s_tag, _, s_collected, _ in reversed(stack):
        if s_tag in _UNITS:
            return s_collected
    return collected


def _attribute_texts(where: Location, tag: str, element) -> Iterator[Text]:
    """Attribute values that can carry people's words: alt text, titles, authors, names, link targets."""
    for key, value in element.attrib.items():
        key = _local(key)
        if not may_hold(value):
            continue
        if key in {
            "r",
            "ref",
            "sqref",
            "spans",
            "s",
            "id",
            "rsidR",
            "rsidRPr",
            "rsidRDefault",
            "rsidP",
            "paraId",
            "textId",
        }:
            continue
        label = _ATTRIBUTES.get(key, key)
        yield where.in_part(f"{where.part or tag}（{label}）"), value


def _base_location(display: str, name: str, names: _Names) -> Location:
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


def _place(name: str, tag: str, element, parent: Location, depth: int, n: int) -> Location:
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
    if tag in _HEADERS:
        return parent.in_part(_HEADERS[tag])
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


_ATTRIBUTES = {
    "descr": "替代文字",
    "title": "标题",
    "author": "作者",
    "name": "名称",
    "Target": "链接",
    "userId": "账号",
    "displayName": "姓名",
    "prompt": "数据验证提示",
    "promptTitle": "数据验证提示",
    "error": "数据验证提示",
    "errorTitle": "数据验证提示",
}
_W_ID = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id"
