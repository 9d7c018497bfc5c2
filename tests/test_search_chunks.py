"""Pagefind's index chunks cut in pieces (jixiao/search_filters.py): a search downloads, for each of its words and
each part of the index, the chunk that holds the word, and Pagefind's chunks (≈ 55 KB before gzip) carry a few
words a search did not ask for. The pieces must hold every word once, in order, and a query word must find in its
piece every word it could extend to, so that a search finds what it found before the cut."""

from __future__ import annotations

import shutil
from pathlib import Path

from jixiao import search_filters, search_index
from tests.conftest import serve_under_subpath
from tests.test_browser import browser, visit  # noqa: F401 (the browser tests' fixtures)
from tests.test_search_parts import ORACLE, PARTS, _unit_pages, parted  # noqa: F401 (the parted site)


def _word(text: str, pages: int) -> list:
    return [text, [[1, [5, 9, 13], []] for _ in range(pages)]]


WORDS = [
    _word("0", 1),
    _word("117", 2),
    _word("度", 3),
    _word("年度", 3),
    _word("满", 1),
    _word("满意", 4),
    _word("满意度", 2),
    _word("满足", 1),
    _word("示例", 6),
    _word("示例局03", 1),
    _word("预算", 5),
]


def _cut(folder: Path, monkeypatch, size: int) -> list:
    (folder / "index").mkdir(parents=True)
    search_filters._write(folder / "index" / "zh_0000000.pf_index", [WORDS])
    monkeypatch.setattr(search_filters, "CHUNK", size)
    return search_filters._smaller_chunks(folder, [["0", "预", "zh_0000000"]], "zh")


def test_a_chunk_is_cut_between_words_of_different_first_characters(tmp_path, monkeypatch):
    cut = _cut(tmp_path, monkeypatch, 40)
    pieces = [search_filters._read(tmp_path / "index" / f"{name}.pf_index")[0] for _, _, name in cut]
    assert len(pieces) >= 5
    assert [word for piece in pieces for word in piece] == WORDS  # every word once, in order
    assert not (tmp_path / "index" / "zh_0000000.pf_index").exists()
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == sorted(
        f"{n}.pf_index" for _, _, n in cut
    )
    # The words that begin with one character stay together: 满 extends to 满意, 满意度 and 满足.
    firsts = [{word[0][0] for word in piece} for piece in pieces]
    assert all(not a & b for a, b in zip(firsts, firsts[1:], strict=False))
    # The chunk's bounds outside (Pagefind's, which may be a word's beginning), the pieces' own inside.
    assert cut[0][0] == "0" and cut[-1][1] == "预"
    for (low, _, _), piece in zip(cut[1:], pieces[1:], strict=True):
        assert low == piece[0][0][0]
    for (_, high, _), piece in zip(cut[:-1], pieces[:-1], strict=True):
        assert high == piece[-1][0]
    # Pagefind looks a query word up by range, then takes every word beginning with it from that one piece.
    for query in ["0", "1", "117", "度", "年", "满", "满意", "满意度", "示例", "示例局", "示例局03"]:
        found = [i for i, (low, high, _) in enumerate(cut) if low <= query <= high]
        assert len(found) == 1, query
        held = {word[0] for word in pieces[found[0]]}
        assert {w[0] for w in WORDS if w[0].startswith(query)} <= held, query


def test_the_same_words_give_the_same_pieces(tmp_path, monkeypatch):
    assert _cut(tmp_path / "a", monkeypatch, 40) == _cut(tmp_path / "b", monkeypatch, 40)
    # A chunk within the size is left as Pagefind wrote it.
    assert _cut(tmp_path / "c", monkeypatch, 10**9) == [["0", "预", "zh_0000000"]]


def _indexed(site: Path, root: Path, size: int, monkeypatch) -> Path:
    copy = root / "site"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    monkeypatch.setattr(search_filters, "CHUNK", size)
    monkeypatch.setenv("JIXIAO_CACHE", "off")
    units = frozenset(_unit_pages(site))
    search_index.index_for_search(copy, search_index.SearchParts(PARTS), units)
    return copy


def test_a_search_of_the_cut_index_finds_what_pagefinds_own_chunks_find(
    parted,  # noqa: F811
    visit,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    site = parted[1]
    whole = _indexed(site, tmp_path / "whole", 10**9, monkeypatch)
    cut = _indexed(site, tmp_path / "cut", 300, monkeypatch)
    count = lambda s: len(list(s.glob("pagefind/**/index/*.pf_index")))  # noqa: E731
    assert count(cut) > 2 * count(whole)  # the cut index is in many more, smaller pieces
    served = [serve_under_subpath(s, tmp_path / f"portal-{n}") for n, s in enumerate((whole, cut))]
    try:
        pages = [visit(next(s) + "search/").page for s in served]
        queries = [
            "示例",
            "满意度",
            "预算执行率",
            "示例镇01",
            "2024",
            "满",
            "预",
            "群众 培训",
            "资金使用",
            "县",
            "局",
        ]
        for query in queries:
            found = [page.evaluate(ORACLE, [query, None]) for page in pages]
            assert found[0] == found[1], query
            assert found[0] or query in ("群众 培训",), query
        assert sum(len(page.evaluate(ORACLE, [q, None])) for q in queries for page in pages[:1]) > 50
    finally:
        for s in served:
            s.close()
