"""The seed evaluation loads complete, and its figures agree with the totals the disclosure states."""

from __future__ import annotations

import math

import pytest

from jixiao.metrics import score_dimensions


def close(a: float, b: float) -> bool:
    return abs(a - b) < 0.005


def test_seed_is_complete(seed):
    assert seed.unit.name == "渠县宝城镇人民政府"
    assert seed.year == 2024
    assert len(seed.tasks) == 9
    # The seed's table has 49 indicators (24 数量, 14 质量, 1 时效, 5 效益, 2 满意度, 3 成本), weights 90.
    assert len(seed.indicators) == 49
    assert len(seed.scores.items) == 25
    # Two 履职效能 rows share the first row's 指标解释 in the sheet (a merged-looking empty cell): 23 of 25.
    assert sum(1 for item in seed.scores.items if item.explanation) == 23
    assert seed.report.sections and seed.report.problems and len(seed.report.suggestions) == 3
    assert seed.goal.startswith("全面贯彻落实党中央")


def test_seed_funds_add_up(seed):
    f = seed.funds
    assert close(f.initial_budget + f.adjustment, f.final_budget)
    assert close(sum(a.amount for a in f.by_source), f.final_budget)
    assert close(sum(a.amount for a in f.by_nature), f.expenditure)
    assert close(sum(a.amount for a in f.by_economic), f.expenditure)
    staff, running = f.by_economic[0].amount, f.by_economic[1].amount
    assert close(staff + running, f.by_nature[0].amount)  # 1059.39 + 73.29 = 1132.68


def test_seed_staffing_adds_up(seed):
    s = seed.staffing
    assert sum(s.authorized_by_type.values()) == s.authorized
    assert s.active + s.retired == s.funded


def test_seed_scores_add_up(seed):
    assert close(sum(i.score for i in seed.scores.items), seed.scores.total)
    assert close(sum(i.max for i in seed.scores.items), 100)
    for dim in score_dimensions(seed):
        assert close(dim.max, dim.stated_max), dim.name
    lost = {i.name: i.max - i.score for i in seed.scores.items if i.score < i.max}
    assert lost == pytest.approx({"支出执行进度": 2, "严控一般性支出": 3, "人均资产变化率": 1.2})


def test_seed_indicator_weights_leave_ten_for_execution(seed):
    assert close(sum(i.weight for i in seed.indicators), 90)


def test_seed_project_counts_agree(seed):
    ps = seed.project_summary
    assert sum(g.count for g in ps.groups) == ps.total == sum(f.count for f in ps.by_fund)


def _check_plain_before(value) -> None:
    """model_base._check_plain as it was (before the exact-type fast path)."""
    import math

    from jixiao.limits import MAX_NUMBER
    from jixiao.model_base import _CONTROL

    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(f"含控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），请删除")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"数值不能是 {value}（NaN 或无穷大）")
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"数值 {value:g} 超出合理范围（绝对值不超过 {MAX_NUMBER:g}）")
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_plain_before(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_plain_before(key)
            _check_plain_before(item)


def test_the_plain_check_refuses_what_it_refused_with_the_same_message():
    import random

    from jixiao.model import Evaluation
    from jixiao.model_base import _check_plain

    class Text(str):
        pass

    rng = random.Random(7)
    leaves = [
        *["名称", "a\x00b", "ok\tline\n", "\x7f", "\ufffe", Text("x\x01"), Text("fine"), ""],
        *[0, 1, -1, 10**12, 10**12 + 1, -(10**13), 1e12, 1e12 + 1, -1e13, 0.5, -0.0, True, False],
        *[math.nan, math.inf, -math.inf, None, b"\x00", Evaluation],
    ]

    def value(depth: int = 0):
        roll = rng.random()
        if depth > 2 or roll < 0.6:
            return rng.choice(leaves)
        if roll < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        if roll < 0.85:
            return tuple(value(depth + 1) for _ in range(rng.randint(0, 3)))
        return {rng.choice(["k", "\x02", 3, 1e13]): value(depth + 1) for _ in range(rng.randint(0, 3))}

    def outcome(check, v):
        try:
            check(v)
        except ValueError as err:
            return str(err)
        return None

    values = [value() for _ in range(5_000)]
    refused = [outcome(_check_plain_before, v) for v in values]
    assert sum(r is not None for r in refused) > 500 and sum(r is None for r in refused) > 500
    assert [outcome(_check_plain, v) for v in values] == refused
    # An integer beyond a float's range (400 digits in a YAML file) was a traceback: a message now.
    assert "超出合理范围" in outcome(_check_plain, 10**400)
