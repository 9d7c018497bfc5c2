"""Indicator status, grades and rates: what the page's badges and cards say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao import metrics
from jixiao.model import Indicator


def ind(op, target, actual):
    return Indicator(name="测试指标", op=op, target=target, actual=actual)


@pytest.mark.parametrize(
    ("op", "target", "actual", "status"),
    [
        ("≥", 18, 30, "达成"),
        ("≥", 18, 18, "达成"),
        ("≥", 18, 17, "未达成"),
        ("≤", 73.29, 73.29, "达成"),
        ("≤", 12, 13, "未达成"),
        ("=", 100, 100, "达成"),
        ("=", 100, 99.5, "未达成"),
        ("定性", "持续改善", "持续改善", "定性"),
        ("≥", "9月前", "完成", "无法判定"),
        ("≥", 90, None, "无法判定"),
    ],
)
def test_indicator_status(op, target, actual, status):
    assert metrics.indicator_status(ind(op, target, actual)) == status


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")],
)
def test_grade_bands(score, grade):
    assert metrics.grade(score) == grade


numbers = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(numbers, numbers)
def test_at_least_and_at_most_agree_with_arithmetic(target, actual):
    at_least = metrics.indicator_status(ind("≥", target, actual))
    at_most = metrics.indicator_status(ind("≤", target, actual))
    if actual > target + metrics.TOLERANCE:
        assert (at_least, at_most) == ("达成", "未达成")
    elif actual < target - metrics.TOLERANCE:
        assert (at_least, at_most) == ("未达成", "达成")
    else:
        assert (at_least, at_most) == ("达成", "达成")


@given(st.lists(st.tuples(numbers, numbers), min_size=1, max_size=30), st.randoms())
def test_counts_do_not_depend_on_order(pairs, rng):
    from jixiao.model import Evaluation

    def evaluation(items):
        return Evaluation.model_validate(
            {
                "unit": {"name": "示例镇", "kind": "乡镇"},
                "year": 2024,
                "funds": {"final_budget": 1},
                "indicators": [{"name": "x", "op": "≥", "target": t, "actual": a} for t, a in items],
            }
        )

    shuffled = list(pairs)
    rng.shuffle(shuffled)
    a, b = metrics.indicator_counts(evaluation(pairs)), metrics.indicator_counts(evaluation(shuffled))
    assert a == b
    assert a.met + a.not_met + a.qualitative + a.undetermined == a.total == len(pairs)


def test_seed_headline_figures(seed):
    counts = metrics.indicator_counts(seed)
    assert (counts.total, counts.met, counts.not_met, counts.qualitative) == (49, 44, 0, 5)
    assert metrics.execution_rate(seed) == pytest.approx(100)
    assert metrics.grade(seed.scores.total) == "优"
