"""Number and text formatting for pages: Chinese conventions, Markdown-safe text."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from jixiao.numbers import measure, money, num, pct  # noqa: F401  (the templates' number filters)

# Characters that start Markdown syntax anywhere in a line. Escaped with a backslash so data shows as text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: object) -> Markup:
    """Escape text for a Markdown line (heading, list item): HTML first, then Markdown punctuation."""
    escaped = html.escape(str(text), quote=False)
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped)
    return Markup(" ".join(escaped.split()))


def md_cell(text: object) -> Markup:
    """Escape text for a Markdown table cell: as ``md`` and newlines become <br>."""
    lines = [md(line) for line in str(text).splitlines() or [""]]
    return Markup("<br>").join(lines)
