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
from collections.abc import Iterator

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.forms.input_file import PICTURES, Text
from jixiao.forms.ooxml_package import Package, is_xml
from jixiao.forms.ooxml_places import HEADERS, PartNames, base_location, part_names, place
from jixiao.location import Location
from jixiao.privacy import may_hold

# Paragraph-like elements: their text runs are joined before scanning (Word splits "138" and "12345678" into runs).
_UNITS = {"p", "si", "is", "text", "comment", "definedName", "threadedComment", "del", "moveFrom"}
# Excel's header and footer codes (&C centre, &P page, &"宋体,常规" font, &12 size) would glue to the text.
_HEADER_CODES = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z&])')


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
        if is_xml(name):
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


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_texts(display: str, name: str, content: bytes, names: PartNames, known: set[str]) -> Iterator[Text]:
    from lxml import etree

    parser_args = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}
    base = base_location(display, name, names)
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
                where = place(name, tag, element, parent, len(stack), siblings[tag])
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
                if tag in HEADERS:
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
