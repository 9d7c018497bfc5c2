"""The command line as a clerk meets it: exact lines, exit codes, no traceback, nothing lost."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml

from jixiao.cli import main
from jixiao.target import MARK

from .conftest import DATA, FIXTURES, ROOT, SEED

BAD_YAML = """\
unit:
  name: 示例镇人民政府
  short_name: 示例镇
year: 2024
funds:
  initial_budget: 一千
  final_budgt: 1599.38
indicators:
  - name: 劝导员人数
    op: ≥
    target: 18
    weight: 多
"""


def write_unit(root: Path, text: str, year: str = "2024", unit: str = "示例镇") -> Path:
    folder = root / year / unit
    folder.mkdir(parents=True)
    (folder / "evaluation.yaml").write_text(text, encoding="utf-8")
    return folder / "evaluation.yaml"


def expected_bad_lines(path: Path) -> list[str]:
    return [
        f"{path}:2: unit.kind: 缺少必填字段 [missing-field]",
        f"{path}:6: funds.initial_budget: 应为数字，实际为 '一千' [invalid-number]",
        f"{path}:6: funds.final_budget: 缺少必填字段 [missing-field]",
        f"{path}:7: funds.final_budgt: 未知字段（是否拼写有误？） [unknown-field]",
        # List items are counted from 1, as on the page and in corrections: this is the first indicator.
        f"{path}:12: indicators[1].weight: 应为数字，实际为 '多' [invalid-number]",
    ]


def test_check_reports_every_problem_at_once(tmp_path, capsys):
    path = write_unit(tmp_path, BAD_YAML)
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"【{path.parent}】未能读取：5 处错误，0 处需核对，0 条提示",
        *expected_bad_lines(path),
        "",
        "检查完毕：1 个单位，5 处错误，0 处需核对，0 条提示。",
    ]


def test_check_of_two_units_reports_both(tmp_path, capsys):
    first = write_unit(tmp_path, BAD_YAML)
    second = write_unit(tmp_path, BAD_YAML.replace("示例镇", "示例乡"), unit="示例乡")
    assert main(["check", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{first}:2: unit.kind" in out and f"{second}:2: unit.kind" in out
    assert out.splitlines()[-1] == "检查完毕：2 个单位，10 处错误，0 处需核对，0 条提示。"


def test_build_with_bad_data_leaves_previous_site_untouched(tmp_path, capsys):
    path = write_unit(tmp_path / "data", BAD_YAML)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (site / MARK).write_text("a site jixiao built", encoding="utf-8")
    assert main(["build", "--data", str(tmp_path / "data"), "--site", str(site)]) == 1
    err = capsys.readouterr().err.splitlines()
    # The progress line of the phase that failed, then every problem.
    assert re.fullmatch(r"读取数据：1 个单位，未完成（\d+\.\d 秒）", err[0]), err[0]
    assert err[1:] == [*expected_bad_lines(path), "共 5 处错误，未生成网站。"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    # Refused before anything is written: no staging folder, no lock.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]


def test_yaml_syntax_error_names_the_line(tmp_path, capsys):
    path = write_unit(tmp_path, "unit:\n  name: [未闭合\nyear: 2024\n")
    assert main(["check", "--data", str(tmp_path)]) == 1
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith(f"{path}:3: YAML 格式错误：")
    assert line.endswith("[yaml-syntax]")


def test_year_and_unit_are_checked_against_the_path(tmp_path, capsys):
    text = (FIXTURES / "expected.yaml").read_text(encoding="utf-8")
    path = write_unit(tmp_path, text, year="2023", unit="别的镇")
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[1:3] == [
        f"{path}: year: 年度 2024 与目录 2023 不一致 [path-mismatch]",
        f"{path}: unit.short_name: 简称“宝城镇”与目录“别的镇”不一致 [path-mismatch]",
    ]


def test_empty_data_directory(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{tmp_path}: 没有找到任何单位目录 <年度>/<单位>/（应含自评表文件或 evaluation.yaml） [no-data]"
    )


def test_check_of_the_real_data_passes_with_its_warnings(capsys):
    assert main(["check", "--data", str(DATA)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("宝城镇】渠县宝城镇人民政府 2024 年：0 处错误，3 处需核对，8 条提示")
    assert out[-1] == "检查完毕：1 个单位，0 处错误，3 处需核对，8 条提示。"


def test_import_of_a_unit_folder_prints_the_evaluation_as_the_build_sees_it(capsys):
    assert main(["import", str(SEED)]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    assert printed["unit"] == expected["unit"]  # the name from 自评表.xlsx, the rest from unit.yaml
    assert printed["indicators"] == expected["indicators"]
    assert printed["scores"]["total"] == 93.8
    assert [s["file"] for s in printed["sources"]] == ["打分表.xls", "自评报告.docx", "自评表.xlsx"]


def test_import_of_files_prints_only_json_on_stdout(capsys):
    assert main(["import", str(FIXTURES / "打分表.xls"), str(FIXTURES / "自评表.xlsx")]) == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    assert out.err == ""
    assert len(printed["indicators"]) == 49 and len(printed["scores"]["items"]) == 25
    assert printed["unit"] == {"name": "渠县宝城镇人民政府"}


def test_import_errors_go_to_stderr_with_file_sheet_and_cell(tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "打分表"
    for row in (
        ["部门预算绩效自评打分表"],
        ["一级指标", "二级指标", "三级指标", "指标分值", "自评得分"],
        ["总体绩效（5分）", "履职效能（5分）", "预算编制质量", 5, None],
    ):
        sheet.append(row)
    book.save(tmp_path / "打分表.xlsx")
    missing = tmp_path / "没有这个文件.xlsx"
    assert main(["import", str(tmp_path / "打分表.xlsx"), str(missing)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [f"{missing}: 文件不存在 [missing-file]", "共 1 处错误。"]
    assert main(["import", str(tmp_path / "打分表.xlsx")]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [
        f"{tmp_path / '打分表.xlsx'}:打分表!E3: “预算编制质量”没有自评得分 [missing-score]",
        "共 1 处错误。",
    ]


def test_correction_is_applied_and_recorded(tmp_path, capsys):
    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    unit["corrections"] = [
        {
            "field": "indicators[村、社区劝导员人数].actual",
            "value": 28,
            "reason": "单位来函更正：原表误录为 30",
        }
    ]
    (folder / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    assert main(["import", str(folder)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["indicators"][1]["actual"] == 28
    assert printed["corrections"] == [
        {
            "field": "indicators[村、社区劝导员人数].actual",
            "value": 28,
            "reason": "单位来函更正：原表误录为 30",
            "original": 30,
        }
    ]


def test_a_silent_correction_is_an_error(tmp_path, capsys):
    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    with (folder / "unit.yaml").open("a", encoding="utf-8") as f:
        f.write("funds:\n  final_budget: 1600\n")
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[1] == (
        f"{folder / 'unit.yaml'}: funds.final_budget: 原始文件中为 1599.38（{folder / '自评表.xlsx'}:Sheet1!G6），"
        "这里写为 1600；如需更正，请写在 corrections 下并说明理由 [silent-correction]"
    )


def test_console_script_prints_no_traceback(tmp_path):
    write_unit(tmp_path / "data", BAD_YAML)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao.cli",
            "build",
            "-q",  # progress lines aside, the problems alone
            "--data",
            str(tmp_path / "data"),
            "--site",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 6


def test_failed_mkdocs_build_leaves_previous_site_untouched(tmp_path, capsys):
    """A page MkDocs cannot build (here: the nav names a missing page, a warning in strict mode) changes nothing."""
    config = {"site_name": "测试", "plugins": ["jixiao"], "nav": ["index.md", {"不存在": "missing.md"}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (site / MARK).write_text("a site jixiao built", encoding="utf-8")
    code = main(["build", "--data", str(DATA), "--site", str(site), "--config", str(tmp_path / "mkdocs.yml")])
    assert code == 1
    err = capsys.readouterr().err
    assert "missing.md" in err
    assert err.splitlines()[-1].startswith("错误：MkDocs 构建失败，原网站未改动")
    assert "Traceback" not in err
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "docs", "mkdocs.yml", "site"]


def test_a_staffing_kind_written_as_a_number_is_named_by_its_key_not_a_position(tmp_path, capsys):
    """authorized_by_type is keyed by the kind of staff: a wrong entry is named by its key as written, ``[2024]``
    (an integer key is no list position, not one too high), and a wrong count by its kind."""
    text = BAD_YAML.replace(
        "year: 2024\n", "year: 2024\nstaffing:\n  authorized_by_type: {2024: 3, 行政: 多}\n"
    )
    path = write_unit(tmp_path, text)
    assert main(["check", "--data", str(tmp_path)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "authorized_by_type" in line]
    assert lines == [
        f"{path}:6: staffing.authorized_by_type[2024]: 应为文字，实际为 2024 [invalid-value]",
        f"{path}:6: staffing.authorized_by_type[行政]: 应为整数，实际为 '多' [invalid-number]",
    ]


def test_a_silent_change_of_a_staffing_kind_names_the_entry_as_readers_do(tmp_path, capsys):
    """unit.yaml may not quietly overwrite a count the report states: the entry is named as the readers and
    corrections name it (authorized_by_type[行政]), so the report's place for it can be found."""
    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    unit = folder / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(
        text.replace("\nstaffing:\n", "\nstaffing:\n  authorized_by_type: {行政: 30}\n"), encoding="utf-8"
    )
    assert main(["check", "--data", str(tmp_path)]) == 1
    [line] = [line for line in capsys.readouterr().out.splitlines() if "[silent-correction]" in line]
    assert line.startswith(f"{unit}: staffing.authorized_by_type[行政]: 原始文件中为 29（")
