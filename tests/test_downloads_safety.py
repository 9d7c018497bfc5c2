"""Downloads no spreadsheet evaluates, written the same way on every build."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from jixiao.model import Evaluation
from jixiao.render.downloads import unit_downloads
from jixiao.render.open_data import dataset_files

from .test_checks import good

HOSTILE = '=HYPERLINK("http://evil.example/u","单位")'


def hostile() -> Evaluation:
    data = good()
    data["unit"]["name"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    data["funds"]["adjustment"] = -20
    data["funds"]["initial_budget"] = 140
    first = data["indicators"][0]
    first.update(name=HOSTILE, unit="+1", note="\t=1+1", actual=-3.5, target="-2+3")
    data["indicators"].append({"name": "\r=2+2", "op": "定性", "target": "完成", "actual": "-完成"})
    return Evaluation.model_validate(data)


def xlsx_cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_xlsx_cells_from_data_are_text_never_formulas():
    ev = hostile()
    for content in (unit_downloads(ev)["evaluation.xlsx"], dataset_files([ev], [], [])["jixiao-data.xlsx"]):
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in xml and b"<f " not in xml
        cells = xlsx_cells(content)
        texts = {c.value for c in cells if c.data_type == "s"}
        assert HOSTILE in texts and "+1" in texts and "\t=1+1" in texts  # kept exactly, as text
        assert all(c.data_type in ("s", "n", "b") for c in cells), {c.data_type for c in cells}
        assert -3.5 in {c.value for c in cells if c.data_type == "n"}  # a genuine negative number stays one


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("name", ["indicators.csv", "scores.csv"])
def test_csv_cells_that_start_like_formulas_get_an_apostrophe(name):
    ev = hostile()
    files = {**unit_downloads(ev), **{f"open-{k}": v for k, v in dataset_files([ev], [], []).items()}}
    for content in (files[name], files[f"open-{name}"]):
        cells = [c for row in rows(content)[1:] for c in row]
        assert cells, name
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        numbers = [c for c in dangerous if c.lstrip("-").replace(".", "", 1).isdigit()]
        assert dangerous == numbers  # only genuine negative numbers may start with "-"
        if name == "indicators.csv":
            assert "'" + HOSTILE in cells and "'+1" in cells and "'\t=1+1" in cells and "'\r=2+2" in cells
            assert "-3.5" in cells and "'-2+3" in cells and "'-完成" in cells
            assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells


def test_xlsx_downloads_are_identical_whatever_the_clock(monkeypatch):
    import datetime as real

    ev = hostile()
    first = unit_downloads(ev)["evaluation.xlsx"]

    class Later(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return real.datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(real, "datetime", Later)
    monkeypatch.setattr("time.time", lambda: 1_950_000_000.0)
    monkeypatch.setattr("time.localtime", lambda *a: real.datetime(2031, 5, 6).timetuple())
    assert unit_downloads(ev)["evaluation.xlsx"] == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {
            (2024, 12, 31, 0, 0, 0)
        }  # the year's end: no date in data
        assert b"2024-12-31T00:00:00Z" in z.read("docProps/core.xml")


def test_source_date_epoch_sets_the_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with zipfile.ZipFile(io.BytesIO(unit_downloads(hostile())["evaluation.xlsx"])) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_the_data_dictionary_says_how_formulas_are_kept_inert():
    from jixiao.render.open_data import render_open_data_page

    ev = hostile()
    page = render_open_data_page([ev], dataset_files([ev], [], []), "站点", None, None)
    assert (
        "以 <code>=</code>、<code>+</code>、<code>-</code>、<code>@</code>、制表符或回车开头的文字前加了一个英文单引号"
        in page
    )
    assert "XLSX 中的文字一律存为文本，不含任何公式" in page
    assert "数据更新于 2024-12-31" in page
