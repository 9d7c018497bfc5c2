"""Parts against totals, stated percentages and growth rates against the amounts, scores, weights, projects."""

from __future__ import annotations

from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, m, p, rounds_to, same_amount, w
from jixiao.metrics import score_dimensions

G = "算术核对"


def _parts(ctx: Context, field: str, parts, total: float | None, total_name: str, part_name: str):
    if not parts or total is None:
        return
    amounts = [a.amount for a in parts]
    if not same_amount(sum(amounts), total):
        formula = " + ".join(m(a) for a in amounts)
        yield (
            field,
            (
                f"{part_name}合计 {formula} = {m(sum(amounts))} 万元，与{total_name} {m(total)} 万元"
                f"相差 {m(abs(sum(amounts) - total))} 万元"
            ),
        )


@rule(
    "parts-sum",
    "分项之和与合计不符",
    "warning",
    "收入来源、支出按性质、支出按经济分类各自相加，应等于总额。",
    G,
)
def parts_sum(ctx: Context):
    f = ctx.evaluation.funds
    yield from _parts(ctx, "funds.by_source", f.by_source, f.final_budget, "调整后预算", "收入来源")
    yield from _parts(ctx, "funds.by_nature", f.by_nature, f.expenditure, "决算支出", "基本支出与项目支出")
    yield from _parts(
        ctx, "funds.by_economic", f.by_economic, f.expenditure, "决算支出", "人员经费、公用经费与项目支出"
    )
    staff = {a.name: a.amount for a in f.by_economic}
    basic = {a.name: a.amount for a in f.by_nature}.get("基本支出")
    if basic is not None and "人员经费" in staff and "公用经费" in staff:
        total = staff["人员经费"] + staff["公用经费"]
        if not same_amount(total, basic):
            yield (
                "funds.by_economic",
                (
                    f"人员经费 {m(staff['人员经费'])} + 公用经费 {m(staff['公用经费'])} = {m(total)} 万元，"
                    f"与基本支出 {m(basic)} 万元不符"
                ),
            )


@rule(
    "budget-adjustment",
    "年初预算加调整不等于调整后预算",
    "warning",
    "年初预算 + 中期调整 应等于 调整后预算。",
    G,
)
def budget_adjustment(ctx: Context):
    f = ctx.evaluation.funds
    if f.initial_budget is not None and f.adjustment is not None:
        total = f.initial_budget + f.adjustment
        if not same_amount(total, f.final_budget):
            yield (
                "funds.adjustment",
                (
                    f"年初预算 {m(f.initial_budget)} + 调整 {m(f.adjustment)} = {m(total)} 万元，"
                    f"调整后预算为 {m(f.final_budget)} 万元"
                ),
            )


@rule(
    "stated-share",
    "所述占比与金额不符",
    "warning",
    "报告写明的占比，应与按金额计算的结果在四舍五入范围内一致。",
    G,
)
def stated_share(ctx: Context):
    f = ctx.evaluation.funds
    for field, parts, total, label in (
        ("funds.by_source", f.by_source, f.final_budget, "调整后预算"),
        ("funds.by_nature", f.by_nature, f.expenditure, "决算支出"),
        ("funds.by_economic", f.by_economic, f.expenditure, "决算支出"),
    ):
        for i, part in enumerate(parts):
            if part.share is None or not total:
                continue
            computed = part.amount / total * 100
            if not rounds_to(part.share, computed):
                yield (
                    f"{field}[{i + 1}].share",
                    (
                        f"{part.name}所述占比 {part.share}%，按金额计算 "
                        f"{m(part.amount)} ÷ {m(total)}（{label}）= {p(computed)}"
                    ),
                )


@rule(
    "stated-rate",
    "所述执行率与金额不符",
    "warning",
    "报告写明的预算执行率、支出进度，应与“支出 ÷ 调整后预算”一致（允许四舍五入）。",
    G,
)
def stated_rate(ctx: Context):
    f = ctx.evaluation.funds
    if not f.final_budget:
        return
    for point in f.execution_progress:
        if point.rate is None:
            continue
        computed = point.amount / f.final_budget * 100
        if not rounds_to(point.rate, computed):
            yield (
                f"funds.execution_progress[{point.month}].rate",
                (
                    f"1—{point.month}月执行率所述 {point.rate}%，按金额计算 {m(point.amount)} ÷ {m(f.final_budget)} = "
                    f"{p(computed)}"
                ),
            )
    if f.execution_rate is not None and f.expenditure is not None:
        computed = f.expenditure / f.final_budget * 100
        if not rounds_to(f.execution_rate, computed):
            yield (
                "funds.execution_rate",
                (
                    f"预算执行率所述 {f.execution_rate}%，按金额计算 {m(f.expenditure)} ÷ "
                    f"{m(f.final_budget)} = {p(computed)}"
                ),
            )


@rule(
    "progress-order",
    "累计执行进度前后矛盾",
    "warning",
    "累计支出只会增加；没有结转结余时，全年累计支出应等于调整后预算（执行率 100%）。",
    G,
)
def progress_order(ctx: Context):
    f = ctx.evaluation.funds
    points = sorted(f.execution_progress, key=lambda x: x.month)
    for earlier, later in zip(points, points[1:], strict=False):
        if later.amount + 1e-9 < earlier.amount:
            yield (
                f"funds.execution_progress[{later.month}].amount",
                (
                    f"1—{later.month}月累计 {m(later.amount)} 万元，少于 1—{earlier.month}月的 {m(earlier.amount)} 万元"
                ),
            )
    year_end = next((x for x in points if x.month == 12), None)
    if year_end and f.carryover == 0 and not same_amount(year_end.amount, f.final_budget):
        yield (
            "funds.execution_progress[12].amount",
            (
                f"年末无结转结余，但全年累计支出 {m(year_end.amount)} 万元不等于调整后预算 {m(f.final_budget)} 万元"
            ),
        )


def _change(ctx, field, label, stated, before, after, cut: bool):
    if stated is None or before in (None, 0) or after is None:
        return
    computed = (before - after) / before * 100 if cut else (after - before) / before * 100
    if not rounds_to(stated, computed):
        formula = (
            f"({m(before)} − {m(after)}) ÷ {m(before)}"
            if cut
            else f"({m(after)} − {m(before)}) ÷ {m(before)}"
        )
        yield field, f"{label}所述 {stated}%，按金额计算 {formula} = {p(computed)}"


@rule(
    "stated-growth",
    "所述增减率与金额不符",
    "warning",
    "一般性支出压减率、决算增长率、人均资产变化率，应与两年的金额一致（允许四舍五入）。",
    G,
)
def stated_growth(ctx: Context):
    ge = ctx.evaluation.funds.general_expenditure
    if ge:
        yield from _change(
            ctx,
            "funds.general_expenditure.budget_change_rate",
            "一般性支出预算压减率",
            ge.budget_change_rate,
            ge.budget_prev,
            ge.budget,
            cut=True,
        )
        yield from _change(
            ctx,
            "funds.general_expenditure.actual_change_rate",
            "一般性支出决算增长率",
            ge.actual_change_rate,
            ge.actual_prev,
            ge.actual,
            cut=False,
        )
    a = ctx.evaluation.assets
    if a:
        yield from _change(
            ctx,
            "assets.per_capita_change_rate",
            "人均资产变化率",
            a.per_capita_change_rate,
            a.per_capita_prev,
            a.per_capita,
            cut=False,
        )


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
