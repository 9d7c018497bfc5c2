"""Indicators: what was not met, and scores recomputed by the national rules next to the claimed ones.

National rules (财预〔2020〕10号): a met quantitative target earns its full weight; an unmet "≥" (or ">") target
earns weight × actual ÷ target; an exceeded "≤" (or "<") target earns weight × target ÷ actual; budget execution
earns 10 × execution rate, at most 10. Qualitative targets are scored in bands by the unit and are not recomputed:
their points are left out of the recomputed total, and the total says how many were left out.
"""

from __future__ import annotations

from jixiao import fieldpath
from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, w
from jixiao.metrics import MET, NOT_MET, effective_op, execution_rate, indicator_status
from jixiao.model import Indicator
from jixiao.numbers import measure

G = "绩效指标"


def recomputed_score(ind: Indicator) -> float | None:
    """The points an indicator earns by the national rules; None when they cannot be computed (no weight, a
    qualitative target, a target or actual that is not a number)."""
    if ind.weight is None:
        return None
    status = indicator_status(ind)
    if status == MET:
        return ind.weight
    if status != NOT_MET:
        return None
    target, actual = float(ind.target), float(ind.actual)
    if _reached_from_below(ind, target, actual):
        return ind.weight * max(actual, 0) / target if target > 0 else 0.0
    return ind.weight * target / actual if actual > 0 else 0.0


def _reached_from_below(ind: Indicator, target: float, actual: float) -> bool:
    op, _ = effective_op(ind)
    return op in ("≥", ">") or (op == "=" and actual < target)


def _target_text(ind: Indicator) -> str:
    op, implied = effective_op(ind)
    unit = ind.unit or ""
    return f"指标值{measure(ind.target, unit, op)}" + (
        "（原表未写明指标性质，按通常读法）" if implied else ""
    )


def _unmet(ctx: Context):
    """Each unmet indicator with its place, what was missed, and the reason given (None when none is)."""
    for n, ind in enumerate(ctx.evaluation.indicators, start=1):
        if indicator_status(ind) == NOT_MET:
            missed = f"“{ind.name}”未达成：{_target_text(ind)}，实际完成{measure(ind.actual, ind.unit)}"
            yield fieldpath.join("indicators", n), missed, _reason(ctx, ind)


@rule("indicator-not-met", "指标未达成", "info", "实际完成值没有达到指标值，原表或报告说明了原因。", G)
def indicator_not_met(ctx: Context):
    for where, missed, reason in _unmet(ctx):
        if reason:
            yield where, f"{missed}；原因：{reason}"


@rule(
    "unmet-without-reason",
    "指标未达成且未说明原因",
    "warning",
    "实际完成值没有达到指标值，而自评表的偏差原因栏和自评报告都没有说明原因。",
    G,
)
def unmet_without_reason(ctx: Context):
    for where, missed, reason in _unmet(ctx):
        if not reason:
            yield where, f"{missed}；偏差原因栏为空，自评报告中也没有提到这项指标"


def _reason(ctx: Context, ind: Indicator) -> str | None:
    """The reason given for a miss: the 偏差原因 cell, else the report's sentence that names the indicator."""
    if ind.note:
        return ind.note
    report = ctx.evaluation.report
    if report is None or len(ind.name) < 2:
        return None
    for section in report.sections:
        for sentence in section.text.replace("\n", "。").split("。"):
            if ind.name in sentence:
                return f"报告写“{sentence.strip()}”"
    return None


@rule(
    "indicator-implied-op",
    "指标未写明指标性质",
    "info",
    "原表没有写明比较方式（≥、≤、=）。本站按指标类别的通常读法判定：成本指标按“≤”，其余按“≥”。",
    G,
)
def indicator_implied_op(ctx: Context):
    for prefix, indicators in _all_indicators(ctx):
        for n, ind in enumerate(indicators, start=1):
            op, implied = effective_op(ind)
            if implied:
                yield (
                    fieldpath.join(prefix, n, "op"),
                    f"“{ind.name}”的指标值{measure(ind.target, ind.unit)}没有写明 ≥、≤ 或 =，按“{op}”判定"
                    f"（{'成本指标' if op == '≤' else '产出、效益、满意度指标'}的通常读法），结果为“{indicator_status(ind)}”",
                )


def _all_indicators(ctx: Context):
    yield "indicators", ctx.evaluation.indicators
    for p, project in enumerate(ctx.evaluation.projects, start=1):
        yield fieldpath.join("projects", p, "indicators"), project.indicators


@rule(
    "indicator-score",
    "指标得分与国家规则不符",
    "warning",
    "表中填报的指标得分，与按国家规则（达成得满分；未达成按完成比例折算）计算的结果不一致。",
    G,
)
def indicator_score(ctx: Context):
    for p, project in enumerate(ctx.evaluation.projects, start=1):
        for n, ind in enumerate(project.indicators, start=1):
            expected = recomputed_score(ind)
            if ind.score is None or expected is None or abs(expected - ind.score) <= 0.01:
                continue
            yield (
                fieldpath.join("projects", p, "indicators", n, "score"),
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
    if _reached_from_below(ind, target, actual):
        return f"{w(ind.weight)} × {w(actual)} ÷ {w(target)}"
    return f"{w(ind.weight)} × {w(target)} ÷ {w(actual)}"


@rule(
    "recomputed-total",
    "按国家规则重新计算的得分",
    "info",
    "依据绩效指标完成情况和预算执行率，按国家规则重新计算的参考得分，与单位自评的得分并列，便于比较（口径可能不同）。"
    "定性指标由单位按档次自评，本站不重新计分，其分值不计入，并写明有多少分未计。",
    G,
)
def recomputed_total(ctx: Context):
    ev = ctx.evaluation
    weighted = [i for i in ev.indicators if i.weight is not None]
    if weighted:
        parts = [(i, recomputed_score(i)) for i in weighted]
        scored = [(i, s) for i, s in parts if s is not None]
        unscored = [i for i, s in parts if s is None]
        earned = sum(s for _, s in scored)
        total, execution = earned, ""
        if abs(sum(i.weight for i in weighted) - 90) < 1e-6 and (rate := execution_rate(ev)) is not None:
            points = min(10.0, 10 * rate / 100)
            total += points
            execution = f" + 预算执行 10 × {rate:.1f}% = {points:.1f} 分"
        left_out = ""
        if unscored:
            weight = sum(i.weight for i in unscored)
            left_out = (
                f"；另有 {len(unscored)} 项指标共 {w(weight)} 分未重新计分（定性指标或指标值、完成值不是数字），"
                "不计入上述合计"
            )
        claimed = f"；单位打分表自评 {w(ev.scores.total)} 分（口径不同，仅供参考）" if ev.scores else ""
        if scored:
            yield (
                "indicators",
                f"按国家规则：{len(scored)} 项可计分指标 {earned:.1f} 分{execution}，合计 {total:.1f} 分"
                f"{left_out}{claimed}",
            )
        else:
            yield "indicators", f"{len(unscored)} 项指标都无法按规则计分（定性或非数字），未重新计算总分"
    for p, project in enumerate(ev.projects, start=1):
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
                fieldpath.join("projects", p, "total_score"),
                (
                    f"“{project.name}”自评总分 {w(project.total_score)}，按国家规则为 {total:.1f}"
                    f"（资金 {funds_points:.1f} + 指标 {sum(scored):.1f}）"
                ),
            )
