"""Web pages as grids: ".xls" exports that are HTML tables inside, and portal pages saved from a browser.

Each data <table> becomes a Grid, with colspan/rowspan expanded the way merged cells are, so every sheet reader works
on them unchanged. A saved portal page wraps the article in navigation, banners, breadcrumbs and footers, often laid
out with tables themselves: only tables that hold no other table and are not mostly links are read, and the
article's own paragraphs (not the portal's) are kept as prose for the report reader. The encoding comes from a byte
order mark, the page's declared charset, else UTF-8, else GB18030 (GB2312 and GBK pages are read as GB18030, which
contains both: pages that declare GB2312 routinely use GBK characters).
"""

from __future__ import annotations

import re

from jixiao.forms.workbook import Grid, cell_value

_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
# Class or id words of a portal's furniture, around the article.
_CHROME = re.compile(
    r"nav|menu|header|footer|breadcrumb|crumb|sidebar|banner|topbar|bottom|copyright|share|friend|links?\b|"
    r"search|login|toolbar|position|location|dqwz|wzdh",
    re.I,
)
_ARTICLE = re.compile(r"article|content|detail|main|zoom|trs_editor|text|zw|body_?text|con\b|info", re.I)
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "div",
    "section",
    "article",
    "td",
    "pre",
    "center",
}


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    names = [declared.group(1).decode("ascii").lower()] if declared else []
    names = ["gb18030" if n in _GB else n for n in names]
    for encoding in [*names, "utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _tree(data: bytes):
    import lxml.html

    text = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its own encoding
    try:
        return lxml.html.document_fromstring(text or "<html></html>")
    except Exception:  # lxml's parser errors (empty document, broken markup it cannot recover)
        return None


def read_html_tables(data: bytes, display: str) -> list[Grid]:
    """Every data table of an HTML document, as grids named 表1, 表2 …"""
    root = _tree(data)
    if root is None:
        return []
    return [_grid(table, display, f"表{n}") for n, table in enumerate(_data_tables(root), start=1)]


def read_page(data: bytes, display: str) -> tuple[list[Grid], list[tuple], str | None]:
    """A saved web page: the article's tables as grids, its paragraphs as report blocks, and its title."""
    root = _tree(data)
    if root is None:
        return [], [], None
    for bad in root.xpath("//script|//style|//noscript|//iframe|//template|//head"):
        bad.drop_tree()
    for chrome in root.xpath("//nav|//header|//footer|//aside|//form"):
        chrome.drop_tree()
    for element in root.xpath("//*[@class or @id]"):
        words = f"{element.get('class', '')} {element.get('id', '')}"
        if _CHROME.search(words) and not _ARTICLE.search(words) and element.getparent() is not None:
            element.drop_tree()
    article = _article(root)
    tables = _data_tables(article)
    grids = [_grid(table, display, f"表{n}") for n, table in enumerate(tables, start=1)]
    captions = _captions(article, tables)
    for grid, table in zip(grids, tables, strict=True):
        grid.caption = captions.get(table, [])
    title_el = article.xpath(".//h1|.//h2")
    title = _text(title_el[0]) if title_el else None
    return grids, list(_prose(article)), title


def _article(root):
    """The element holding the article: the richest article-like container, else the body."""
    best, best_len = None, 0
    for element in root.xpath("//article|//*[@class or @id]"):
        words = f"{element.get('class', '')} {element.get('id', '')}"
        if element.tag != "article" and not _ARTICLE.search(words):
            continue
        length = len(element.text_content().strip())
        if length > best_len:
            best, best_len = element, length
    body = root.find("body")
    total = len((body if body is not None else root).text_content().strip())
    return best if best is not None and best_len >= 0.3 * total else (body if body is not None else root)


def _data_tables(root) -> list:
    """Tables that hold no other table (layout tables do) and whose text is not mostly links (menus)."""
    out = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue
        text = len(table.text_content().strip())
        links = sum(len(a.text_content().strip()) for a in table.iter("a"))
        if text and links > 0.5 * text:
            continue
        out.append(table)
    return out


def _text(element) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = element.text_content()
    return re.sub(r"[ \t\r\f\v\xa0\u3000]+", " ", text).strip()


def _prose(article):
    """Paragraph blocks in document order, outside tables: ("p", text, bold, style, pictures, is_list)."""
    for element in article.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS:
            continue
        if element.tag == "td" or _in_table(element, article):
            continue
        if element.tag in ("div", "section", "article", "center") and any(
            isinstance(c.tag, str) and c.tag in _BLOCK_TAGS | {"table"} for c in element
        ):
            continue  # a container: its children are the blocks
        text = _text(element)
        if not text:
            continue
        heading = re.match(r"h([1-6])$", element.tag)
        strong = element.xpath(".//strong|.//b")
        bold = bool(heading) or (
            bool(strong) and sum(len(s.text_content()) for s in strong) >= 0.8 * len(text)
        )
        style = f"Heading {heading.group(1)}" if heading and heading.group(1) != "1" else ""
        for line in text.split("\n"):
            if line.strip():
                yield ("p", line.strip(), bold, style, [], element.tag == "li")


def _captions(article, tables) -> dict:
    """For each data table, the last lines of prose between it and the table before it (at most three)."""
    wanted = set(tables)
    out, since = {}, []
    for element in article.iter():
        if element in wanted:
            out[element] = since[-3:]
            since = []
        elif isinstance(element.tag, str) and element.tag == "table":
            since = []
        elif isinstance(element.tag, str) and element.tag in _BLOCK_TAGS and not _in_table(element, article):
            if element.tag in ("div", "section", "article", "center") and any(
                isinstance(c.tag, str) and c.tag in _BLOCK_TAGS | {"table"} for c in element
            ):
                continue
            since += [line.strip() for line in _text(element).split("\n") if line.strip()]
    return out


def _in_table(element, article) -> bool:
    """Inside a table of the article (its cells are grids), not inside the portal's layout table around it."""
    for ancestor in element.iterancestors():
        if ancestor is article:
            return False
        if ancestor.tag == "table":
            return True
    return False


def _grid(table, display: str, name: str) -> Grid:
    grid = Grid(display, name, [])
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    # Cells covered by a span from a row above: placed once, when the spanning cell is met, so each cell is
    # visited once (rescanning every span for every cell took 7 s for 1,000 rows × 10 columns).
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan, colspan = span(cell.get("rowspan")), min(span(cell.get("colspan")), 1000)
            value = cell_value(_text(cell))
            # A span past the table's last row ends with the table, as browsers draw it.
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
                    _put(grid, r + dr, c + dc, value)
                    if dr or dc:
                        grid.anchors[(r + dr, c + dc)] = (r, c)
            c += colspan
    return grid


def _owner(tr):
    for ancestor in tr.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None


def span(value) -> int:
    """A rowspan or colspan as browsers read it: 1 unless a positive number (only its first 12 characters: a
    hostile page's thousand-digit span is no reason to spend time converting it)."""
    try:
        return max(1, int(str(value).strip()[:12]))
    except (TypeError, ValueError):
        return 1


def _put(grid: Grid, r: int, c: int, value) -> None:
    while len(grid.rows) <= r:
        grid.rows.append([])
    row = grid.rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value
