"""CSV and XLSX written row by row (jixiao/render/tabular.py): what Excel and a script reading them see."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    odd = Table(["文字"], [("甲\x01乙",), ("  前后有空格  ",), ("长" * 40_000,), ("甲\ud800乙",)])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"表": odd})))["表"]
    assert sheet["A2"].value == "甲_x0001_乙"  # Excel's own escape for a control character
    assert sheet["A3"].value == "  前后有空格  "
    assert len(sheet["A4"].value) == tabular.MAX_CELL_TEXT
    # A lone surrogate (UTF-8 cannot encode it): escaped, not a crash.
    assert sheet["A5"].value == "甲_xD800_乙"


def _zipfile_workbook(sheets: dict[str, Table], when: dt.datetime) -> bytes:
    """The workbook as the standard library's zipfile writes it, entry by entry: what tabular._zip stands in for."""
    entries = [(name, [text.encode()]) for name, text in tabular._package(list(sheets), tabular._iso(when))]
    entries += [(f"xl/worksheets/sheet{n}.xml", tabular._sheet(t)) for n, t in enumerate(sheets.values(), 1)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, parts in entries:
            info = zipfile.ZipInfo(name, when.timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            with book.open(info, "w", force_zip64=True) as entry:
                for part in parts:
                    entry.write(part)
    return buffer.getvalue()


@pytest.mark.parametrize("limit", [None, 300])
def test_the_workbook_is_the_zip_that_zipfile_writes(monkeypatch, limit):
    # With a small limit, the ZIP64 fields of the central directory and its ZIP64 end records are written too
    # (a real workbook needs them only beyond 2 GB).
    if limit:
        monkeypatch.setattr(tabular, "_ZIP64_LIMIT", limit)
        monkeypatch.setattr(zipfile, "ZIP64_LIMIT", limit)
    when = dt.datetime(2025, 3, 31, 12, 30, 59, tzinfo=dt.UTC)
    rows = [(f"单位{n}", n, n / 7, "说明" * (n % 5)) for n in range(400)]
    sheets = {"绩效指标": TABLE, "大表": Table(["单位", "序号", "比例", "说明"], rows)}
    written = xlsx_bytes(sheets, when)
    assert written == _zipfile_workbook(sheets, when)
    with zipfile.ZipFile(io.BytesIO(written)) as book:
        assert book.testzip() is None
        assert book.getinfo("xl/worksheets/sheet2.xml").date_time == (2025, 3, 31, 12, 30, 58)
    if not limit:
        assert openpyxl.load_workbook(io.BytesIO(written))["大表"]["D400"].value == "说明" * 3


@settings(max_examples=60)
@given(st.text(st.characters(blacklist_characters="_"), max_size=40))
def test_any_text_is_a_cell_that_reads_back(value):
    # ("_" left out: a text such as "_x0041_" reads back as the character it escapes, in openpyxl as in Excel.)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"表": Table(["文字"], [(value,)])})))["表"]
    # Control characters XML cannot carry come back as Excel's escape (_x0001_).
    assert sheet["A2"].value == tabular._NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
