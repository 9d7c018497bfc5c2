"""Indicators: what was not met, and scores recomputed by the national rules next to the claimed ones.

National rules (财预〔2020〕10号): a met quantitative target earns its full weight; an unmet "≥" target earns
weight × actual ÷ target; an exceeded "≤" target earns weight × target ÷ actual; budget execution earns
10 × execution rate, at most 10. Qualitative targets are scored in bands by the unit and are not recomputed.
"""

from __future__ import annotations

from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, w
from jixiao.metrics import NOT_MET, QUALITATIVE, execution_rate, indicator_status
from jixiao.model import Indicator

G = "绩效指标"
ACHIEVED_WORDS = {
    "完成",
    "已完成",
    "达成",
    "已达成",
    "达标",
    "实现",
    "已实现",
    "达到",
    "达到预期",
    "达成预期指标",
}


def recomputed_score(ind: Indicator) -> float | None:
    """The points an indicator earns by the national rules; None when they cannot be computed."""
    if ind.weight is None:
        return None
    status = indicator_status(ind)
    if status == QUALITATIVE:
        achieved = ind.actual == ind.target or (isinstance(ind.actual, str) and ind.actual in ACHIEVED_WORDS)
        return ind.weight if achieved else None
    if status != NOT_MET:
        return ind.weight if status == "达成" else None
    target, actual = float(ind.target), float(ind.actual)
    if (ind.op == "≥" or (ind.op == "=" and actual < target)) and target > 0:
        return ind.weight * max(actual, 0) / target
    if actual > 0:
        return ind.weight * target / actual
    return 0.0


@rule("indicator-not-met", "指标未达成", "info", "实际完成值没有达到指标值（按指标性质 ≥、≤、= 比较）。", G)
def indicator_not_met(ctx: Context):
    for i, ind in enumerate(ctx.evaluation.indicators):
        if indicator_status(ind) == NOT_MET:
            unit = ind.unit or ""
            yield (
                f"indicators[{i + 1}]",
                f"“{ind.name}”未达成：指标值 {ind.op} {w(ind.target)}{unit}，实际完成 {w(ind.actual)}{unit}",
            )


@rule(
    "indicator-score",
    "指标得分与国家规则不符",
    "warning",
    "表中填报的指标得分，与按国家规则（达成得满分；未达成按完成比例折算）计算的结果不一致。",
    G,
)
def indicator_score(ctx: Context):
    for p_i, project in enumerate(ctx.evaluation.projects):
        for i, ind in enumerate(project.indicators):
            expected = recomputed_score(ind)
            if ind.score is None or expected is None or abs(expected - ind.score) <= 0.01:
                continue
            yield (
                f"projects[{p_i + 1}].indicators[{i + 1}].score",
                (
                    f"“{project.name}”的“{ind.name}”填报得分 {w(ind.score)}，按国家规则为 {expected:.2f}"
                    f"（{_formula(ind)}）"
                ),
            )


def _formula(ind: Indicator) -> str:
    status = indicator_status(ind)
    if status != NOT_MET:
        return f"{status}，得全部分值 {w(ind.weight)}"
    target, actual = float(ind.target), float(ind.actual)
    if ind.op == "≥" or (ind.op == "=" and actual < target):
        return f"{w(ind.weight)} × {w(actual)} ÷ {w(target)}"
    return f"{w(ind.weight)} × {w(target)} ÷ {w(actual)}"


@rule(
    "recomputed-total",
    "按国家规则重新计算的得分",
    "info",
    "依据绩效指标完成情况和预算执行率，按国家规则重新计算的参考得分，与单位自评的得分并列，便于比较（口径可能不同）。",
    G,
)
def recomputed_total(ctx: Context):
    ev = ctx.evaluation
    weighted = [i for i in ev.indicators if i.weight is not None]
    if weighted:
        parts = [recomputed_score(i) for i in weighted]
        if None in parts:
            unknown = sum(1 for x in parts if x is None)
            yield "indicators", f"有 {unknown} 项指标无法按规则计分（定性或非数字），未重新计算总分"
        else:
            total = sum(parts)
            execution = ""
            if abs(sum(i.weight for i in weighted) - 90) < 1e-6 and (rate := execution_rate(ev)) is not None:
                points = min(10.0, 10 * rate / 100)
                total += points
                execution = f" + 预算执行 10 × {rate:.1f}% = {points:.1f} 分"
            claimed = f"；单位打分表自评 {w(ev.scores.total)} 分（口径不同，仅供参考）" if ev.scores else ""
            yield (
                "indicators",
                f"按国家规则：指标 {sum(parts):.1f} 分{execution}，合计 {total:.1f} 分{claimed}",
            )
    for p_i, project in enumerate(ev.projects):
        scored = [recomputed_score(i) for i in project.indicators]
        f = project.funds
        if project.total_score is None or not scored or None in scored or f is None or f.max is None:
            continue
        rate = (
            f.execution_rate
            if f.execution_rate is not None
            else (
                f.expenditure / f.final_budget * 100 if f.expenditure is not None and f.final_budget else None
            )
        )
        if rate is None:
            continue
        funds_points = min(f.max, f.max * rate / 100)
        total = funds_points + sum(scored)
        if abs(total - project.total_score) > 0.5:
            yield (
                f"projects[{p_i + 1}].total_score",
                (
                    f"“{project.name}”自评总分 {w(project.total_score)}，按国家规则为 {total:.1f}"
                    f"（资金 {funds_points:.1f} + 指标 {sum(scored):.1f}）"
                ),
            )
