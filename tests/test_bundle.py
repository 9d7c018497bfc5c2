"""The site's dataset (open-data/) joined from per-unit pieces made in the unit-file workers: the same bytes as the
tables of all units made at once, and a corrected unit remakes its own piece alone (jixiao/render/open_data.py,
jixiao/render/tabular.py, jixiao/units.py, jixiao/site.py)."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import site, units
from jixiao.collection import summarise
from jixiao.demo import write_demo
from jixiao.model import Evaluation
from jixiao.render import open_data, tabular
from jixiao.render.downloads import indicator_rows, indicators_table, score_rows, scores_table
from jixiao.render.open_data import findings_table, units_table
from jixiao.render.tabular import SheetWriter, Table, csv_bytes, sheet_rows, xlsx_bytes, xlsx_file
from jixiao.reproducible import data_dates, source_date

NAMES = {
    "单位": "units.csv",
    "绩效指标": "indicators.csv",
    "自评打分": "scores.csv",
    "数据核对": "findings.csv",
}


def all_at_once(loaded) -> dict[str, bytes]:
    """The dataset as the site made it before the pieces: every table whole, written in one go."""
    evaluations = [item.evaluation for item in loaded]
    found = [(item.evaluation, site._views(item)) for item in loaded]
    tables = {
        "单位": units_table([summarise(item.evaluation, item.findings) for item in loaded]),
        "绩效指标": indicators_table([row for ev in evaluations for row in indicator_rows(ev)]),
        "自评打分": scores_table([row for ev in evaluations for row in score_rows(ev)]),
        "数据核对": findings_table(found),
    }
    files = {NAMES[sheet]: csv_bytes(table) for sheet, table in tables.items()}
    files["jixiao-data.xlsx"] = xlsx_bytes(tables, source_date(data_dates(evaluations)))
    files["evaluations.json"] = json.dumps(
        [ev.canonical() for ev in evaluations], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    files["evaluation.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=1).encode("utf-8")
    return files


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JIXIAO_JOBS", "1")
    write_demo(tmp_path / "data", units=9, years=[2023, 2024])
    # Texts a spreadsheet or an XML writer must take care of, in a unit's indicator and score rows.
    path = tmp_path / "data" / "2024" / "示例街道02" / "evaluation.yaml"
    ev = yaml.safe_load(path.read_text(encoding="utf-8"))
    ev["indicators"][0]["note"] = "=1+1 <b>&amp;</b>\n 第二行 "
    ev["scores"]["items"][0]["explanation"] = '-说明 "引号", 逗号'
    path.write_text(yaml.safe_dump(ev, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path / "data"


def build(data: Path, monkeypatch) -> tuple[dict[str, bytes], list[str]]:
    """The generated open-data files, and the units whose piece was made (not taken from the cache)."""
    made: list[str] = []
    piece = units.unit_piece
    monkeypatch.setattr(units, "unit_piece", lambda ev, *rest: made.append(ev.slug) or piece(ev, *rest))
    files: dict[str, bytes] = {}

    def write(path: str, content: str | bytes | Path) -> None:
        if path.startswith("open-data/"):
            files[path.removeprefix("open-data/")] = (
                content.read_bytes()
                if isinstance(content, Path)
                else content.encode()
                if isinstance(content, str)
                else content
            )

    site.forget()
    site.generate(data, write, lambda path, text: None)
    site.forget()
    return files, made


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_dataset_is_the_bytes_of_all_tables_made_at_once(demo, monkeypatch, jobs):
    monkeypatch.setenv("JIXIAO_JOBS", jobs)  # 2: the pieces are made in worker processes
    files, made = build(demo, monkeypatch)
    loaded = site.load(demo)
    expected = all_at_once(loaded)
    assert set(files) == {*expected, "index.md"}
    for name, content in expected.items():
        assert files[name] == content, name
    # The page gives each file's size (from the file now, not from bytes in memory).
    evaluations, info = [item.evaluation for item in loaded], site.site_info(demo)
    page = open_data.render_open_data_page(
        evaluations, expected, info.title, info.licence, info.county, site.data_date(evaluations)
    )
    assert files["index.md"] == page.encode() and f"{len(expected['evaluations.json']) / 1024:.1f} KB" in page
    # What was compared holds every unit, its findings and the awkward texts.
    assert len(loaded) == 18 and (jobs == "2" or len(made) == 18)
    book = openpyxl.load_workbook(io.BytesIO(files["jixiao-data.xlsx"]))
    found = sum(len(item.findings) for item in loaded)
    assert book["数据核对"].max_row - 1 == found > 0
    assert files["findings.csv"].decode("utf-8-sig").count("\r\n") == found + 1
    notes = [row[12] for row in book["绩效指标"].iter_rows(min_row=2, values_only=True)]
    assert [n for n in notes if n and "=1+1" in n] == ["=1+1 <b>&amp;</b>\n 第二行 "]  # text, never a formula
    assert '"\'=1+1 <b>&amp;</b>\n 第二行 "' in files["indicators.csv"].decode("utf-8-sig")
    assert len(json.loads(files["evaluations.json"])) == 18


def test_a_corrected_unit_remakes_its_piece_alone_and_the_dataset_shows_it(demo, monkeypatch):
    first, made = build(demo, monkeypatch)
    assert len(made) == 18
    again, made = build(demo, monkeypatch)
    assert made == [] and again == first
    path = demo / "2024" / "示例镇04" / "evaluation.yaml"
    ev = yaml.safe_load(path.read_text(encoding="utf-8"))
    ev["indicators"][0]["actual"] = "已更正"
    path.write_text(yaml.safe_dump(ev, allow_unicode=True, sort_keys=False), encoding="utf-8")
    files, made = build(demo, monkeypatch)
    # Its own piece, and those of the units whose page shows it (their files are remade together), not all.
    assert "2024/示例镇04" in made and len(made) < 18
    expected = all_at_once(site.load(demo))
    for name, content in expected.items():
        assert files[name] == content, name
    assert files["indicators.csv"] != first["indicators.csv"]
    book = openpyxl.load_workbook(io.BytesIO(files["jixiao-data.xlsx"]))
    corrected = [r for r in book["绩效指标"].iter_rows(min_row=2, values_only=True) if r[9] == "已更正"]
    assert [(r[0], r[1]) for r in corrected] == [(ev["unit"]["name"], 2024)]
    as_json = json.loads(files["evaluations.json"])
    assert sum(e["indicators"][0]["actual"] == "已更正" for e in as_json) == 1


CELLS = (
    st.none()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.text(max_size=8)
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(CELLS, min_size=0, max_size=4), max_size=30),
    st.lists(st.integers(0, 30), max_size=6),
)
def test_a_sheet_joined_from_pieces_is_the_sheet_of_the_whole_table(tmp_path_factory, rows, cuts):
    """Any rows, cut into pieces anywhere (an empty piece too): the workbook's bytes are those of the whole table,
    every row numbered where it lands."""
    tabular._CHUNK_ROWS = 7  # the whole table's sheet in several chunks too
    try:
        columns = ["甲", "乙", "丙"]
        folder = tmp_path_factory.mktemp("sheet")
        writer = SheetWriter(folder / "sheet.part", columns)
        bounds = sorted({0, len(rows), *(c for c in cuts if c <= len(rows))})
        for start, end in zip(bounds, bounds[1:], strict=False):
            writer.add(sheet_rows(rows[start:end], len(columns)))
        writer.add(sheet_rows([], len(columns)))
        small = Table(["名"], [("一",)])
        xlsx_file(folder / "book.xlsx", {"小": small, "表": writer})
        assert (folder / "book.xlsx").read_bytes() == xlsx_bytes({"小": small, "表": Table(columns, rows)})
    finally:
        tabular._CHUNK_ROWS = 5_000


def test_a_units_workbook_from_rows_formatted_once_is_the_workbook_of_its_tables(demo):
    """The unit's indicator and score rows are formatted once for its own workbook and the site's: its workbook is
    the bytes its plain tables give."""
    from jixiao.render.downloads import funds_table, tasks_table, unit_downloads

    checked = 0
    for item in site.load(demo):
        ev = item.evaluation
        plain = {
            "资金": funds_table(ev),
            "绩效指标": indicators_table(indicator_rows(ev)),
            "自评打分": scores_table(score_rows(ev)),
            "年度主要任务": tasks_table(ev),
        }
        expected = xlsx_bytes(plain, source_date(data_dates([ev])))
        assert unit_downloads(ev)["evaluation.xlsx"] == expected, ev.slug
        checked += len(plain["绩效指标"].rows) > 0 and len(plain["自评打分"].rows) > 0
    assert checked == 18


def test_a_stopped_builds_dataset_folder_is_removed_and_a_running_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path))
    parent = tmp_path / "open-data"
    stopped, recent, running = (
        parent / "999999999-old",
        parent / "999999998-new",
        parent / f"{os.getpid()}-old",
    )
    for folder in (stopped, recent, running):
        folder.mkdir(parents=True)
        (folder / "evaluations.json").write_text("[]")
    for folder in (stopped, running):
        os.utime(folder, (time.time() - 2 * 86_400,) * 2)
    mine = open_data.bundle_folder()
    assert mine.parent == parent and not any(mine.iterdir())
    assert not stopped.exists()  # a day old, its process gone
    assert recent.exists() and running.exists()  # younger than a day; its process still running
    again = open_data.bundle_folder()
    assert again != mine and not mine.exists()  # this process's previous build's folder: replaced
