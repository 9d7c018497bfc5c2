"""Hostile and careless input: only the data folder is read, every limit ends in a located error at once, and no
value (NaN, infinity, an absurd figure, an impossible date, a control character) gets through or crashes."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from jixiao import limits
from jixiao.cli import main
from jixiao.findings import InvalidData
from jixiao.forms import read_file

from .conftest import FIXTURES, SEED


@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SEED, root / "2024" / "宝城镇")
    return root


def check(data: Path, capsys) -> tuple[int, list[str]]:
    code = main(["check", "--data", str(data)])
    return code, capsys.readouterr().out.splitlines()


def errors_of(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidData) as err:
        read_file(path, str(path))
    return [(f.rule, f.location.terminal(), f.message) for f in err.value.findings]


# --- only the data folder is read ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_links_leading_out_of_the_data_folder_are_refused(data, capsys, target):
    link = data / "2024" / "宝城镇" / "附件.pdf"
    link.symlink_to(target)
    code, out = check(data, capsys)
    assert code == 1
    assert f"{link}: 是指向数据目录以外的链接，拒绝读取 [unsafe-file]" in out


def test_a_link_within_the_data_folder_is_read(data, capsys):
    shared = data / "共享"
    shared.mkdir()
    folder = data / "2024" / "宝城镇"
    (folder / "自评表.xlsx").rename(shared / "自评表.xlsx")
    (folder / "自评表.xlsx").symlink_to(shared / "自评表.xlsx")
    code, out = check(data, capsys)
    assert code == 0, out


def test_devices_and_pipes_are_refused(data, capsys):
    folder = data / "2024" / "宝城镇"
    os.mkfifo(folder / "管道.pdf")
    (folder / "设备.pdf").symlink_to("/dev/zero")
    code, out = check(data, capsys)
    assert code == 1
    assert f"{folder / '管道.pdf'}: 不是普通文件（设备、管道或套接字），拒绝读取 [unsafe-file]" in out
    assert f"{folder / '设备.pdf'}: 是指向数据目录以外的链接，拒绝读取 [unsafe-file]" in out


def test_a_unit_folder_that_links_elsewhere_is_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(SEED, elsewhere)
    data = tmp_path / "data"
    (data / "2024").mkdir(parents=True)
    (data / "2024" / "宝城镇").symlink_to(elsewhere)
    code, out = check(data, capsys)
    assert code == 1
    assert f"{data / '2024' / '宝城镇'}: 单位目录是指向数据目录以外的链接，拒绝读取 [unsafe-file]" in out


def test_a_site_file_that_links_elsewhere_is_refused(data, tmp_path, capsys):
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: 外部文件\n", encoding="utf-8")
    (data / "site.yaml").symlink_to(outside)
    assert main(["build", "--data", str(data), "--site", str(tmp_path / "site")]) == 1
    assert "site.yaml 不是数据目录中的普通文件，拒绝读取 [unsafe-file]" in capsys.readouterr().err


# --- limits -------------------------------------------------------------------------------------------------


def test_a_file_beyond_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "自评表.xlsx"
    with open(big, "wb") as f:
        f.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    [(rule, where, message)] = errors_of(big)
    assert (rule, where) == ("file-too-large", str(big)) and "超过上限 20 MB" in message


def xlsx_with(tmp_path: Path, name: str, change) -> Path:
    path = tmp_path / name
    shutil.copy(SEED / "自评表.xlsx", path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts = change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in parts.items():
            z.writestr(n, content)
    return path


def _sheet(parts, old: bytes, new: bytes):
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new, 1)
    return parts


def test_a_sparse_sheet_reaching_the_last_cell_is_refused(tmp_path):
    path = xlsx_with(
        tmp_path,
        "稀疏.xlsx",
        lambda p: _sheet(
            p, b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
        ),
    )
    [(rule, where, message)] = errors_of(path)
    assert (rule, where) == ("file-too-large", f"{path}:Sheet1")
    assert message.startswith("工作表范围 1,048,576 行 × 16,384 列，超过上限")


def test_a_giant_merged_range_is_refused(tmp_path):
    def merge(parts):
        sheet = parts["xl/worksheets/sheet1.xml"]
        if b"<mergeCells" in sheet:
            sheet = sheet.replace(b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/></mergeCells>')
        else:
            sheet = sheet.replace(
                b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>'
            )
        parts["xl/worksheets/sheet1.xml"] = sheet
        return parts

    [(rule, where, _)] = errors_of(xlsx_with(tmp_path, "合并.xlsx", merge))
    assert (rule, where) == ("file-too-large", f"{tmp_path / '合并.xlsx'}:Sheet1")


@pytest.mark.parametrize(
    "table, row",
    [
        ('<tr><td rowspan="100000000" colspan="100000">x</td></tr>', 1),
        (
            '<tr><td>a</td></tr><tr><td colspan="16384">x</td></tr>'
            + '<tr><td colspan="16384">x</td></tr>' * 99_998,
            2,
        ),
        ("<tr><td>1</td></tr>" * (limits.MAX_ROWS + 1), limits.MAX_ROWS + 1),
    ],
)
def test_html_spans_and_rows_beyond_the_limits_are_refused(tmp_path, table, row):
    path = tmp_path / "导出.xls"
    path.write_text(f"<html><body><table>{table}</table></body></html>", encoding="utf-8")
    [(rule, where, message)] = errors_of(path)
    assert rule == "file-too-large" and where.startswith(f"{path}:表1")
    assert f"第 {row} 行" in message or "行" in message


def test_nested_html_tables_beyond_the_limit_are_refused(tmp_path):
    path = tmp_path / "嵌套.xls"
    depth = limits.MAX_NESTING + 1
    path.write_text(
        "<html><body>" + "<table><tr><td>" * depth + "</td></tr></table>" * depth, encoding="utf-8"
    )
    [(rule, _, message)] = errors_of(path)
    assert rule == "file-too-large" and "嵌套" in message


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = xlsx_with(
        tmp_path,
        "炸弹.xlsx",
        lambda p: {**p, "xl/media/padding.xml": b"<a>" + b" " * (4 * limits.MB) + b"</a>"},
    )
    [(rule, where, message)] = errors_of(path)
    assert (rule, where) == ("file-too-large", f"{path}: xl/media/padding.xml")
    assert message.startswith("压缩比") and "超过上限 200" in message


def test_a_part_that_lies_about_its_size_is_cut_off(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 64 * 1024)
    path = xlsx_with(tmp_path, "谎报.xlsx", lambda p: {**p, "xl/big.xml": b"<a>" + b"x1" * 40_000 + b"</a>"})
    raw = bytearray(path.read_bytes())
    # Make the central directory claim 10 bytes for the part: only reading it tells the truth.
    entry = raw.rfind(b"xl/big.xml")
    raw[entry - 22 : entry - 18] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    [(rule, where, message)] = errors_of(path)
    assert rule in {"file-too-large", "unreadable-file"} and "xl/big.xml" in where


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_xml_entities_are_refused_before_any_parser_sees_them(tmp_path, doctype):
    def inject(parts):
        sheet = parts["xl/worksheets/sheet1.xml"]
        head, _, rest = sheet.partition(b"?>")
        parts["xl/worksheets/sheet1.xml"] = head + b"?>" + doctype + rest
        return parts

    path = xlsx_with(tmp_path, "实体.xlsx", inject)
    [(rule, where, message)] = errors_of(path)
    assert (rule, where) == ("unsafe-file", f"{path}: xl/worksheets/sheet1.xml")
    assert "DOCTYPE" in message


@pytest.mark.parametrize("cut", [512, 1536, 4096, 7000])
def test_a_truncated_legacy_workbook_is_a_located_error(tmp_path, cut):
    path = tmp_path / "打分表.xls"
    path.write_bytes((FIXTURES / "打分表.xls").read_bytes()[:cut])
    [(rule, where, _)] = errors_of(path)
    assert rule == "unreadable-file" and where == str(path)


# --- values -------------------------------------------------------------------------------------------------


def write_yaml(data: Path, text: str) -> Path:
    path = data / "2024" / "宝城镇" / "unit.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_an_impossible_date_is_a_located_error(data, capsys):
    path = write_yaml(data, "")
    text = path.read_text(encoding="utf-8").replace("date: 2024-07-09", "date: 2024-02-30")
    path.write_text(text, encoding="utf-8")
    code, out = check(data, capsys)
    line = text.splitlines().index("- date: 2024-02-30") + 1
    assert code == 1
    assert (
        f"{path}:{line}: publications[1].date: 应为日期（如 2024-07-09），实际为 '2024-02-30' [invalid-date]"
        in out
    )


def evaluation_yaml(data: Path, **changes) -> Path:
    import yaml

    from .test_checks import good

    folder = data / "2024" / "示例镇"
    folder.mkdir(parents=True)
    body = good()
    for path, value in changes.items():
        node = body
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if key.isdigit() else node[key]
        node[keys[-1]] = value
    text = yaml.safe_dump(body, allow_unicode=True)
    (folder / "evaluation.yaml").write_text(
        text.replace("'@NAN'", ".nan").replace("'@INF'", ".inf"), encoding="utf-8"
    )
    return folder / "evaluation.yaml"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("funds.final_budget", "@NAN", "不能是 NaN 或无穷大"),
        ("funds.expenditure", "@INF", "不能是 NaN 或无穷大"),
        ("funds.initial_budget", 1e15, "不能大于 100000000.0"),
        ("indicators.0.weight", "@NAN", "不能是 NaN 或无穷大"),
        ("indicators.0.target", "@INF", "不能是 NaN 或无穷大"),
        ("indicators.0.actual", 1e300, "超出合理范围"),
        ("scores.items.0.score", "@INF", "不能是 NaN 或无穷大"),
        ("unit.name", "示例\x00镇", "含控制字符 U+0000"),
        ("goal", "目标\x1b[31m", "含控制字符 U+001B"),
    ],
)
def test_impossible_values_are_located_errors_in_check_and_build(tmp_path, capsys, field, value, message):
    data = tmp_path / "data"
    path = evaluation_yaml(data, **{field: value})
    code, out = check(data, capsys)
    assert code == 1
    lines = [line for line in out if line.startswith(str(path))]
    assert any(message in line and field.split(".")[0] in line for line in lines), lines
    site = tmp_path / "site"
    assert main(["build", "--data", str(data), "--site", str(site)]) == 1
    assert message in capsys.readouterr().err
    assert not site.exists()


def test_a_yaml_billion_laughs_is_refused(data, capsys):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    path = data / "2024" / "宝城镇" / "unit.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = check(data, capsys)
    assert code == 1
    assert any(line.startswith(f"{path}: YAML 格式错误：锚点") for line in out), out


def test_the_readme_states_every_limit():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, value in limits.describe():
        assert f"| {name} | {value} |" in readme, name
