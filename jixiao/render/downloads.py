"""Per-unit downloads: CSV (UTF-8 with BOM so Excel opens it), XLSX (a sheet per table) and JSON."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao import metrics
from jixiao.model import Evaluation
from jixiao.render.json_text import indented_json
from jixiao.render.tabular import FormattedTable, Table, csv_bytes, xlsx_bytes
from jixiao.reproducible import data_dates, source_date

INDICATOR_COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "op": "指标性质",
    "target": "指标值",
    "unit": "度量单位",
    "weight": "权重",
    "actual": "实际完成值",
    "score": "得分",
    "core": "核心指标",
    "note": "备注",
}
SCORE_COLUMNS = {
    "level1": "一级指标",
    "level1_max": "一级分值",
    "level2": "二级指标",
    "level2_max": "二级分值",
    "name": "三级指标",
    "max": "指标分值",
    "score": "自评得分",
    "explanation": "指标解释",
    "note": "备注",
}
HEAD = ("单位", "年度")
STATUS_COLUMN = "状态（本站计算）"


def indicator_rows(ev: Evaluation) -> list[tuple]:
    # Breakdown rows (parts) are in the JSON download; the flat table keeps one row per indicator.
    head = (ev.unit.name, ev.year)
    return [
        (*head, *(getattr(ind, k) for k in INDICATOR_COLUMNS), metrics.indicator_status(ind))
        for ind in ev.indicators
    ]


def score_rows(ev: Evaluation) -> list[tuple]:
    head = (ev.unit.name, ev.year)
    return [
        (*head, *(getattr(item, k) for k in SCORE_COLUMNS)) for item in (ev.scores.items if ev.scores else [])
    ]


def indicators_table(rows: list[tuple]) -> Table:
    return Table((*HEAD, *INDICATOR_COLUMNS.values(), STATUS_COLUMN), rows)


def scores_table(rows: list[tuple]) -> Table:
    return Table((*HEAD, *SCORE_COLUMNS.values()), rows)


def funds_table(ev: Evaluation) -> Table:
    f = ev.funds
    rows = [
        ("年初预算", f.initial_budget),
        ("中期调整", f.adjustment),
        ("调整后预算", f.final_budget),
        ("决算支出", f.expenditure),
        *((f"收入来源：{a.name}", a.amount) for a in f.by_source),
        *((f"支出按性质：{a.name}", a.amount) for a in f.by_nature),
        *((f"支出按经济分类：{a.name}", a.amount) for a in f.by_economic),
        *((f"1—{p.month}月累计支出", p.amount) for p in f.execution_progress),
    ]
    if f.three_public:
        rows += [("“三公”经费预算", f.three_public.budget), ("“三公”经费实际", f.three_public.actual)]
    if f.general_expenditure:
        ge = f.general_expenditure
        rows += [
            ("一般性支出预算（上年）", ge.budget_prev),
            ("一般性支出预算（本年）", ge.budget),
            ("一般性支出决算（上年）", ge.actual_prev),
            ("一般性支出决算（本年）", ge.actual),
        ]
    rows.append(("年末结转结余", f.carryover))
    head = (ev.unit.name, ev.year)
    return Table((*HEAD, "项目", "金额（万元）"), [(*head, n, v) for n, v in rows if v is not None])


def tasks_table(ev: Evaluation) -> Table:
    head = (ev.unit.name, ev.year)
    return Table((*HEAD, "任务名称", "主要内容"), [(*head, t.name, t.content) for t in ev.tasks])


@dataclass(frozen=True)
class UnitTables:
    """What a unit's downloads share with its piece of the site's dataset (jixiao.render.open_data): made once."""

    indicators: Table
    scores: Table
    indicator_sheet: FormattedTable
    score_sheet: FormattedTable
    canonical: dict

    @classmethod
    def of(cls, ev: Evaluation) -> UnitTables:
        indicators, scores = indicators_table(indicator_rows(ev)), scores_table(score_rows(ev))
        return cls(
            indicators, scores, FormattedTable.of(indicators), FormattedTable.of(scores), ev.canonical()
        )


def unit_downloads(ev: Evaluation, tables: UnitTables | None = None) -> dict[str, bytes]:
    """File name (beside the unit page) -> content."""
    tables = tables or UnitTables.of(ev)
    return {
        "indicators.csv": csv_bytes(tables.indicators),
        "scores.csv": csv_bytes(tables.scores),
        "evaluation.xlsx": xlsx_bytes(
            {
                "资金": funds_table(ev),
                "绩效指标": tables.indicator_sheet,
                "自评打分": tables.score_sheet,
                "年度主要任务": tasks_table(ev),
            },
            source_date(data_dates([ev])),
        ),
        "evaluation.json": indented_json(tables.canonical).encode("utf-8"),
    }
