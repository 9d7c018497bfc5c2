"""The generated Markdown: golden files for the seed, escaping of every text that comes from data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from jixiao.checks import check_loaded
from jixiao.collection import summarise
from jixiao.load import load_unit_with_origins
from jixiao.model import Correction, Indicator, Project
from jixiao.render import fmt
from jixiao.render.charts import build_charts
from jixiao.render.findings import view
from jixiao.render.overview import render_overview
from jixiao.render.unit_page import render_unit_figures, render_unit_page

from .conftest import SEED

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: review the diff, then --update-golden"


def visible_text(markdown: str) -> str:
    """What a reader sees of generated Markdown/HTML: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markdown)))


# Headline figures as the seed document (shared/seeds/000_de8ade2d5ebbdf4b.txt) prints them — written here by hand,
# never taken from jixiao's own output, so a regenerated golden file cannot carry a wrong figure unnoticed.
SEED_FIGURES = {
    "评价得分": "93.8",  # 打分表: 评价得分 93.8
    "调整后预算": "1,599.38",  # 报告: 调整后财政拨款收入1599.38万元
    "年初预算": "1,354.29",  # 报告: 年初预算收入1354.29万元
    "中期调整": "245.09",  # 报告: 中期调整预算收入245.09万元
    "决算支出": "1,599.38",  # 报告: 决算报表支出1599.38万元
    "指标数": "49",  # 自评表 Sheet1: 49 indicator rows
    "人员经费": "1,059.39",
    "公用经费": "73.29",
}


def test_unit_page_golden(update_golden):
    item = load_unit_with_origins(SEED)
    findings = [view(f, item.folder, item.evaluation.canonical()) for f in check_loaded(item)]
    page = render_unit_page(item.evaluation, findings)
    check_golden("unit-2024-宝城镇.md", page, update_golden)
    text = visible_text(page)
    assert f"自评得分 {SEED_FIGURES['评价得分']} 分" in text
    assert f"调整后预算 {SEED_FIGURES['调整后预算']} 万元" in text
    assert f"年初预算 {SEED_FIGURES['年初预算']} 万元" in text
    assert f"支出 {SEED_FIGURES['决算支出']} 万元" in text
    assert f"中期调整 {SEED_FIGURES['中期调整']}" in text
    assert f"/ {SEED_FIGURES['指标数']} 项" in text
    assert f"人员经费 {SEED_FIGURES['人员经费']}" in text and f"公用经费 {SEED_FIGURES['公用经费']}" in text
    # The three points lost (支出执行进度 −2, 严控一般性支出 −3, 人均资产变化率 −1.2, as DOMAIN.md reads them off the sheet).
    for name, lost in (("支出执行进度", "2"), ("严控一般性支出", "3"), ("人均资产变化率", "1.2")):
        assert re.search(rf"{name} \d+(\.\d+)? \d+(\.\d+)? ▼ 扣 {re.escape(lost)} 分", text), name
    assert "⚠ 需核对：所述执行率与金额不符" in page
    assert "位置：自评报告.docx › 资金收支 › 支出执行进度 › 1—6 月 › 所述执行率" in page


def test_overview_page_golden(seed, update_golden):
    page = render_overview([summarise(seed)], 2024, [2024], "渠县预算绩效自评公开", "渠县", "", is_home=True)
    check_golden("overview-2024.md", page, update_golden)
    assert '<a href="2024/宝城镇/">渠县宝城镇人民政府</a>' in page
    text = visible_text(page)
    assert f"调整后预算合计 {SEED_FIGURES['调整后预算']} 万元" in text
    assert f"平均自评得分 {SEED_FIGURES['评价得分']} 分" in text
    # The score distribution is drawn at build time: one bar per band, the seed's 93.8 in 90—95 at full length.
    assert (
        '<span class="jx-hbar-label">90—95 分</span><span class="jx-hbar jx-w-100"></span><span class="jx-hbar-value">1</span>'
        in page
    )
    assert "charts:" not in page  # no chart library on the home page


def test_unit_page_shows_headline_figures(seed):
    page = render_unit_page(seed)
    assert "93.8 分" in page and "等级：优" in page
    assert "1,599.38 万元" in page
    # 1599.38 spent of 1599.38: the execution-rate card, not just any "100.0%" on the page.
    assert "预算执行率 100.0% 支出 1,599.38 万元" in visible_text(page)
    assert "44 / 49 项" in page
    # Points lost are said in words, not only coloured, in the forms' own word (扣分), at the top and in the table.
    assert (
        "扣分 3 项，共 6.2 分：支出执行进度扣 2 分、严控一般性支出扣 3 分、人均资产变化率扣 1.2 分。" in page
    )
    scores_table = page[page.index("<caption>打分明细") :]
    assert scores_table.count('jx-not-met">▼ 扣 ') == 3
    assert "▼ 扣 1.2 分" in scores_table and "失" not in scores_table


def test_every_chart_is_a_valid_plotly_figure_with_a_table(seed):
    charts = build_charts(seed)
    assert [c.id for c in charts] == [
        "budget",
        "sources",
        "nature",
        "economic",
        "progress",
        "three-public",
        "general-expenditure",
        "scores",
    ]
    for chart in charts:
        go.Figure(chart.figure)  # raises on any attribute Plotly does not know
        assert chart.rows and chart.summary
    figures = json.loads(render_unit_figures(seed))
    assert set(figures) == {c.id for c in charts}


def test_progress_table_reports_stated_and_computed_rates(seed):
    progress = next(c for c in build_charts(seed) if c.id == "progress")
    assert progress.rows[0] == ["1—6月", "735.65", "46.0%", "45.9%", "50.0%"]


