"""Mistakes a clerk makes in a unit folder, each answered by a located line that says what to do.

test_every_rule_has_a_test finds every finding id the code names; these are the ones no other test made appear.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from jixiao.cli import main
from jixiao.findings import InvalidData
from jixiao.forms import import_files
from jixiao.forms.document import read_grids
from jixiao.forms.workbook import Grid

from .conftest import SEED
from .test_forms import make_xlsx


def _seed(tmp_path):
    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    return folder


def _check(tmp_path, capsys) -> list[str]:
    assert main(["check", "--data", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    return (captured.out + captured.err).splitlines()


def _with_corrections(folder, corrections):
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    unit["corrections"] = corrections
    (folder / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")


def test_a_correction_without_its_reason_is_refused_at_its_place(tmp_path, capsys):
    folder = _seed(tmp_path)
    _with_corrections(folder, [{"field": "funds.final_budget", "value": 1600}])
    lines = _check(tmp_path, capsys)
    assert (
        f"{folder / 'unit.yaml'}: corrections[1]: 每条更正须有 field（字段）、value（更正后的值）和 reason（理由） "
        "[invalid-correction]"
    ) in lines


def test_a_correction_of_a_field_the_files_do_not_have_is_refused(tmp_path, capsys):
    folder = _seed(tmp_path)
    _with_corrections(folder, [{"field": "indicators[不存在的指标].actual", "value": 1, "reason": "来函"}])
    lines = _check(tmp_path, capsys)
    line = next(line for line in lines if line.endswith("[correction-target-missing]"))
    assert line.startswith(
        f"{folder / 'unit.yaml'}: corrections[1]: 找不到要更正的字段 indicators[不存在的指标].actual"
    )


def test_two_yaml_files_in_one_unit_folder(tmp_path, capsys):
    folder = _seed(tmp_path)
    (folder / "evaluation.yaml").write_text("year: 2024\n", encoding="utf-8")
    assert f"{folder}: evaluation.yaml 与 unit.yaml 只能有一个 [two-yaml]" in _check(tmp_path, capsys)


def test_a_stray_yaml_file_is_named(tmp_path, capsys):
    folder = _seed(tmp_path)
    (folder / "unit-备份.yaml").write_text("year: 2024\n", encoding="utf-8")
    assert (
        f"{folder / 'unit-备份.yaml'}: 不认识的 YAML 文件：应为 unit.yaml 或 evaluation.yaml [unknown-file]"
    ) in _check(tmp_path, capsys)


def test_a_unit_yaml_saved_as_gbk_is_named_with_the_byte(tmp_path, capsys):
    folder = _seed(tmp_path)
    (folder / "unit.yaml").write_bytes("unit:\n  short_name: 宝城镇\n".encode("gbk"))
    assert f"{folder / 'unit.yaml'}: 不是 UTF-8 编码的文本（第 20 字节） [not-utf8]" in _check(
        tmp_path, capsys
    )


def test_a_file_of_a_format_no_reader_knows_is_refused_by_name(tmp_path):
    path = tmp_path / "自评表.numbers"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InvalidData) as raised:
        import_files([path])
    assert [f.line() for f in raised.value.findings] == [
        f"{path}: 不能读取 .numbers 文件：请提供 .xlsx、.xls、.docx、.doc、.pdf 或网页（.html） [unsupported-format]"
    ]


def test_two_files_that_disagree_on_a_figure_are_both_named(tmp_path):
    rows = [
        ["部门整体支出绩效目标完成情况自评表"],
        ["部门名称", "示例局"],
        ["年度预算", "全年预算数", "全年执行数"],
        ["年度资金总额", 100, 90],
    ]
    first = make_xlsx(tmp_path / "甲.xlsx", rows)
    second = make_xlsx(tmp_path / "乙.xlsx", [*rows[:3], ["年度资金总额", 120, 90]])
    with pytest.raises(InvalidData) as raised:
        import_files([first, second])
    assert [f.line() for f in raised.value.findings] == [
        f"{second}:Sheet1!B4: funds.final_budget: 此处为 120，与 {first}:Sheet1!B4 的 100 不一致 "
        "[conflicting-files]"
    ]


def test_an_indicator_row_with_no_figure_at_all_is_said_not_dropped(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["产出指标", "数量指标", "清运量", "≥4.5万吨", "4.62万吨"],
            [None, "质量指标", "群众满意度", None, None],
        ],
    )
    imported = import_files([path])
    assert [i["name"] for i in imported.data["indicators"]] == ["清运量", "群众满意度"]
    assert [f.line() for f in imported.findings if f.rule == "indicator-without-figures"] == [
        f"{path}:Sheet1!C3: 指标“群众满意度”没有指标值、实际完成值、分值或得分 [indicator-without-figures]"
    ]


def test_a_negative_self_score_is_an_error_on_its_cell():
    grid = Grid(
        "打分表.xlsx",
        "打分表",
        [
            ["部门预算绩效自评打分表", None, None, None, None],
            ["一级指标", "二级指标", "三级指标", "指标分值", "自评得分"],
            ["预算编制", "目标设置", "绩效目标", 5, -1],
        ],
    )
    extracts, _, _, _ = read_grids([grid])
    lines = [f.line() for ex in extracts for f in ex.findings]
    assert "打分表.xlsx:打分表!E3: 自评得分 -1 不能为负数（“绩效目标”） [score-negative]" in lines
