"""Counts arithmetic: staff by type against the totals, scores against the sum of their items and their range,
indicator weights against 100, projects by kind against the project total and the project spending.

Registered right after jixiao.checks.arithmetic, in the same group (算术核对), so the catalogue keeps its order.
"""

from __future__ import annotations

from jixiao.checks.arithmetic import G
from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, m, same_amount, w
from jixiao.metrics import score_dimensions


@rule(
    "staffing-sum",
    "人员分项之和与合计不符",
    "warning",
    "行政、事业、工勤编制之和应等于核定编制；在职加退休应等于财政供养人数。",
    G,
)
def staffing_sum(ctx: Context):
    s = ctx.evaluation.staffing
    if s is None:
        return
    if (
        s.authorized is not None
        and s.authorized_by_type
        and sum(s.authorized_by_type.values()) != s.authorized
    ):
        parts = " + ".join(f"{k} {v}" for k, v in s.authorized_by_type.items())
        yield (
            "staffing.authorized_by_type",
            f"{parts} = {sum(s.authorized_by_type.values())} 人，核定编制为 {s.authorized} 人",
        )
    if None not in (s.funded, s.active, s.retired) and s.active + s.retired != s.funded:
        yield (
            "staffing.funded",
            f"在职 {s.active} + 退休 {s.retired} = {s.active + s.retired} 人，财政供养为 {s.funded} 人",
        )


@rule(
    "score-sum",
    "打分合计不符",
    "warning",
    "三级指标得分之和应等于评价得分；各二级、一级指标的分值应等于其下各项分值之和。",
    G,
)
def score_sum(ctx: Context):
    scores = ctx.evaluation.scores
    if scores is None or not scores.items:
        return
    total = sum(i.score for i in scores.items) - sum(d.points or 0 for d in scores.deductions)
    if abs(total - scores.total) > 1e-6:
        yield "scores.total", f"各项得分合计 {w(total)} 分，评价得分写为 {w(scores.total)} 分"
    for dim in score_dimensions(ctx.evaluation):
        if dim.stated_max is not None and abs(dim.max - dim.stated_max) > 1e-6:
            first = next(i for i, item in enumerate(scores.items, start=1) if item.level2 == dim.name)
            yield (
                f"scores.items[{first}]",
                f"“{dim.name}”标注 {w(dim.stated_max)} 分，其下各项分值合计 {w(dim.max)} 分",
            )
    level1: dict[str, list] = {}
    for n, item in enumerate(scores.items, start=1):
        level1.setdefault(item.level1, [item.level1_max, 0.0, n])[1] += item.max
    for name, (stated, summed, first) in level1.items():
        if stated is not None and abs(stated - summed) > 1e-6:
            yield f"scores.items[{first}]", f"“{name}”标注 {w(stated)} 分，其下各项分值合计 {w(summed)} 分"


@rule("score-range", "得分超出分值", "error", "每项自评得分应在 0 到该项分值之间。", G)
def score_range(ctx: Context):
    scores = ctx.evaluation.scores
    for i, item in enumerate(scores.items if scores else []):
        if item.score > item.max + 1e-9:
            yield (
                f"scores.items[{i + 1}].score",
                f"“{item.name}”自评得分 {w(item.score)} 分，超过分值 {w(item.max)} 分",
            )
    for p_i, project in enumerate(ctx.evaluation.projects):
        for i, ind in enumerate(project.indicators):
            if ind.score is not None and ind.weight is not None and ind.score > ind.weight + 1e-9:
                yield (
                    f"projects[{p_i + 1}].indicators[{i + 1}].score",
                    (f"“{project.name}”的“{ind.name}”得分 {w(ind.score)}，超过分值 {w(ind.weight)}"),
                )


@rule(
    "indicator-weights",
    "绩效指标权重合计",
    "info",
    "指标权重通常合计 100 分；合计 90 分时，按惯例另 10 分属于预算执行率（四川省项目表为“预算执行情况 10 分 + 绩效指标 90 分”）。",
    G,
)
def indicator_weights(ctx: Context):
    weights = [i.weight for i in ctx.evaluation.indicators if i.weight is not None]
    if not weights:
        return
    total = sum(weights)
    if abs(total - 90) < 1e-6:
        yield "indicators", f"{len(weights)} 项指标权重合计 90 分，另 10 分按惯例属于预算执行率"
    elif abs(total - 100) > 1e-6:
        yield (
            "indicators",
            f"{len(weights)} 项指标权重合计 {w(total)} 分，既不是 100 分，也不是 90 分（+ 预算执行 10 分）",
        )


@rule(
    "project-counts",
    "项目个数或金额与合计不符",
    "warning",
    "各类项目个数之和应等于项目总数；各类项目金额之和应与项目支出一致，差额应有说明。",
    G,
)
def project_counts(ctx: Context):
    ps = ctx.evaluation.project_summary
    if ps is None:
        return
    by_group = sum(g.count for g in ps.groups)
    by_fund = sum(f.count for f in ps.by_fund)
    if ps.total is not None and ps.groups and by_group != ps.total:
        yield "project_summary.groups", f"各类项目 {by_group} 个，项目总数写为 {ps.total} 个"
    if ps.total is not None and ps.by_fund and by_fund != ps.total:
        yield "project_summary.by_fund", f"按预算类别 {by_fund} 个，项目总数写为 {ps.total} 个"
    amounts = [g.amount for g in ps.groups if g.amount is not None]
    spending = {a.name: a.amount for a in ctx.evaluation.funds.by_nature}.get("项目支出")
    if (
        amounts
        and len(amounts) == len(ps.groups)
        and spending is not None
        and not same_amount(sum(amounts), spending)
    ):
        formula = " + ".join(m(a) for a in amounts)
        gap = abs(spending - sum(amounts))
        yield (
            "project_summary.groups",
            (
                f"各类项目预算 {formula} = {m(sum(amounts))} 万元，项目支出为 {m(spending)} 万元，"
                f"相差 {m(gap)} 万元；{_explained(ctx, gap)}"
            ),
        )


def _explained(ctx: Context, gap: float) -> str:
    """What the report says of a gap: the sentence that names the amount, or that it names it nowhere."""
    report = ctx.evaluation.report
    if report is None:
        return "没有自评报告可供查对"
    written = {f"{gap:.2f}", w(gap).replace(",", "")}
    for section in report.sections:
        for sentence in section.text.replace("\n", "。").split("。"):
            if any(amount in sentence.replace(",", "") for amount in written):
                return f"报告写“{sentence.strip()}”"
    return f"报告全文没有出现 {m(gap)} 万元这一差额，也没有说明"
