"""The unit page: one evaluation in, Markdown (with escaped HTML blocks) and figure JSON out. No I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from jixiao import metrics
from jixiao.collection import UnitSummary, compare_href
from jixiao.location import field_words
from jixiao.model import Evaluation
from jixiao.render.chart_kit import Chart
from jixiao.render.charts import build_charts
from jixiao.render.env import render
from jixiao.render.findings import FindingView
from jixiao.render.summary import lost_points, missed_targets
from jixiao.render.trend_charts import trend_charts

FIGURES_FILE = "figures.json"
FILES_DIR = "原始文件"
STATUS_CLASS = {
    metrics.MET: "jx-met",
    metrics.NOT_MET: "jx-not-met",
    metrics.QUALITATIVE: "jx-qualitative",
    metrics.UNDETERMINED: "jx-undetermined",
}
# A shape per status, so the status never rests on colour alone.
STATUS_MARK = {metrics.MET: "✔", metrics.NOT_MET: "✘", metrics.QUALITATIVE: "◇", metrics.UNDETERMINED: "？"}


@dataclass(frozen=True)
class Download:
    file: str
    save_as: str
    label: str
    format: str


def downloads_for(ev: Evaluation) -> list[Download]:
    stem = f"{ev.display_name}-{ev.year}"
    return [
        Download("indicators.csv", f"{stem}-绩效指标.csv", "绩效指标表", "CSV，UTF-8，可用 Excel 打开"),
        Download("scores.csv", f"{stem}-自评打分.csv", "自评打分表", "CSV，UTF-8，可用 Excel 打开"),
        Download("evaluation.xlsx", f"{stem}.xlsx", "全部数据（多个工作表）", "Excel XLSX"),
        Download("evaluation.json", f"{stem}.json", "全部数据（机器可读）", "JSON"),
    ]


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _sections(ev: Evaluation, findings, peers, history) -> list[tuple[str, str]]:
    """The page's sections that this evaluation has, in page order: the visible 本页目录."""
    present = [
        ("summary", "要点", True),
        ("funds", "资金收支", True),
        ("projects", "部门预算项目", ev.project_summary is not None),
        ("scores", "自评打分", ev.scores is not None),
        ("indicators", "绩效指标", bool(ev.indicators)),
        ("project-evaluations", "项目支出绩效自评", bool(ev.projects)),
        ("goals", "年度目标与主要任务", bool(ev.goal or ev.tasks)),
        ("overview", "单位概况", bool(ev.staffing or ev.assets)),
        ("problems", "存在问题", bool(ev.report and ev.report.problems)),
        ("report", "自评报告", ev.report is not None),
        ("history", "历年对比", len(history) > 1),
        ("peers", "相近单位", bool(peers)),
        ("checks", "数据核对", True),
        ("corrections", "更正记录", bool(ev.corrections)),
        ("downloads", "数据下载", True),
    ]
    return [(anchor, label) for anchor, label, shown in present if shown]


def _project_gap(ev: Evaluation) -> dict | None:
    """The project groups' budgets against 项目支出, when they do not add up (the report leaves it unexplained)."""
    ps = ev.project_summary
    if ps is None or not ps.groups or any(g.amount is None for g in ps.groups):
        return None
    spending = next((a.amount for a in ev.funds.by_nature if a.name == "项目支出"), None)
    groups = sum(g.amount for g in ps.groups)
    if spending is None or abs(spending - groups) <= metrics.TOLERANCE:
        return None
    return {"groups": groups, "spending": spending, "gap": abs(spending - groups)}


def render_unit_page(
    ev: Evaluation,
    findings: list[FindingView] | None = None,
    peers: list[UnitSummary] = (),
    history: list[UnitSummary] = (),
    charts: tuple[list[Chart], list[Chart]] | None = None,
) -> str:
    """The Markdown of a unit's page, with what the checks found, its peers and its other years. ``charts``: the
    page's charts and its trend charts, when the caller made them already (for the figures beside the page)."""
    statuses = [metrics.indicator_status(i) for i in ev.indicators]
    findings = findings or []
    lost = lost_points(ev)
    data = cache(ev.canonical)  # for the corrections' places only: most evaluations have none
    unit_charts, trend = charts or unit_charts_of(ev, history)
    return render(
        "unit.md.j2",
        ev=ev,
        charts=unit_charts,
        counts=metrics.indicator_counts(ev),
        grade=metrics.grade(ev.scores.total) if ev.scores else None,
        execution_rate=metrics.execution_rate(ev),
        indicators=list(zip(ev.indicators, statuses, strict=True)),
        level1_values=_distinct(i.level1 for i in ev.indicators),
        level2_values=_distinct(i.level2 for i in ev.indicators),
        status_values=[s for s in metrics.STATUSES if s in statuses],
        status_class=STATUS_CLASS,
        status_mark=STATUS_MARK,
        weight_total=round(sum(i.weight or 0 for i in ev.indicators), 4),
        figures_file=FIGURES_FILE,
        downloads=downloads_for(ev),
        originals=[s for s in ev.sources if s.sha256],
        projects=[(p, [(i, metrics.indicator_status(i)) for i in p.indicators]) for p in ev.projects],
        findings=findings,
        warnings=[f for f in findings if f.severity == "warning"],
        lost=lost,
        lost_total=round(sum(x.lost for x in lost), 4),
        missed=missed_targets(ev),
        sections=_sections(ev, findings, peers, history),
        project_gap=_project_gap(ev),
        correction_place=lambda field: field_words(field, data()),
        peers=list(peers),
        compare=compare_href([ev.slug, *(p.slug for p in peers)], "../../") if peers else None,
        history=list(history),
        trend=trend,
        files_dir=FILES_DIR,
    )


def unit_charts_of(ev: Evaluation, history: list[UnitSummary] = ()) -> tuple[list[Chart], list[Chart]]:
    """The unit's charts and its trend charts: on its page, and as the figures beside it."""
    return build_charts(ev), trend_charts(list(history))


def render_unit_figures(
    ev: Evaluation, history: list[UnitSummary] = (), charts: tuple[list[Chart], list[Chart]] | None = None
) -> str:
    """The JSON written beside the page: every chart's figure, keyed by chart id."""
    unit_charts, trend = charts or unit_charts_of(ev, history)
    figures = {chart.id: chart.figure for chart in [*unit_charts, *trend]}
    return json.dumps(figures, ensure_ascii=False, separators=(",", ":"))
