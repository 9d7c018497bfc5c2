"""The generated pages' HTML blocks are set aside without Python-Markdown's HTML parser, and the pages come out the
same as with it (jixiao/markdown_html.py)."""

from __future__ import annotations

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
