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
    assert rows[1] == ["示例镇01人民政府", "2024", "95.5", "'=1+1", "True"]  # a formula-like text made inert
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


def test_a_large_sheet_is_streamed_in_chunks_with_every_row(monkeypatch):
    rows = [(f"单位{n}", n, n / 4, None if n % 3 else "备注", n % 2 == 0) for n in range(300)]
    monkeypatch.setattr(tabular, "_CHUNK_ROWS", 7)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"a": Table(TABLE.columns, rows), "b": TABLE})))
    assert book.sheetnames == ["a", "b"]
    values = list(book["a"].iter_rows(values_only=True))
    assert len(values) == 301 and values[1:] == [tuple(r) for r in rows]
    assert list(book["b"].iter_rows(values_only=True))[1][0] == "示例镇01人民政府"


def test_text_that_xml_cannot_carry_is_kept_readable():
    odd = Table(["文字"], [("甲\x01乙",), ("  前后有空格  ",), ("长" * 40_000,)])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"表": odd})))["表"]
    assert sheet["A2"].value == "甲_x0001_乙"  # Excel's own escape for a control character
    assert sheet["A3"].value == "  前后有空格  "
    assert len(sheet["A4"].value) == tabular.MAX_CELL_TEXT
