"""The rule catalogue: every rule fails on a bad example and stays quiet on a good one; the seed's exact findings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.checks import RULES, Context, check_evaluation, check_loaded
from jixiao.checks.context import rounds_to
from jixiao.checks.personal import find_cards, find_ids, find_mobiles, id_check_char, is_uscc, luhn
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


# --- personal data ----------------------------------------------------------------------------------------


def make_id(prefix: str = "51172519850615123") -> str:
    return prefix + id_check_char(prefix)


def make_card(prefix: str = "621700123456789012") -> str:
    for last in "0123456789":
        if luhn(prefix + last):
            return prefix + last
    raise AssertionError


@pytest.mark.parametrize(
    "text",
    [f"联系人身份证号：{make_id()}", f"身份证{make_id().lower()}。", "旧证 511725850615123"],
)
def test_id_numbers_are_found(text):
    assert list(find_ids(text))


@pytest.mark.parametrize(
    "text", ["联系电话 13812345678", "手机：138 1234 5678", "138-1234-5678", "+86 13812345678"]
)
def test_mobile_numbers_are_found(text):
    assert list(find_mobiles(text)) == ["13812345678"]


def test_bank_cards_are_found():
    card = make_card()
    assert list(find_cards(f"收款账号 {card}")) == [card]
    spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert list(find_cards(f"账号：{spaced}")) == [card]


def uscc(prefix: str = "91511725MA62A1234") -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(prefix, weights, strict=True))
    return prefix + chars[(31 - total % 31) % 31]


LOOK_ALIKES = [
    f"统一社会信用代码：{uscc()}",
    f"统一社会信用代码：{uscc('11511725000000001')}",  # an all-digit code passes its own check: not an ID
    "索引号：11511725MB1634517X/2024-00012",
    "办公电话：0818-7321234",
    "电话（0818）7321234",
    "预算 1,599.38 万元，1059.39 万元，人均 1.13 万元",
    "2024年7月9日公开，20240709",
    "项目编码 51000021R000000019951",
    "文号 渠财预〔2024〕123号",
    "金额 1599380000.00 元",
    "序号 12345678901234567890123",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_personal_data(text):
    assert (list(find_ids(text)), list(find_mobiles(text)), list(find_cards(text))) == ([], [], [])


def test_uscc_check():
    assert is_uscc(uscc()) and not is_uscc(uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1"))


def test_personal_data_blocks_with_its_place_and_can_be_allowed_one_by_one():
    data = good()
    data["tasks"] = [{"name": "联络", "content": "联系人手机 13812345678，身份证 " + make_id()}]
    ctx = Context(Evaluation.model_validate(data), "data/2024/示例镇")
    found = [f for f in check_evaluation(ctx) if f.severity == "error"]
    assert [(f.rule, f.location.terminal()) for f in found] == [
        ("personal-id", "data/2024/示例镇: tasks[1].content"),
        ("personal-mobile", "data/2024/示例镇: tasks[1].content"),
    ]
    assert "138****5678" in found[1].message and "13812345678" not in found[1].message
    data["personal_data_allowed"] = [{"value": "138-1234-5678", "reason": "镇办公室对外公开的值班手机"}]
    left = [
        f.rule
        for f in check_evaluation(Context(Evaluation.model_validate(data), "d"))
        if f.severity == "error"
    ]
    assert left == ["personal-id"]


def test_a_bank_card_in_any_text_blocks_publishing():
    data = good()
    card = make_card()
    data["tasks"] = [
        {"name": "补贴发放", "content": f"打卡至账户 {card[:4]} {card[4:8]} {card[8:12]} {card[12:]}"}
    ]
    [found] = [
        f for f in check_evaluation(Context(Evaluation.model_validate(data), "d")) if f.severity == "error"
    ]
    assert (found.rule, found.location.field) == ("personal-bank-card", "tasks[1].content")
    assert card not in found.message and card[:3] in found.message and card[-4:] in found.message


def test_personal_data_in_any_cell_of_any_sheet_blocks_the_build(tmp_path, capsys):
    import shutil

    import openpyxl

    from jixiao.cli import main

    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    book = openpyxl.load_workbook(folder / "自评表.xlsx")
    sheet = book.create_sheet("联系人")  # a sheet jixiao does not otherwise read
    sheet["B3"] = f"经办人 张三 {make_id()}"
    book.save(folder / "自评表.xlsx")
    site = tmp_path / "site"
    assert (
        main(
            [
                "build",
                "-q",
                "--data",
                str(tmp_path),
                "--site",
                str(site),
                "--config",
                str(ROOT / "mkdocs.yml"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{folder / '自评表.xlsx'}:联系人!B3: 发现身份证号 511")
    assert err[0].endswith("[personal-id]")
    assert not site.exists()


def test_random_digit_runs_rarely_look_like_personal_data():
    rng = random.Random(7)
    runs = ["".join(rng.choice("0123456789") for _ in range(rng.randint(8, 14))) for _ in range(2000)]
    hits = sum(1 for r in runs if list(find_mobiles(f"金额 {r} 元")) or list(find_ids(r)))
    # 11-digit runs starting 13–19 are mobiles by shape; everything else must pass unflagged.
    shaped = sum(1 for r in runs if len(r) == 11 and r[0] == "1" and r[1] in "3456789")
    assert hits == shaped


def test_personal_data_in_a_report_s_properties_is_found(tmp_path):
    from docx import Document

    from jixiao.forms.report_docx import document_texts

    folder = tmp_path / "2024" / "示例镇"
    folder.mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("一、基本情况")
    doc.core_properties.comments = "经办人电话 13812345678"
    doc.save(folder / "自评报告.docx")
    path = folder / "自评报告.docx"
    texts = {where.terminal(): text for where, text in document_texts(path, str(path))}
    assert texts[f"{path}: 文档属性 comments"] == "经办人电话 13812345678"
    assert list(find_mobiles(texts[f"{path}: 文档属性 comments"])) == ["13812345678"]
