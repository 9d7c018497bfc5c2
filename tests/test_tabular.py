"""CSV and XLSX written row by row (jixiao/render/tabular.py): what Excel and a script reading them see."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

from jixiao.render import tabular
from jixiao.render.tabular import Table, csv_bytes, xlsx_bytes

TABLE = Table(
    ["单位", "年度", "指标值", "备注", "核心指标"],
    [
        ("示例镇01人民政府", 2024, 95.5, "=1+1", True),
        ("示例镇02人民政府", 2024, None, '含逗号,与"引号"\n和换行', False),
        ("示例镇03人民政府", 2024, "达标", "http://example.invalid/", False),
    ],
)


def test_csv_has_a_bom_crlf_and_round_trips():
    raw = csv_bytes(TABLE)
    assert raw.startswith("\ufeff单位,年度,指标值,备注,核心指标\r\n".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[1] == ["示例镇01人民政府", "2024", "95.5", "=1+1", "True"]
    assert rows[2] == ["示例镇02人民政府", "2024", "", '含逗号,与"引号"\n和换行', "False"]
    assert len(rows) == 4


def test_xlsx_cells_keep_their_types_and_text_is_never_a_formula_or_link():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"绩效指标": TABLE})))
    sheet = book["绩效指标"]
    assert [c.value for c in sheet[1]] == TABLE.columns and sheet[1][0].font.b
    first, second, third = sheet[2], sheet[3], sheet[4]
    assert first[2].value == 95.5 and first[2].data_type == "n"
    assert first[3].value == "=1+1" and first[3].data_type == "s"  # text, not a formula Excel would run
    assert first[4].value is True
    assert second[2].value is None
    assert third[2].value == "达标" and third[3].hyperlink is None
    assert sheet.freeze_panes == "A2"


def test_xlsx_bytes_are_reproducible():
    first, second = xlsx_bytes({"表": TABLE}), xlsx_bytes({"表": TABLE})
    assert first == second
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core


def test_a_large_workbook_is_streamed_with_the_same_cells(monkeypatch):
    rows = [(f"单位{n}", n, n / 4, None if n % 3 else "备注", n % 2 == 0) for n in range(300)]
    table = Table(TABLE.columns, rows)
    in_memory = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"a": table, "b": TABLE})))
    monkeypatch.setattr(tabular, "_STREAM_ROWS", 100)
    streamed_bytes = xlsx_bytes({"a": table, "b": TABLE})
    streamed = openpyxl.load_workbook(io.BytesIO(streamed_bytes))
    assert streamed.sheetnames == in_memory.sheetnames == ["a", "b"]
    for name in ("a", "b"):
        values = list(streamed[name].iter_rows(values_only=True))
        assert values == list(in_memory[name].iter_rows(values_only=True))
    assert len(list(streamed["a"].iter_rows())) == 301
    assert streamed_bytes == xlsx_bytes({"a": table, "b": TABLE})
