"""Chinese segmentation for the site search.

Material's search plugin segments Chinese text with ``jieba.cut`` (accurate mode), which keeps compounds such as
绩效评价 or 出勤率 whole. The browser side matches query words as prefixes of indexed words, so 评价 would never
find 绩效评价. ``fine_cut`` splits every compound into the dictionary words it is made of, without overlap, so each
word of the index is both findable and displayed once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import jieba

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def fine_cut(text: str | bytes, *args, **kwargs) -> Iterator[str]:
    for word in jieba.cut(text, *args, **kwargs):
        if len(word) > 2 and _HAN.match(word):
            yield from split_compound(word)
        else:
            yield word


def split_compound(word: str) -> list[str]:
    """Greedy left-to-right split into the longest dictionary words shorter than ``word`` (or single characters)."""
    freq = jieba.dt.FREQ if jieba.dt.initialized else _init()
    parts, i = [], 0
    while i < len(word):
        for size in range(min(len(word) - 1, len(word) - i), 1, -1):
            if freq.get(word[i : i + size]):
                parts.append(word[i : i + size])
                i += size
                break
        else:
            parts.append(word[i])
            i += 1
    return parts


def _init() -> dict:
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def install() -> None:
    """Make Material's search plugin segment with ``fine_cut`` (called from the MkDocs hook)."""
    import material.plugins.search.plugin as search_plugin

    jieba.setLogLevel(30)
    search_plugin.jieba = SimpleNamespace(
        cut=fine_cut, set_dictionary=jieba.set_dictionary, load_userdict=jieba.load_userdict
    )
