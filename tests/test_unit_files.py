"""A unit's files made for less: the same bytes as the plain ways of writing them, and the cache's entries kept as
files without a folder each (jixiao/render/json_text.py, jixiao/render/rows.py, jixiao/incremental.py)."""

from __future__ import annotations

import json
from pathlib import Path

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao import incremental
from jixiao.incremental import cached_files
from jixiao.model import Project
from jixiao.render import rows
from jixiao.render.json_text import indented_json
from jixiao.render.unit_page import render_unit_page

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        # keys that are not text: the standard library's rules for them
        | st.dictionaries(st.integers() | st.floats() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(JSON)
def test_indented_json_is_what_json_dumps_writes(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_an_evaluation_is_written_as_json_dumps_writes_it(seed):
    data = seed.canonical()
    assert len(data["indicators"]) > 10 and data["report"]["sections"]
    assert indented_json(data) == json.dumps(data, ensure_ascii=False, indent=1)


@given(SCALARS)
def test_row_text_is_escaped_as_the_templates_escape(value):
    assert rows.text(value) == str(markupsafe.escape(value))


MARKUP = "<b onclick='x()'>\"引号\" & 号</b>"
ESCAPED = "&lt;b onclick=&#39;x()&#39;&gt;&#34;引号&#34; &amp; 号&lt;/b&gt;"


def test_text_in_every_long_table_is_escaped(seed):
    ev = seed.model_copy(deep=True)
    ev.indicators[0].level1 = MARKUP  # the indicators' table
    ev.indicators[1].target = MARKUP
    ev.scores.items[0].explanation = MARKUP  # the scores' table
    ev.funds.by_source[0].name = MARKUP  # a chart's table
    ev.projects = [Project.model_validate({"name": "项目", "indicators": [{"name": "指标", "note": MARKUP}]})]
    page = render_unit_page(ev)
    assert "<b " not in page
    # one row of each table: two indicators, a score item, a source of funds, a project's indicator
    assert len([line for line in page.splitlines() if line.startswith("<tr") and ESCAPED in line]) == 5


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path))
    monkeypatch.setattr(incremental, "_made", set())
    return tmp_path / "units"


def _made(files: dict) -> dict[str, bytes]:
    return {k: v.read_bytes() if isinstance(v, Path) else v for k, v in files.items()}


FILES = {"2024/甲/index.md": "页面", "2024/甲/evaluation.xlsx": b"PK\x03\x04", "2024/甲/card/index.md": "卡"}


def test_kept_files_are_files_beside_each_other_and_read_back(cache):
    made = []
    first = cached_files("unit-files-0a1b", lambda: made.append(1) or dict(FILES))
    second = cached_files("unit-files-0a1b", lambda: made.append(2) or dict(FILES))
    assert made == [1]
    assert second == first and all(isinstance(p, Path) for p in second.values())
    assert _made(second) == {k: v.encode() if isinstance(v, str) else v for k, v in FILES.items()}
    # One file per generated file and the entry's list: no folder of its own.
    kept = list((cache / "1b").iterdir())
    assert len(kept) == 4 and all(p.is_file() for p in kept)
    assert (cache / "1b" / "unit-files-0a1b.files").exists()


def test_a_list_left_unfinished_is_made_again_and_replaced(cache):
    (cache / "1b").mkdir(parents=True)
    (cache / "1b" / "unit-files-0a1b.files").write_text(
        '["12-ab", ["2024/甲/ind', encoding="utf-8"
    )  # stopped
    made = []
    kept = cached_files("unit-files-0a1b", lambda: made.append(1) or dict(FILES))
    assert made == [1] and _made(kept)["2024/甲/card/index.md"] == "卡".encode()
    assert cached_files("unit-files-0a1b", lambda: made.append(2) or {}) == kept
    assert made == [1]


def test_two_builds_keeping_the_same_entry_write_their_own_files(cache, monkeypatch):
    first = cached_files("unit-files-0a1b", lambda: dict(FILES))
    (cache / "1b" / "unit-files-0a1b.files").unlink()  # as if the first build had not written its list yet
    monkeypatch.setattr(incremental, "_BUILD", "another")
    second = cached_files("unit-files-0a1b", lambda: dict(FILES))
    assert set(first.values()).isdisjoint(second.values())
    assert _made(first) == _made(second)
