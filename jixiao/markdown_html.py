"""A Python-Markdown extension that sets the generated pages' HTML blocks aside without re-parsing them.

The renderers write tables, figures and cards as finished, escaped HTML blocks inside Markdown (headings stay
Markdown, so the table of contents and the permalinks work). Python-Markdown finds the end of every raw HTML block
by feeding the whole page through its pure-Python HTML parser: at 1,000 units that parser was most of MkDocs' time.
A block the renderers write is a paragraph (a run of lines between blank lines) that opens with a block-level tag
at the start of the line and closes that same tag at its end; such a paragraph is stored in Markdown's HTML stash
exactly as the HTML block processor would store it, and put back the same way after Markdown. Everything else
(hand-written pages, inline HTML, code) goes the usual way. tests/test_markdown_html.py checks that every page of a
demo site comes out the same both ways.

Enabled in mkdocs.yml as ``markdown_extensions: - jixiao.markdown_html``.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown import Extension
from markdown.preprocessors import Preprocessor

_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_CLOSING = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)>\s*$")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[\s>/]")
# Elements that never close.
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


class WholeHtmlBlocks(Preprocessor):
    """Stash each paragraph that is one closed block of HTML, so the HTML block parser never reads it.

    An element that stays open past a blank line (a table with blank lines between its rows) makes one raw block
    of several paragraphs to Python-Markdown: those paragraphs are all left to the HTML block processor."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        chunk: list[str] = []
        still_open: Counter[str] = Counter()  # block elements opened by earlier paragraphs and not yet closed
        for line in [*lines, ""]:
            if line.strip():
                chunk.append(line)
                continue
            if chunk:
                depth = self._depth("\n".join(chunk))
                if still_open:
                    still_open.update(depth)
                    still_open = +still_open
                    out.extend(chunk)
                elif self._whole(chunk, depth):
                    out.extend(self._stash("\n".join(chunk)))
                else:
                    still_open = +depth
                    out.extend(chunk)
                chunk = []
            out.append(line)
        return out[:-1]

    def _whole(self, chunk: list[str], depth: Counter[str]) -> bool:
        opening, closing = _OPENING.match(chunk[0]), _CLOSING.search(chunk[-1])
        return bool(
            opening
            and closing
            and opening.group(1).lower() == closing.group(1).lower()
            and self.md.is_block_level(opening.group(1).lower())
            and not any(depth.values())
        )

    def _depth(self, text: str) -> Counter[str]:
        """Per block element: how many more the text opens than it closes."""
        depth: Counter[str] = Counter()
        for closing, tag in _TAG.findall(text):
            tag = tag.lower()
            if tag not in _VOID and self.md.is_block_level(tag):
                depth[tag] += -1 if closing else 1
        return depth

    def _stash(self, text: str) -> list[str]:
        # With the line end the HTML block processor keeps (the output is then identical).
        return [self.md.htmlStash.store(text + "\n")]


class WholeHtmlBlocksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After fenced code (25) has set code aside, before the HTML block parser (20).
        md.preprocessors.register(WholeHtmlBlocks(md), "jixiao_whole_html", 22)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's entry point)
    return WholeHtmlBlocksExtension(**kwargs)
