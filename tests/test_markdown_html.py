"""The generated pages' HTML blocks are set aside without Python-Markdown's HTML parser, and the pages come out the
same as with it (jixiao/markdown_html.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import markdown
import pytest
import yaml

from jixiao.demo import write_demo
from jixiao.site import forget, generate
from tests.conftest import DATA, ROOT

EXTENSION = "jixiao.markdown_html"


def _converters():
    """Markdown as the site configures it, with and without the extension."""
    base = yaml.safe_load((ROOT / "jixiao" / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in base]
    configs = {next(iter(e)): next(iter(e.values())) for e in base if isinstance(e, dict)}
    assert EXTENSION in extensions  # the site really uses it
    standard = [e for e in extensions if e != EXTENSION]

    def convert(text: str, with_extension: bool) -> str:
        md = markdown.Markdown(
            extensions=extensions if with_extension else standard, extension_configs=configs
        )
        return md.convert(text)

    return convert


def _pages(data: Path) -> dict[str, str]:
    pages: dict[str, str] = {}
    forget()
    generate(data, pages.__setitem__, lambda path, text: None)
    forget()
    front_matter = re.compile(r"\A---\n.*?\n---\n", re.S)
    return {path: front_matter.sub("", text) for path, text in pages.items() if path.endswith(".md")}


def test_every_page_comes_out_as_with_the_html_parser(tmp_path):
    write_demo(tmp_path / "demo", units=4, years=[2023, 2024])
    pages = {**_pages(DATA), **{f"demo/{p}": t for p, t in _pages(tmp_path / "demo").items()}}
    pages.update(
        {f"pages/{p}": p.read_text(encoding="utf-8") for p in (ROOT / "jixiao" / "pages").rglob("*.md")}
    )
    convert = _converters()
    unit_pages = [p for p in pages if p.count("/") >= 2]
    assert len(pages) > 20 and unit_pages
    for path, text in pages.items():
        assert convert(text, True) == convert(text, False), path


@pytest.mark.parametrize(
    "text",
    [
        '<div class="x">\n<p>a</p>\n</div>\n\n## 标题 {#t}\n\n<p>b</p>',
        "<div>\n<p>not closed in this paragraph</p>\n\n</div>\n\n*after*",
        "<span>inline</span> and *emphasis*",
        "<p>one</p> <em>two</em>\n\ntext",
        "```html\n<div>code, not HTML</div>\n```\n\n<div>html</div>",
        "    <div>indented code</div>\n\n<table><tr><td>|a|</td></tr></table>",
        "- item\n\n<ul>\n<li>raw</li>\n</ul>",
        "<div><table>\n<tr><td>1</td></tr>\n\n<tr><td>2</td></tr>\n\n</table></div>\n\n<p>after</p>",
        "<div>\n<div>inner</div>\n\n<div>second</div>\n</div>\n\n<p>x</p>",
        # Blocks that share a line are split; text after a block's end is Markdown.
        "<p>a</p><p>b</p>\n\n*x*",
        "<p>a</p> tail *x*\n<p>b</p>",
        "<ul><li>x</li></ul>\nafter *x*",
        '<nav class="n">\n<p>a</p>\n</nav>\n<p>b</p>\n\n*x*',
        "<article>\n<h1>t</h1>\n\n<p>b</p>\n</article>\n\n*x*",
        "<div>\n<p>a</p>\n\n</div> tail\n\n*x*",
        "<div>\n<p>a</p></div></div>\n\n*x*",
        "<div>\n<p>never closed</p>\n\n<p>b</p>\n\n*x*",
        # HTML in a paragraph that is not a run: the runs after it are still set aside when it closes what it opens.
        '# 标题\n<p class="lead">a</p>\n\n<div>\n<p>b</p>\n</div>',
        "text <div>\n\n<p>inside the div for the HTML parser</p>\n\n</div>\n\n<p>c</p>",
        "<ul>\n</td><DIV>\n</div><br>\n\n<td></td>\n\n<p>x</p>",
        # Elements that never close, comments, CDATA: the HTML parser does not read their insides as tags.
        "<hr>*em*\n\n<p>a</p>",
        "<hr><hr>",
        "<div>\n<p>a</p>\n</div>\n\n<!--\n\n<p>x</p>\n\n-->\n\n<p>y</p>",
        "<table><div>x</div>\n\n<![CDATA[</table>\n\n</td>",
        # Crossed elements; a name the HTML parser reads otherwise; a name at a line's end.
        "<div><p>a</div></p>\n\n*x*",
        "<p\v>a</p>\n\n<p>b</p>",
        "<p>a</p\u3000>\n\n<p>b</p>",
        "<div>\n<p>a</p>\n</ div>\n\n*x*",
        "<div\n>\n<p>a</p>\n</div>\n\n<p>b</p>",
        '<div title="</div>">\n<p>a</p>\n</div>',
    ],
)
def test_edge_cases_match_the_html_parser(text):
    convert = _converters()
    assert convert(text, True) == convert(text, False)


def test_whole_blocks_skip_the_html_parser(monkeypatch):
    """The point of the extension: a page of HTML blocks never reaches the HTML block parser's HTML parser."""
    from markdown import htmlparser

    fed: list[str] = []
    original = htmlparser.HTMLExtractor.feed
    monkeypatch.setattr(
        htmlparser.HTMLExtractor, "feed", lambda self, data: fed.append(data) or original(self, data)
    )
    page = (
        '# 标题\n\n<div class="jx-cards">\n<div>1</div>\n</div>\n\n<table><tbody><tr><td>2</td></tr></tbody></table>\n'
        # Two blocks in one paragraph (the page's own table of contents, then its buttons), and an article whose
        # parts are separated by blank lines (the 公示卡).
        '\n<nav class="jx-jump">\n<ul><li>a</li></ul>\n</nav>\n<p class="jx-actions"><a href="#x">b</a></p>\n'
        '\n<article class="jx-sheet">\n<h1>卡</h1>\n\n<section>\n<p>c</p>\n</section>\n</article>\n'
    )
    html = _converters()(page, True)
    assert '<div class="jx-cards">' in html and "<td>2</td>" in html and "jx-sheet" in html
    assert fed and all("<" not in data for data in fed)  # placeholders only: no tag reached the parser