HOSTILE = "<script>alert(1)</script> *粗体* [链接](http://x) | 管道"


def test_text_from_data_is_escaped(seed):
    ev = seed.model_copy(deep=True)
    ev.unit.name = HOSTILE
    ev.indicators[0].name = HOSTILE
    ev.tasks[0].content = HOSTILE
    ev.report.sections[0].text = HOSTILE
    page = render_unit_page(ev)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    assert heading.startswith(
        r"# &lt;script&gt;alert\(1\)&lt;/script&gt; \*粗体\* \[链接\]\(http://x\) \| 管道"
    )
    assert '"＜script＞alert(1)＜/script＞' in page  # the page title in front matter


@pytest.mark.parametrize(
    ("value", "text"),
    [(1599.38, "1,599.38"), (0, "0.00"), (466.7, "466.70"), (None, "—")],
)
def test_money(value, text):
    assert fmt.money(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(1.25, "1.25"), (5.0, "5"), (1059.39, "1,059.39"), ("提高", "提高")]
)
def test_num(value, text):
    assert fmt.num(value) == text


def test_markdown_cell_escape():
    assert fmt.md_cell("a|b\n*c*") == r"a\|b<br>\*c\*"


def test_project_evaluations_are_shown_with_status(seed):
    ev = seed.model_copy(deep=True)
    ev.projects = [
        Project(
            name="乡村道路维护",
            department="示例县交通运输局",
            funds={
                "initial_budget": 100,
                "final_budget": 120,
                "expenditure": 114,
                "execution_rate": 95,
                "score": 9.5,
                "max": 10,
            },
            indicators=[
                Indicator(name="维护里程", op="≥", target=50, unit="公里", weight=40, actual=52, score=40),
                Indicator(
                    name="验收合格率",
                    op="=",
                    target=100,
                    unit="%",
                    weight=20,
                    actual=98,
                    score=18,
                    note="雨季影响",
                ),
            ],
            total_score=97.5,
        )
    ]
    page = render_unit_page(ev)
    assert "## 项目支出绩效自评 {#project-evaluations}" in page
    assert "### 乡村道路维护" in page
    assert "年初预算 100.00，全年预算 120.00，全年执行 114.00，执行率 95.0%，得分 9.5 / 10" in page
    assert "✔ 达成" in page and "✘ 未达成" in page and "雨季影响" in page


def test_corrections_are_shown_on_the_page(seed):
    ev = seed.model_copy(deep=True)
    ev.corrections = [
        Correction(
            field="indicators[村、社区劝导员人数].actual",
            value=28,
            original=30,
            reason="单位来函更正：原表误录",
        )
    ]
    page = render_unit_page(ev)
    assert "## 更正记录 {#corrections}" in page
    # The field in words, never a code path.
    assert (
        '<th scope="row">年度绩效指标 › “村、社区劝导员人数” › 实际完成值</th><td data-label="原始文件中的值">30</td>'
        in page
    )
    assert "indicators[" not in page
    assert "单位来函更正：原表误录" in page
    assert "更正记录" not in render_unit_page(seed)


def test_chart_labels_from_data_carry_no_markup(seed):
    ev = seed.model_copy(deep=True)
    ev.funds.by_source[0].name = '<a href="javascript:alert(1)">来源</a>'
    ev.scores.items[0].level2 = "<b>履职效能</b>"
    figures = render_unit_figures(ev)
    assert "<a href" not in figures and "<b>" not in figures
    assert "＜a href" in figures and "＜b＞履职效能" in figures


def test_budget_waterfall_total_is_the_stated_adjusted_budget(seed):
    """When 年初预算 + 调整 differs from the stated 调整后预算, the last bar still shows the stated figure."""
    ev = seed.model_copy(deep=True)
    ev.funds.final_budget = 1650.0  # 1,354.29 + 245.09 = 1,599.38: the file states another figure
    budget = next(c for c in build_charts(ev) if c.id == "budget")
    trace = budget.figure["data"][0]
    assert (trace["measure"][-1], trace["y"][-1], trace["text"][-1]) == ("absolute", 1650.0, "1,650.00")
    assert budget.rows[-1] == ["调整后预算", "1,650.00"]
    assert "相差 50.62 万元" in budget.summary


def test_stated_rates_are_quoted_as_the_report_writes_them(seed):
    """原文所述 is the report's own figure: 67%, not 67.0%; the computed rate keeps its one decimal."""
    progress = next(c for c in build_charts(seed) if c.id == "progress")
    assert [row[3] for row in progress.rows] == ["45.9%", "67%", "100%"]
    assert progress.rows[1][2] == "67.1%"


def test_two_year_chart_uses_the_years_the_report_states(seed):
    from jixiao.forms.statements import extract_statements, statements_to_fields

    text = "一般性支出，2022年预算安排74.91万元，2023年预算安排60.6万元；2022年决算65.73万元，2023年决算73.29万元。"
    stated = statements_to_fields(extract_statements([{"heading": "一、", "level": 1, "text": text}]))
    assert stated["funds"]["general_expenditure"]["year_prev"] == 2022
    ev = seed.model_copy(deep=True)  # a 2024 evaluation whose report compares 2022 with 2023
    ev.funds.general_expenditure = type(ev.funds.general_expenditure)(
        **stated["funds"]["general_expenditure"]
    )
    chart = next(c for c in build_charts(ev) if c.id == "general-expenditure")
    assert chart.figure["data"][0]["y"] == ["2022年", "2023年"]
    assert [row[0] for row in chart.rows[:2]] == ["2022年", "2023年"]
