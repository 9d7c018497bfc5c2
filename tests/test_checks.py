"""The rule catalogue: every rule fails on a bad example and stays quiet on a good one; the seed's exact findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.checks import RULES, Context, check_evaluation, check_loaded
from jixiao.checks.context import rounds_to
from jixiao.load import load_unit_with_origins
from jixiao.model import Evaluation

from .conftest import ROOT, SEED

GOLDEN = Path(__file__).parent / "golden" / "findings-2024-宝城镇.txt"


def good() -> dict:
    """A small evaluation on which no warning or error rule fires."""
    return {
        "unit": {"name": "示例镇人民政府", "short_name": "示例镇", "kind": "乡镇"},
        "year": 2024,
        "staffing": {
            "authorized": 10,
            "authorized_by_type": {"行政": 6, "事业": 4},
            "funded": 12,
            "active": 9,
            "retired": 3,
        },
        "funds": {
            "initial_budget": 100,
            "adjustment": 20,
            "final_budget": 120,
            "expenditure": 120,
            "execution_rate": 100,
            "by_source": [{"name": "一般公共预算财政拨款", "amount": 120, "share": 100}],
            "by_nature": [
                {"name": "基本支出", "amount": 90, "share": 75},
                {"name": "项目支出", "amount": 30, "share": 25},
            ],
            "by_economic": [
                {"name": "人员经费", "amount": 80},
                {"name": "公用经费", "amount": 10},
                {"name": "项目支出", "amount": 30},
            ],
            "execution_progress": [
                {"month": 6, "amount": 60, "rate": 50},
                {"month": 12, "amount": 120, "rate": 100},
            ],
            "general_expenditure": {
                "budget_prev": 10,
                "budget": 9,
                "actual_prev": 8,
                "actual": 8.8,
                "budget_change_rate": 10,
                "actual_change_rate": 10,
            },
            "carryover": 0,
        },
        "assets": {"per_capita": 1.1, "per_capita_prev": 1.0, "per_capita_change_rate": 10},
        "project_summary": {
            "total": 2,
            "groups": [
                {"name": "常年项目", "count": 1, "amount": 20},
                {"name": "阶段（一次性）项目", "count": 1, "amount": 10},
            ],
            "by_fund": [{"name": "一般公共预算", "count": 2}],
        },
        "indicators": [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "培训次数",
                "op": "≥",
                "target": 2,
                "unit": "次",
                "weight": 50,
                "actual": 3,
            },
            {
                "level1": "满意度指标",
                "level2": "满意度指标",
                "name": "满意度",
                "op": "≥",
                "target": 90,
                "unit": "%",
                "weight": 50,
                "actual": 95,
            },
        ],
        "scores": {
            "total": 9,
            "items": [
                {
                    "level1": "总体绩效",
                    "level1_max": 10,
                    "level2": "履职效能",
                    "level2_max": 10,
                    "name": "预算编审履职效果",
                    "max": 5,
                    "score": 5,
                },
                {
                    "level1": "总体绩效",
                    "level1_max": 10,
                    "level2": "履职效能",
                    "level2_max": 10,
                    "name": "预算执行履职效果",
                    "max": 5,
                    "score": 4,
                },
            ],
        },
        "report": {
            "title": "报告",
            "stated": [
                {"field": "funds.final_budget", "value": 120, "quote": "调整后预算120万元。"},
                {
                    "field": "scores.items[预算编审履职效果].max",
                    "value": 5,
                    "quote": "“预算编审履职效果”满分5分，自评得分5分",
                },
                {
                    "field": "scores.items[预算编审履职效果].score",
                    "value": 5,
                    "quote": "“预算编审履职效果”满分5分，自评得分5分",
                },
                {"field": "scores.total", "value": 9, "quote": "自评得分9分"},
            ],
        },
    }


def run(data: dict, *, texts=None) -> set[str]:
    ctx = Context(Evaluation.model_validate(data), "data/2024/示例镇", texts=texts)
    return {f.rule for f in check_evaluation(ctx)}


def test_good_example_raises_no_warning_or_error():
    ctx = Context(Evaluation.model_validate(good()), "data/2024/示例镇")
    assert [f.line() for f in check_evaluation(ctx) if f.severity != "info"] == []


def set_path(data: dict, path: str, value) -> None:
    node = data
    parts = path.split("/")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    node[int(last) if last.isdigit() else last] = value


# rule id -> changes (path, value) that must make it fire
FAILING = {
    "parts-sum": [("funds/by_source/0/amount", 119)],
    "budget-adjustment": [("funds/adjustment", 25)],
    "stated-share": [("funds/by_nature/0/share", 74)],
    "stated-rate": [("funds/execution_progress/0/rate", 45.9)],
    "progress-order": [("funds/execution_progress/1/amount", 50), ("funds/execution_progress/1/rate", None)],
    "stated-growth": [("funds/general_expenditure/budget_change_rate", 19.1)],
    "staffing-sum": [("staffing/retired", 4)],
    "score-sum": [("scores/total", 9.5)],
    "score-range": [("scores/items/1/score", 6)],
    "indicator-weights": [("indicators/0/weight", 40)],
    "project-counts": [("project_summary/total", 3)],
    "indicator-not-met": [("indicators/0/actual", 1), ("indicators/0/note", "受天气影响，培训延期")],
    "unmet-without-reason": [("indicators/0/actual", 1)],
    "indicator-implied-op": [("indicators/0/op", None)],
    "report-vs-table": [("report/stated/0/value", 125)],
    "report-item-name": [
        ("report/stated/1/field", "scores.items[预算编制].max"),
        ("report/stated/2/field", "scores.items[预算编制].score"),
    ],
    "report-total": [("report/stated/3/value", 93.8)],
    "target-without-unit": [("indicators/0/unit", None)],
    "indicator-without-actual": [("indicators/0/actual", None)],
}


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_rule_fires_on_its_bad_example(rule_id):
    data = good()
    assert rule_id not in run(data) or rule_id in ALWAYS_INFO
    for path, value in FAILING[rule_id]:
        set_path(data, path, value)
    assert rule_id in run(data)


ALWAYS_INFO = {"indicator-weights", "recomputed-total", "actual-equals-target", "qualitative-share"}


def test_indicator_score_is_recomputed_by_the_national_rules():
    data = good()
    data["projects"] = [
        {
            "name": "道路维护",
            "funds": {"final_budget": 100, "expenditure": 95, "max": 10},
            "indicators": [
                {"name": "里程", "op": "≥", "target": 50, "weight": 40, "actual": 40, "score": 40},
                {"name": "成本", "op": "≤", "target": 90, "weight": 50, "actual": 100, "score": 45},
            ],
            "total_score": 94.5,
        }
    ]
    ctx = Context(Evaluation.model_validate(data), "d")
    found = [f for f in check_evaluation(ctx) if f.rule == "indicator-score"]
    assert [f.message for f in found] == ["“道路维护”的“里程”填报得分 40，按国家规则为 32.00（40 × 40 ÷ 50）"]
    total = [
        f.message for f in check_evaluation(ctx) if f.rule == "recomputed-total" and "道路维护" in f.message
    ]
    assert total == ["“道路维护”自评总分 94.5，按国家规则为 86.5（资金 9.5 + 指标 77.0）"]


def test_deviation_statement_against_full_marks():
    data = good()
    data["scores"]["items"][0]["name"] = "目标偏离"
    data["report"]["stated"].append(
        {"field": "check.deviation_within_30_share", "value": 0, "quote": "偏离度在30%内的指标占比0%。"}
    )
    assert "deviation-full-marks" in run(data)
    data["report"]["stated"][-1]["value"] = 100
    assert "deviation-full-marks" not in run(data)


def test_every_rule_has_a_test():
    """Every rule of the catalogue was made to fire by some test of this session (recorded in conftest)."""
    from .conftest import FIRED, WHOLE_SUITE

    if not WHOLE_SUITE[0]:
        pytest.skip("needs the whole suite: a rule may be exercised in another module")
    untested = sorted(r.id for r in RULES if not FIRED.get(r.id))
    assert untested == [], f"no test makes these rules fire: {untested}"
    # The readers', loader's and gate's findings, by the literal ids their calls name.
    named = _finding_ids_in_the_code()
    assert len(named) > 25
    untested = sorted(named - FIRED.keys())
    assert untested == [], f"no test makes these findings appear: {untested}"


def _finding_ids_in_the_code() -> set[str]:
    """Every literal id passed first to problem(), Extract.problem() or Finding() in jixiao/."""
    import ast

    ids = set()
    for path in (ROOT / "jixiao").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            first = node.args[0]
            if (
                name in ("problem", "Finding")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                ids.add(first.value)
    return ids


def test_rules_are_declared_completely():
    assert len({r.id for r in RULES}) == len(RULES) > 20
    for r in RULES:
        assert r.id == r.id.lower() and " " not in r.id
        assert r.title and r.explanation and r.group and r.severity in ("error", "warning", "info")


def test_seed_findings_golden(update_golden):
    item = load_unit_with_origins(SEED)
    lines = [f.line().replace(str(ROOT) + "/", "") for f in check_loaded(item)]
    text = "\n".join(lines) + "\n"
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    # The figures DOMAIN.md says a careful reader finds.
    assert any("735.65 ÷ 1,599.38 = 46.00%" in line and "[stated-rate]" in line for line in lines)
    assert any("相差 94.74 万元" in line and "[project-counts]" in line for line in lines)
    assert any("占比 0%" in line and "[deviation-full-marks]" in line for line in lines)
    assert not any(
        "[stated-rate]" in line and "1—10月" in line for line in lines
    )  # 67% of 67.13% is rounding


# --- number checks: properties -----------------------------------------------------------------------------

amounts = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(amounts, amounts, st.integers(min_value=0, max_value=2))
def test_a_correctly_rounded_share_is_never_flagged(part, rest, digits):
    computed = part / (part + rest) * 100
    stated = round(computed, digits)
    assert rounds_to(stated, computed)


@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=1, max_size=8), st.randoms())
def test_parts_sum_does_not_depend_on_order(parts, rng):
    data = good()
    total = float(sum(parts))
    data["funds"]["final_budget"] = total
    data["funds"]["initial_budget"], data["funds"]["adjustment"] = total, 0
    data["funds"]["by_source"] = [{"name": f"来源{i}", "amount": float(p)} for i, p in enumerate(parts)]
    shuffled = list(data["funds"]["by_source"])
    rng.shuffle(shuffled)
    first = "parts-sum" in run(data)
    data["funds"]["by_source"] = shuffled
    assert first is False and ("parts-sum" in run(data)) is False
