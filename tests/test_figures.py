"""Issue #13: every figure on the page is the figure in the file, and every claim is one the data supports.

Each test here failed before its fix; the item numbers are those of the issue.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao import metrics
from jixiao.checks import Context, check_evaluation, check_loaded
from jixiao.checks.report import match_items
from jixiao.findings import InvalidData
from jixiao.forms import import_files, reader_version
from jixiao.forms.cells import parse_measure, parse_op
from jixiao.load import load_unit_with_origins
from jixiao.model import Evaluation, Indicator

from .conftest import SEED
from .test_checks import good


def indicator(**fields) -> Indicator:
    return Indicator.model_validate(
        {"name": "满意度", "level1": "满意度指标", "level2": "满意度指标", **fields}
    )


def findings(data: dict, rule: str) -> list:
    ctx = Context(Evaluation.model_validate(data), "data/2024/示例镇")
    return [f for f in check_evaluation(ctx) if f.rule == rule]


# 3. Strict targets stay strict ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "op"),
    [
        (">", ">"),
        ("＞", ">"),
        ("大于", ">"),
        ("高于", ">"),
        ("超过", ">"),
        ("<", "<"),
        ("小于", "<"),
        ("低于", "<"),
    ],
)
def test_strict_operators_are_kept_as_written(written, op):
    assert parse_op(written) == op
    assert parse_measure(f"{written}95%").op == op


@pytest.mark.parametrize(
    ("written", "op"), [(">=", "≥"), ("≧", "≥"), ("不低于", "≥"), ("不超过", "≤"), ("≦", "≤")]
)
def test_non_strict_spellings_stay_non_strict(written, op):
    assert parse_op(written) == op


def test_a_strict_target_is_not_met_by_its_own_value():
    assert metrics.indicator_status(indicator(op=">", target=95, unit="%", actual=95)) == metrics.NOT_MET
    assert metrics.indicator_status(indicator(op=">", target=95, unit="%", actual=95.5)) == metrics.MET
    assert metrics.indicator_status(indicator(op="≥", target=95, unit="%", actual=95)) == metrics.MET
    assert metrics.indicator_status(indicator(op="<", target=3, unit="次", actual=3)) == metrics.NOT_MET


# 4. A missing operator is said, never a silent "=" ---------------------------------------------------------


def test_a_target_without_operator_is_judged_by_its_category_and_said_so():
    data = good()
    data["indicators"][0].update({"op": None, "target": 5, "actual": 6})
    met = metrics.indicator_status(Indicator.model_validate(data["indicators"][0]))
    assert met == metrics.MET  # 6 against a quantity target of 5: reached, not "✘ 未达成"
    [said] = findings(data, "indicator-implied-op")
    assert "没有写明 ≥、≤ 或 =，按“≥”判定" in said.message and "“培训次数”" in said.message
    assert said.location.field == "indicators[1].op"
    cost = indicator(level1="产出指标", level2="成本指标", name="成本", target=90, actual=95)
    assert metrics.effective_op(cost) == ("≤", True)
    assert metrics.indicator_status(cost) == metrics.NOT_MET


def test_a_sheet_without_operator_imports_no_operator(tmp_path):
    from .test_forms import NATIONAL_PROJECT, make_xlsx

    path = make_xlsx(tmp_path / "项目.xlsx", NATIONAL_PROJECT, merges=["A5:A7", "A10:A13"])
    indicators = import_files([path]).data["projects"][0]["indicators"]
    assert [i.get("op") for i in indicators] == ["≥", None, "≥"]


# 8. Qualitative indicators are not scored by the recomputation ---------------------------------------------


def test_recomputed_total_leaves_qualitative_points_unscored():
    data = good()
    data["indicators"][1].update({"op": "定性", "target": "持续改善", "unit": None, "actual": "持续改善"})
    [total] = findings(data, "recomputed-total")
    assert "1 项可计分指标 50.0 分" in total.message
    assert "另有 1 项指标共 50 分未重新计分" in total.message
    assert "合计 50.0 分" in total.message  # not 100: the text target is not counted as met


def test_seed_recomputation_no_longer_claims_100_points():
    item = load_unit_with_origins(SEED)
    [total] = [f.message for f in check_loaded(item) if f.rule == "recomputed-total"]
    assert "合计 80.0 分" in total and "另有 5 项指标共 20 分未重新计分" in total
    assert "合计 100.0 分" not in total


# 9. "报告未说明" only after searching the report --------------------------------------------------------------


def test_the_project_gap_finding_quotes_the_report_when_it_explains_the_gap():
    data = good()
    data["funds"]["by_nature"][1]["amount"] = 40  # groups add to 30: a gap of 10
    data["funds"]["by_nature"][0]["amount"] = 80
    [silent] = findings(data, "project-counts")
    assert "报告全文没有出现 10.00 万元这一差额" in silent.message
    data["report"]["sections"] = [
        {"heading": "二、支出", "level": 1, "text": "另有上年结转项目资金10.00万元未纳入项目统计。"}
    ]
    [explained] = findings(data, "project-counts")
    assert "报告写“另有上年结转项目资金10.00万元未纳入项目统计”" in explained.message
    assert "未说明" not in explained.message


# 10. Report items matched by name, never by position -------------------------------------------------------


def test_one_item_missing_from_the_report_does_not_shift_the_others():
    sheet = ["预算编制质量", "预算执行进度", "严控一般性支出", "资产利用率"]
    report = ["预算编制质量", "严控“一般性支出”", "固定资产利用率"]  # 预算执行进度 is not mentioned
    assert match_items(report, sheet) == {"预算编制质量": 0, "严控“一般性支出”": 2, "固定资产利用率": 3}


def test_no_false_warning_when_the_report_skips_an_item():
    data = good()
    data["scores"]["items"][1]["score"] = 4
    # The report speaks of the second item only; by position it would be compared with the first.
    data["report"]["stated"][1:3] = [
        {"field": "scores.items[预算执行履职效果].max", "value": 5, "quote": "满分5分"},
        {"field": "scores.items[预算执行履职效果].score", "value": 4, "quote": "自评得分4分"},
    ]
    assert findings(data, "report-vs-table") == []
    assert findings(data, "report-item-name") == []
    data["report"]["stated"][2]["value"] = 3
    [wrong] = findings(data, "report-vs-table")
    assert wrong.location.field == "scores.items[2].score" and "“预算执行履职效果”为 4" in wrong.message


# 11. Locations that send a clerk the right way -------------------------------------------------------------


def test_a_year_mismatch_points_at_the_cell_the_year_came_from(tmp_path):
    folder = tmp_path / "2023" / "宝城镇"
    shutil.copytree(SEED, folder)
    with pytest.raises(InvalidData) as err:
        load_unit_with_origins(folder)
    [mismatch] = [f for f in err.value.findings if f.rule == "path-mismatch"]
    assert mismatch.location.file.endswith("自评表.xlsx") and mismatch.location.cell is not None
    assert mismatch.location.field == "year"
    assert "年度 2024 与目录 2023 不一致" in mismatch.message


def test_findings_on_project_indicators_keep_their_cells(tmp_path):
    from .test_forms import NATIONAL_PROJECT, make_xlsx

    rows = [list(r) for r in NATIONAL_PROJECT]
    rows[-4][5] = "45公里"  # 维护里程 missed (50 planned) but still scored the full 40 points
    folder = tmp_path / "2024" / "示例镇"
    folder.mkdir(parents=True)
    make_xlsx(folder / "项目.xlsx", rows, merges=["A5:A7", "A10:A13"])
    (folder / "unit.yaml").write_text(
        "unit: {name: 示例镇人民政府, kind: 乡镇}\nfunds: {final_budget: 120}\n", encoding="utf-8"
    )
    item = load_unit_with_origins(folder)
    found = [f for f in check_loaded(item) if f.rule == "indicator-score"]
    assert found and all(f.location.cell and f.location.sheet == "Sheet1" for f in found)
    assert [(f.location.cell, f.location.field) for f in found] == [
        ("H11", "projects[1].indicators[1].score"),
        ("H12", "projects[1].indicators[2].score"),  # 100% with no operator: judged as ≥, 19.6 points
    ]


def test_every_list_position_in_a_message_counts_from_one():
    data = good()
    data["scores"]["items"][0]["score"] = 6  # the first item
    [over] = findings(data, "score-range")
    assert over.location.field == "scores.items[1].score"
    assert "scores.items[1].score" in over.line()
    assert over.location.words() == "示例镇 › 部门预算绩效自评打分表 › 打分项目 › 第 1 项 › 自评得分"


# 12. Originals that cannot be read are not published unremarked ---------------------------------------------


def test_an_unread_original_is_a_warning_on_the_site_wide_page(tmp_path):
    from jixiao.render.findings import render_checks_pages, view

    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    (folder / "附件.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    item = load_unit_with_origins(folder)
    found = check_loaded(item)
    [withheld] = [f for f in found if f.rule == "withheld-original"]
    assert withheld.severity == "warning" and withheld.location.file.endswith("附件.pdf")
    views = [view(f, folder, item.evaluation.canonical()) for f in found]
    page = render_checks_pages([(item.evaluation, views)])["checks/index.md"]
    assert "原件“附件.pdf”未公开：PDF 无法读取" in page


# One parse per file, the reader's own errors only, a cache that knows the libraries -------------------------


def test_each_workbook_is_parsed_once_per_load_and_check(monkeypatch):
    import jixiao.forms.workbook as workbook

    calls = []
    original = workbook.read_workbook
    monkeypatch.setattr(
        workbook,
        "read_workbook",
        lambda data, display, suffix="": calls.append(display) or original(data, display),
    )
    check_loaded(load_unit_with_origins(SEED))
    assert sorted(Path(p).name for p in calls) == ["打分表.xls", "自评表.xlsx"]


def test_a_bug_in_jixiao_is_not_reported_as_an_unreadable_workbook(monkeypatch):
    import jixiao.forms.workbook as workbook

    def broken(value):
        raise KeyError("a bug in jixiao")

    monkeypatch.setattr(workbook, "_plain", broken)
    with pytest.raises(KeyError):
        import_files([SEED / "自评表.xlsx"])


def test_a_bug_in_jixiao_is_not_reported_as_an_unreadable_pdf(monkeypatch):
    """pdfplumber calls jixiao's filter for every object of a page: its failure is jixiao's, not the file's."""
    import jixiao.forms.pdf_source as pdf_source

    from .planting import simple_pdf

    def broken(obj, boxes):
        raise KeyError("a bug in jixiao")

    monkeypatch.setattr(pdf_source, "_inside", broken)
    with pytest.raises(KeyError):
        pdf_source.read_pdf(simple_pdf(["Page one"]), "附件.pdf")


def test_a_truncated_workbook_is_a_located_error(tmp_path):
    data = (SEED / "自评表.xlsx").read_bytes()
    path = tmp_path / "坏.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidData) as err:
        import_files([path])
    assert [(f.rule, f.location.file) for f in err.value.findings] == [("unreadable-file", str(path))]


def test_the_parse_cache_key_changes_with_the_reader_libraries(monkeypatch):
    import jixiao.forms.cache as cache

    before = reader_version()
    cache._VERSION.clear()
    real = cache.metadata.version
    monkeypatch.setattr(
        cache.metadata, "version", lambda name: "99.0" if name == "python-calamine" else real(name)
    )
    assert reader_version() != before
    cache._VERSION.clear()


def test_an_xlsx_year_cell_location_reads_in_words():
    item = load_unit_with_origins(SEED)
    origin = item.origins["year"]
    assert origin.words().startswith("自评表.xlsx › 工作表“Sheet1” › ")
