"""A Python-Markdown extension that sets the generated pages' HTML blocks aside without re-parsing them.

The renderers write tables, figures and cards as finished, escaped HTML blocks inside Markdown (headings stay
Markdown, so the table of contents and the permalinks work). Python-Markdown finds the end of every raw HTML block
by feeding the whole page through its pure-Python HTML parser: at 1,000 units that parser was most of MkDocs' time.
A block the renderers write is a run of paragraphs (lines between blank lines) that opens with a block-level tag
at the start of a line and closes every block element it opened at the end of a line; such a run is stored in
Markdown's HTML stash exactly as the HTML block processor would store it, and put back the same way. Everything else
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
    """Stash each run of paragraphs that is whole, closed HTML, so the HTML block parser never reads it.

    A run starts at a paragraph (lines between blank lines) whose first line opens a block-level element, and takes
    in paragraph after paragraph until every block element it opened is closed (a table with blank lines between
    its rows is one run). It is stashed when the HTML block processor would have stored it as it stands (see
    ``_one_block_per_line``); a run that never closes, or has text after a closing tag, is left to that processor."""

    def __init__(self, md):
        super().__init__(md)
        names = sorted({t.lower() for t in md.block_level_elements} - _VOID, key=len, reverse=True)
        # A block-level tag, opening or closing (the names that never close are not counted).
        self._tags = re.compile(rf"<(/?)({'|'.join(map(re.escape, names))})(?=[\s>/])", re.IGNORECASE)

    def run(self, lines: list[str]) -> list[str]:
        paragraphs = _paragraphs(lines)
        out: list[str] = []
        i = 0
        while i < len(paragraphs):
            lines_of, blanks = paragraphs[i]
            opening = _OPENING.match(lines_of[0]) if lines_of else None
            if not opening or not self._block(opening.group(1)):
                out.extend(lines_of + blanks)
                i += 1
                continue
            open_now = 0  # the run goes on until as many block elements have closed as opened
            for j in range(i, len(paragraphs)):
                open_now += self._balance("\n".join(paragraphs[j][0]))
                if open_now <= 0:
                    break
            taken = paragraphs[i : j + 1]
            text = "\n".join(
                line for k, (ls, bs) in enumerate(taken) for line in ls + (bs if k < len(taken) - 1 else [])
            )
            if self._one_block_per_line(text):
                out.extend(self._stash(text))
            else:
                out.extend(line for ls, bs in taken[:-1] for line in ls + bs)
                out.extend(taken[-1][0])
            out.extend(taken[-1][1])
            i = j + 1
        return out

    def _block(self, tag: str) -> bool:
        return self.md.is_block_level(tag.lower())

    def _one_block_per_line(self, text: str) -> bool:
        """Whether the HTML block processor would store ``text`` as it stands: its block elements all close, and
        wherever the outermost one closes, the line ends there and the next line opens another block element (it
        splits blocks that share a line, and reads text after a block's end as Markdown)."""
        depth: Counter[str] = Counter()
        open_now = 0  # block elements open at this point (none is ever closed more than opened)
        for match in self._tags.finditer(text):
            closing, tag = match.group(1), match.group(2).lower()
            step = -1 if closing else 1
            depth[tag] += step
            open_now += step
            if depth[tag] < 0:
                return False
            if open_now:
                continue
            end = text.find(">", match.end())
            line_end = text.find("\n", end)
            if end < 0 or (text[end + 1 : line_end] if line_end >= 0 else text[end + 1 :]):
                return False  # text after the closing tag, on its line
            if line_end >= 0 and not self._opens_block(text, line_end + 1):
                return False
        return not open_now

    def _opens_block(self, text: str, at: int = 0) -> bool:
        opening = _OPENING.match(text, at)
        return bool(opening) and self._block(opening.group(1))

    def _balance(self, text: str) -> int:
        """How many more block elements the text opens than it closes."""
        tags = self._tags.findall(text)
        return len(tags) - 2 * sum(1 for closing, _ in tags if closing)

    def _stash(self, text: str) -> list[str]:
        # With the line end the HTML block processor keeps (the output is then identical).
        return [self.md.htmlStash.store(text + "\n")]


def _paragraphs(lines: list[str]) -> list[tuple[list[str], list[str]]]:
    """The lines as paragraphs, each with the blank lines that follow it (leading blank lines: an empty paragraph)."""
    paragraphs: list[tuple[list[str], list[str]]] = [([], [])]
    for line in lines:
        if line.strip():
            if paragraphs[-1][1]:
                paragraphs.append(([], []))
            paragraphs[-1][0].append(line)
        else:
            paragraphs[-1][1].append(line)
    return paragraphs


class WholeHtmlBlocksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After fenced code (25) has set code aside, before the HTML block parser (20).
        md.preprocessors.register(WholeHtmlBlocks(md), "jixiao_whole_html", 22)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's entry point)
    return WholeHtmlBlocksExtension(**kwargs)