# Lines for made-up pages: blocks as the renderers write them, and pieces of lines with everything that could
# confuse a shortcut (tags crossed or left open, comments, characters that end a tag's name or not, Markdown).
_BLOCKS = [
    "<p>a</p>",
    '<div class="x">',
    "</div>",
    "<ul><li>x</li></ul>",
    "<table><tr><td>1</td></tr></table>",
    "<table>",
    "<tr><td>1</td><td>2</td></tr>",
    "</table>",
    "<ul>",
    "<li>x</li>",
    "</ul>",
    "## 标题 {#t}",
    "",
]
_PIECES = [
    "<div>",
    "</div>",
    '<div class="x">',
    "<DIV>",
    "</Div>",
    "<p>",
    "</p>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<ul>",
    "</ul>",
    "<li>",
    "</li>",
    "<hr>",
    "<br>",
    "<span>",
    "</span>",
    '<a href="#">',
    "</a>",
    "text",
    " ",
    "*em*",
    "<div",
    ">",
    "</p >",
    "<p/>",
    "<section>",
    "</section>",
    "&lt;",
    "<!-- c -->",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?x ",
    "# h",
    "    ",
    "\t",
    "- ",
    "1. ",
    "> ",
    "|a|b|",
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    '<p markdown="1">',
    "<p\v>",
    "</p\u3000>",
    "\u3000",
    "</ div>",
    '<a title="</div>">',
    "<ſection>",
    "<LI>",
]


def test_made_up_pages_come_out_as_with_the_html_parser(monkeypatch):
    """Thousands of made-up pages (seeded, so a failure repeats): the same HTML with the extension as without, and
    the extension did set runs aside in many of them."""
    from jixiao import markdown_html

    stashed = []
    original = markdown_html.WholeHtmlBlocks._stash
    monkeypatch.setattr(
        markdown_html.WholeHtmlBlocks,
        "_stash",
        lambda self, text: stashed.append(text) or original(self, text),
    )
    convert, pick = _converters(), random.Random(11)
    for _ in range(2000):
        lines = [
            pick.choice(_BLOCKS)
            if pick.random() < 0.9
            else "".join(pick.choice(_PIECES) for _ in range(pick.randint(1, 5)))
            for _ in range(pick.randint(1, 9))
        ]
        text = "\n".join(lines)
        assert convert(text, True) == convert(text, False), text
    assert len(stashed) > 200, len(stashed)  # the pages were not all left to the HTML parser
