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

from markdown import Extension
from markdown.preprocessors import Preprocessor

_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_CLOSING = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)>\s*$")


class WholeHtmlBlocks(Preprocessor):
    """Stash each paragraph that is one closed block of HTML, so the HTML block parser never reads it."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        chunk: list[str] = []
        for line in [*lines, ""]:
            if line.strip():
                chunk.append(line)
                continue
            if chunk:
                out.extend(self._stash(chunk) if self._whole_block(chunk) else chunk)
                chunk = []
            out.append(line)
        return out[:-1]

    def _whole_block(self, chunk: list[str]) -> bool:
        opening, closing = _OPENING.match(chunk[0]), _CLOSING.search(chunk[-1])
        return bool(
            opening
            and closing
            and opening.group(1).lower() == closing.group(1).lower()
            and self.md.is_block_level(opening.group(1).lower())
        )

    def _stash(self, chunk: list[str]) -> list[str]:
        # With the line end the HTML block processor keeps (the output is then identical).
        return [self.md.htmlStash.store("\n".join(chunk) + "\n")]


class WholeHtmlBlocksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After fenced code (25) has set code aside, before the HTML block parser (20).
        md.preprocessors.register(WholeHtmlBlocks(md), "jixiao_whole_html", 22)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's entry point)
    return WholeHtmlBlocksExtension(**kwargs)
