"""Money arithmetic: parts against totals, the budget adjustment, stated percentages, execution progress and growth
rates against the amounts they are computed from. Counts, scores and weights: jixiao.checks.arithmetic_counts."""

from __future__ import annotations

from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, m, p, rounds_to, same_amount

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
