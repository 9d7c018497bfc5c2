"""Figures computed from an evaluation: indicator status, grade, execution rate. Pure functions."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from jixiao.model import Evaluation, Indicator

MET, NOT_MET, QUALITATIVE, UNDETERMINED = "达成", "未达成", "定性", "无法判定"
STATUSES = (MET, NOT_MET, QUALITATIVE, UNDETERMINED)

# 优 90–100, 良 80–89.99, 中 60–79.99, 差 below 60.
GRADES = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))

# Equality of two figures written with two decimals: a difference below half a cent of 万元 is rounding. The one
# tolerance of the project: checks and pages use it from here.
TOLERANCE = 0.005
# A strict comparison needs a real difference, not float noise.
STRICT = 1e-9


def implied_op(indicator: Indicator) -> str:
    """The comparison a form implies when the indicator does not state one: a cost is kept under its target
    (≤), everything else — quantity, quality, timeliness, benefit, satisfaction — is reached or exceeded (≥)."""
    levels = f"{indicator.level1 or ''}{indicator.level2 or ''}"
    return "≤" if "成本" in levels else "≥"


def effective_op(indicator: Indicator) -> tuple[str, bool]:
    """The comparison used to judge an indicator, and whether it was implied rather than written."""
    if indicator.op is not None:
        return indicator.op, False
    if isinstance(indicator.target, str):
        return "定性", False
    return implied_op(indicator), True


def indicator_status(indicator: Indicator) -> str:
    """Whether the actual value meets the target, from the comparison the indicator declares (or, when the form
    left it out, the one its category implies; the checks say so).

    定性 indicators have text targets and are not judged by arithmetic. A quantitative indicator whose target or
    actual is not a number (a date like "9月前", a word like "完成") cannot be judged here. Strict comparisons stay
    strict: a target of > 95 is not met by 95.
    """
    op, _ = effective_op(indicator)
    if op == "定性":
        return QUALITATIVE
    target, actual = indicator.target, indicator.actual
    if not (_is_number(target) and _is_number(actual)):
        return UNDETERMINED
    met = {
        "≥": lambda: actual >= target - TOLERANCE,
        ">": lambda: actual > target + STRICT,
        "≤": lambda: actual <= target + TOLERANCE,
        "<": lambda: actual < target - STRICT,
        "=": lambda: abs(actual - target) <= TOLERANCE,
    }[op]()
    return MET if met else NOT_MET


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def grade(score: float) -> str:
    return next(label for floor, label in GRADES if score >= floor)


def execution_rate(evaluation: Evaluation) -> float | None:
    """Spending ÷ final budget, in percent, computed (not the stated figure)."""
    funds = evaluation.funds
    if funds.expenditure is None or not funds.final_budget:
        return None
    return funds.expenditure / funds.final_budget * 100


@dataclass(frozen=True)
class IndicatorCounts:
    total: int
    met: int
    not_met: int
    qualitative: int
    undetermined: int

    @property
    def judged(self) -> int:
        """Quantitative indicators whose status could be computed."""
        return self.met + self.not_met


def indicator_counts(evaluation: Evaluation) -> IndicatorCounts:
    counts = Counter(indicator_status(i) for i in evaluation.indicators)
    return IndicatorCounts(
        total=len(evaluation.indicators),
        met=counts[MET],
        not_met=counts[NOT_MET],
        qualitative=counts[QUALITATIVE],
        undetermined=counts[UNDETERMINED],
    )


@dataclass(frozen=True)
class Dimension:
    """One 二级 dimension of the scoring sheet with its items' totals."""

    level1: str
    name: str
    max: float
    score: float
    stated_max: float | None


def score_dimensions(evaluation: Evaluation) -> list[Dimension]:
    """Scores per 二级 dimension, in sheet order, summed from the 三级 items."""
    if evaluation.scores is None:
        return []
    order: dict[tuple[str, str], list] = {}
    for item in evaluation.scores.items:
        key = (item.level1, item.level2)
        acc = order.setdefault(key, [0.0, 0.0, item.level2_max])
        acc[0] += item.max
        acc[1] += item.score
    return [
        Dimension(level1, level2, round(m, 4), round(s, 4), stated)
        for (level1, level2), (m, s, stated) in order.items()
    ]
