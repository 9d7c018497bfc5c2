"""Disclosure quality signals: neutral measures for comparing how units fill in their forms."""

from __future__ import annotations

from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context

G = "填报质量"


def _quantitative(ctx: Context):
    return [i for i in ctx.evaluation.indicators if i.op != "定性"]


@rule(
    "actual-equals-target",
    "实际值恰好等于目标值的比例",
    "info",
    "定量指标中，实际完成值与指标值完全相同的比例。比例很高时，可留意目标是否按实际情况设定。",
    G,
)
def actual_equals_target(ctx: Context):
    quantitative = _quantitative(ctx)
    if not quantitative:
        return
    same = sum(1 for i in quantitative if i.actual is not None and i.actual == i.target)
    yield (
        "indicators",
        f"{len(quantitative)} 项定量指标中 {same} 项实际值恰好等于指标值（{same / len(quantitative):.0%}）",
    )


@rule("qualitative-share", "定性指标的比例", "info", "用文字描述、无法用数字核对的指标所占比例。", G)
def qualitative_share(ctx: Context):
    indicators = ctx.evaluation.indicators
    if not indicators:
        return
    qualitative = sum(1 for i in indicators if i.op == "定性")
    yield (
        "indicators",
        f"{len(indicators)} 项指标中 {qualitative} 项为定性指标（{qualitative / len(indicators):.0%}）",
    )


@rule(
    "target-without-unit", "数值指标没有度量单位", "info", "数值型的指标值没有写度量单位，读者难以理解。", G
)
def target_without_unit(ctx: Context):
    missing = [i.name for i in _quantitative(ctx) if isinstance(i.target, (int, float)) and not i.unit]
    if missing:
        yield (
            "indicators",
            f"{len(missing)} 项数值指标没有度量单位："
            + "、".join(missing[:5])
            + ("等" if len(missing) > 5 else ""),
        )


@rule(
    "indicator-without-actual",
    "指标没有填实际完成值",
    "info",
    "没有填写实际完成值的指标，无法判断是否达成。",
    G,
)
def indicator_without_actual(ctx: Context):
    missing = [i.name for i in ctx.evaluation.indicators if i.actual is None]
    if missing:
        yield (
            "indicators",
            f"{len(missing)} 项指标没有实际完成值："
            + "、".join(missing[:5])
            + ("等" if len(missing) > 5 else ""),
        )
