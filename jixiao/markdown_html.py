"""A Python-Markdown extension that sets the generated pages' HTML blocks aside without re-parsing them.

The renderers write tables, figures and cards as finished, escaped HTML blocks inside Markdown (headings stay
Markdown, so the table of contents and the permalinks work). Python-Markdown finds the end of every raw HTML block
by feeding the whole page through its pure-Python HTML parser: at 1,000 units that parser was most of MkDocs' time.
A block the renderers write is a run of paragraphs (lines between blank lines) that opens with a block-level tag
at the start of a line and closes every block element it opened at the end of a line; such a run is stored in
Markdown's HTML stash exactly as the HTML block processor would store it, and put back the same way. Everything else
(hand-written pages, inline HTML, code) goes the usual way; so does a run the extension is unsure of (tags not properly
nested, a block closing mid-line): leaving HTML to Python-Markdown is always right, only slower.
tests/test_markdown_html.py checks that every page of a demo site, and thousands of made-up ones, come out the same
both ways.

Enabled in mkdocs.yml as ``markdown_extensions: - jixiao.markdown_html``.
"""

from __future__ import annotations

import re
from itertools import accumulate, count, repeat
from operator import add, mul, sub
from typing import NamedTuple

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\t\n\r\f >]")
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
    ``_whole``); anything else is left to that processor.

    A unit page is 40 KB of HTML with thousands of tags: walked one by one in Python, they cost as much as the rest
    of the page's Markdown. So one regular-expression scan lists the block tags of every line (``_survey``), their
    nesting is checked by string replacement, and Python looks only at the lines where an outermost element may
    close."""

    def __init__(self, md):
        super().__init__(md)
        names = sorted({t.lower() for t in md.block_level_elements} - _VOID, key=len, reverse=True)
        # A block-level tag, opening or closing, up to the end of its name ("<div", "</td"; the names that never
        # close are not counted), grouped by first letter: the engine tries far fewer alternatives at each "<". A
        # name matches one way only, as one is never followed by a letter. Every line end is found too. What
        # could be read otherwise by Python's HTML parser is taken with what follows it, to be told apart (see
        # ``_survey``): a line end right after a name, an unusual character after it (the parser reads "<p\v"
        # as no p, but "</p\u3000>" as a p), "</" then no letter.
        by_first: dict[str, list[str]] = {}
        for name in names:
            by_first.setdefault(name[0], []).append(re.escape(name[1:]))
        grouped = "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in by_first.items())
        tag = rf"</?(?:{grouped})"
        self._scan = re.compile(
            rf"{tag}(?:(?=[\t\r\f />])|[^a-z0-9])|</(?![a-z])|\n", re.IGNORECASE | re.ASCII
        )
        # The last block tag that starts on a line (up to the end of its name).
        self._last_tag = re.compile(rf"[^\n]*{tag}(?=[\t\r\f />])", re.IGNORECASE | re.ASCII)

    def run(self, lines: list[str]) -> list[str]:
        survey = self._survey(lines)
        if survey is None:
            return lines
        paragraphs = _paragraphs(lines)
        out: list[str] = []
        k = 0
        while k < len(paragraphs):
            start, stop, after = paragraphs[k]
            opening = _OPENING.match(lines[start]) if stop > start else None
            if not opening or not self._block(opening.group(1)):
                if not self._closed(survey, start, stop, lines):
                    # A block element left open, a comment or the like may make the HTML block processor read on
                    # past this paragraph: the rest of the page is left to it.
                    return out + lines[start:]
                out.extend(lines[start:after])
                k += 1
                continue
            # The run goes on until as many block elements have closed as opened since it began.
            level = survey.depth[start]
            k = next(
                (j for j in range(k, len(paragraphs)) if survey.depth[paragraphs[j][1]] <= level),
                len(paragraphs) - 1,
            )
            _, stop, after = paragraphs[k]
            text = "\n".join(lines[start:stop])
            if opening.group(1).lower() in _VOID or not self._whole(survey, start, stop, text, lines):
                return out + lines[start:]  # as above: what the processor makes of it may reach further
            out.extend(self._stash(text))
            out.extend(lines[stop:after])
            k += 1
        return out

    def _block(self, tag: str) -> bool:
        return self.md.is_block_level(tag.lower())

    def _survey(self, lines: list[str]) -> _Survey | None:
        """The block tags of every line, from one scan of the page; None where the lines may not be what the scan
        takes them for (see ``_scan``; or a line holding a line end): the page is then left to Python-Markdown."""
        text = "\n".join(lines)
        found = " ".join(self._scan.findall(text))
        if _ODD.search(found):
            return None
        found = found.lower() + " "
        tags = found.split("\n")
        if len(tags) != len(lines):
            return None
        opened = list(map(str.count, tags, repeat("<")))  # "</" counted too, and taken off twice below
        closed = list(map(str.count, tags, repeat("</")))
        depth = list(accumulate(map(sub, opened, map(mul, closed, repeat(2))), initial=0))
        # What is left of each line once the elements it opens and closes itself are taken out: the closing tags
        # of elements opened before it, then the opening tags of elements it leaves open.
        rest = _pair_off(found).split("\n")
        low = list(map(sub, depth, map(str.count, rest, repeat("</"))))
        offset = list(map(add, accumulate(map(len, lines), initial=0), count()))
        return _Survey(tags, rest, depth, low, offset)

    def _closed(self, survey: _Survey, start: int, stop: int, lines: list[str]) -> bool:
        """Whether lines ``start:stop`` leave the HTML block processor where they found it: their block elements
        properly nested, and all closed; no comment, CDATA section or declaration (whose insides the processor
        does not read as tags)."""
        text = "\n".join(lines[start:stop])
        # Else an element closed twice, crossed with another, or left open.
        return (
            "<!" not in text and "<?" not in text and not _pair_off(" ".join(survey.rest[start:stop])).strip()
        )

    def _whole(self, survey: _Survey, start: int, stop: int, text: str, lines: list[str]) -> bool:
        """Whether the HTML block processor would store lines ``start:stop`` (``text``) as they stand: their block
        elements are closed (``_closed``), and wherever an outermost one closes, the line ends there and the next
        line opens another block element (it splits blocks that share a line, and reads text after a block's end
        as Markdown)."""
        if not self._closed(survey, start, stop, lines):
            return False
        # The outermost elements close where the depth comes back to where the run began: only on a line whose
        # depth comes down that far, and there only at its last tag.
        level = survey.depth[start]
        for i in range(start, stop):
            if survey.low[i] > level:
                continue
            depth, tags = survey.depth[i] - level, survey.tags[i].split()
            if not tags:
                continue
            for tag in tags[:-1]:
                depth += -1 if tag[1] == "/" else 1
                if not depth:
                    return False  # an outermost element closes before the line's last tag
            if survey.depth[i + 1] == level and not self._closes_line(
                text, self._last_tag.match(text, survey.offset[i] - survey.offset[start]).end()
            ):
                return False
        return True

    def _closes_line(self, text: str, at: int) -> bool:
        """Whether the outermost element whose closing tag's name ends at ``at`` ends its line, and the next line
        (if any) opens another block element."""
        end = text.find(">", at)
        line_end = text.find("\n", end)
        if end < 0 or (text[end + 1 : line_end] if line_end >= 0 else text[end + 1 :]):
            return False  # text after the closing tag, on its line
        if line_end < 0:
            return True
        opening = _OPENING.match(text, line_end + 1)
        return bool(opening) and self._block(opening.group(1))

    def _stash(self, text: str) -> list[str]:
        # With the line end the HTML block processor keeps (the output is then identical).
        return [self.md.htmlStash.store(text + "\n")]


class _Survey(NamedTuple):
    """Per line of a page: its block tags as written (lower-cased, separated by spaces), and what is left of them
    once the elements it opens and closes itself are taken out; the depth (block elements open) where it starts (with
    one more entry, for the page's end), the least depth it comes down to, and its offset in the page."""

    tags: list[str]
    rest: list[str]
    depth: list[int]
    low: list[int]
    offset: list[int]


# In the page's scan (tags separated by spaces), a tag taken with what follows it.
_ODD = re.compile(r"[^a-zA-Z0-9</ \n]|</(?![a-zA-Z])|[^ ]\n")
# An element opened and closed right after (tags as written, lower-cased, separated by spaces).
_PAIR = re.compile(r"<([a-z0-9]+) +</\1(?= )")


def _pair_off(tags: str) -> str:
    """The tags (as in ``_Survey.tags``) without the elements opened and closed in them, innermost first."""
    while True:
        tags, pairs = _PAIR.subn(" ", tags)
        if not pairs:
            return tags


def _paragraphs(lines: list[str]) -> list[tuple[int, int, int]]:
    """The lines as paragraphs: for each, where it starts, where its lines end and where the blank lines after it
    end (leading blank lines: an empty paragraph)."""
    paragraphs: list[tuple[int, int, int]] = []
    start = stop = 0
    blank = True  # the line before
    for i, line in enumerate(lines):
        # Blank to Python-Markdown: spaces only (tabs are spaces by now; "\u3000" is not blank).
        if line.strip(" "):
            if blank and i:
                paragraphs.append((start, stop, i))
                start = i
            stop, blank = i + 1, False
        else:
            blank = True
    paragraphs.append((start, stop, len(lines)))
    return paragraphs


class StashedParagraphs(Treeprocessor):
    """Mark each paragraph that is nothing but a stashed HTML block as text the inline patterns leave alone.

    Every HTML block, stashed here or by the HTML block processor, becomes a paragraph holding only its placeholder
    (STX, "wzxhzdk:", a number, ETX), which the raw-HTML postprocessor replaces with the block. The inline
    processor would try each of its two dozen patterns on that text, and none can match it (no pattern matches
    those control characters, letters and digits: a source's own STX and ETX are removed before anything else), so
    it would leave the paragraph as it is; a unit page has a dozen such paragraphs and its inline processing is
    mostly that. An ``AtomicString`` is what Python-Markdown's inline processor skips."""

    def run(self, root):
        for paragraph in root.iter("p"):
            text = paragraph.text
            if text and not len(paragraph) and HTML_PLACEHOLDER_RE.fullmatch(text):
                paragraph.text = AtomicString(text)


class WholeHtmlBlocksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After fenced code (25) has set code aside, before the HTML block parser (20).
        md.preprocessors.register(WholeHtmlBlocks(md), "jixiao_whole_html", 22)
        # Before the inline processor (20).
        md.treeprocessors.register(StashedParagraphs(md), "jixiao_stashed_paragraphs", 25)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's entry point)
    return WholeHtmlBlocksExtension(**kwargs)
