"""The seed evaluation loads complete, and its figures agree with the totals the disclosure states."""

from __future__ import annotations

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
