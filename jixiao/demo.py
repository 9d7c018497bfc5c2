"""``jixiao demo``: a data directory of clearly fictional units (示例镇01, 示例街道02, 示例局03 …).

Figures are plausible and varied (budgets, scores, indicators met and missed) and some disclosures are made to
fail checks, as real ones do. The same seed gives the same data. The directory's site.yaml marks it as demo data,
so every page built from it says 演示数据（虚构）. It is never written into data/ unless asked to.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

KINDS = (
    ("乡镇", "示例镇", "示例县{}人民政府"),
    ("街道", "示例街道", "示例县{}办事处"),
    ("部门", "示例局", "示例县{}"),
)
SCORE_SCHEME = [  # (一级, 一级分值, 二级, 二级分值, [(三级, 分值)])
    (
        "总体绩效",
        65,
        "履职效能",
        15,
        [("预算编审履职效果", 5), ("预算执行履职效果", 5), ("预决算信息公开履职效果", 5)],
    ),
    (
        "总体绩效",
        65,
        "预算管理",
        25,
        [
            ("预算编制质量", 8),
            ("单位收入统筹", 4),
            ("支出执行进度", 6),
            ("预算年终结余", 2),
            ("严控一般性支出", 5),
        ],
    ),
    ("总体绩效", 65, "财务管理", 10, [("财务管理制度", 4), ("财务岗位设置", 2), ("资金使用规范", 4)]),
    ("总体绩效", 65, "资产管理", 9, [("人均资产变化率", 3), ("资产利用率", 3), ("资产盘活率", 3)]),
    ("总体绩效", 65, "采购管理", 6, [("支持中小企业发展", 3), ("采购执行率", 3)]),
    ("项目绩效", 35, "项目决策", 12, [("决策程序", 4), ("目标设置", 4), ("项目入库", 4)]),
    ("项目绩效", 35, "项目执行", 12, [("执行同向", 4), ("项目调整", 4), ("执行结果", 4)]),
    ("项目绩效", 35, "目标实现", 11, [("目标完成", 4), ("目标偏离", 4), ("实现效果", 3)]),
]
INDICATOR_POOL = [  # (一级, 二级, 名称, 性质, 目标范围, 单位)
    ("产出指标", "数量指标", "便民服务中心入驻人数", "≥", (3, 12), "人"),
    ("产出指标", "数量指标", "村、社区劝导员人数", "≥", (10, 40), "人"),
    ("产出指标", "数量指标", "道路交通安全专项行动次数", "≥", (2, 8), "次"),
    ("产出指标", "数量指标", "防灾应急、消防演练活动开展次数", "≥", (1, 6), "次"),
    ("产出指标", "数量指标", "开展河道巡查次数", "≥", (6, 24), "次"),
    ("产出指标", "数量指标", "接待群众来访人数", "≥", (200, 900), "人次"),
    ("产出指标", "数量指标", "文化室免费开放个数", "≥", (3, 15), "个"),
    ("产出指标", "数量指标", "培训干部职工人次", "≥", (50, 300), "人次"),
    ("产出指标", "数量指标", "道路养护里程", "≥", (20, 120), "公里"),
    ("产出指标", "质量指标", "便民服务中心人员出勤率", "≥", (85, 95), "%"),
    ("产出指标", "质量指标", "矛盾纠纷、信访事件化解率", "≥", (60, 90), "%"),
    ("产出指标", "质量指标", "场镇清洁维护覆盖率", "≥", (80, 95), "%"),
    ("产出指标", "质量指标", "项目验收合格率", "=", (100, 100), "%"),
    ("产出指标", "时效指标", "各项工作任务完成时限", "≤", (10, 12), "月"),
    ("产出指标", "时效指标", "资金拨付及时率", "≥", (90, 100), "%"),
    ("效益指标", "社会效益指标", "改善人居环境", "定性", None, None),
    ("效益指标", "社会效益指标", "群众安全感", "定性", None, None),
    ("效益指标", "可持续影响指标", "工作长效机制健全性", "定性", None, None),
    ("满意度指标", "满意度指标", "辖区群众满意度", "≥", (85, 95), "%"),
    ("满意度指标", "满意度指标", "单位职工满意度", "≥", (85, 95), "%"),
    ("成本指标", "经济成本指标", "公用经费", "≤", None, "万元"),
    ("成本指标", "经济成本指标", "人员经费", "≤", None, "万元"),
]
QUALITATIVE_TARGETS = ("持续改善", "提高", "健全", "提升")
# Counts of people and events are whole numbers; rates stop at 100 %; a time limit is a month of the year.
WHOLE_UNITS = ("人", "人次", "次", "个")
MISS_REASONS = (
    "（演示数据）受天气影响，部分工作顺延至次年。",
    "（演示数据）上级政策调整，任务量相应减少。",
    "（演示数据）项目招标延期，未能按期完成。",
)


def write_demo(out: Path, units: int, years: list[int], seed: int = 1) -> list[Path]:
    """Write ``units`` fictional units for each of ``years`` under ``out``; return the unit folders."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(
        yaml.safe_dump(
            {"title": "示例县预算绩效自评公开（演示数据）", "county": "示例县", "demo": True},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    folders = []
    for n in range(1, units + 1):
        kind, stem, full = KINDS[(n - 1) % len(KINDS)]
        short = f"{stem}{n:02d}" if units < 100 else f"{stem}{n:04d}"
        base = rng.uniform(*{"乡镇": (600, 3000), "街道": (400, 1500), "部门": (150, 5000)}[kind])
        profile = {"care": rng.random(), "sloppy": rng.random() < 0.15, "base": base}
        for i, year in enumerate(sorted(years)):
            profile["base"] = base * (1 + rng.uniform(-0.08, 0.12)) ** i
            evaluation = _evaluation(rng, kind, short, full.format(short), year, profile)
            folder = out / str(year) / short
            folder.mkdir(parents=True, exist_ok=True)
            text = "# 演示数据（虚构）：由 jixiao demo 生成，不代表任何真实单位。\n" + yaml.safe_dump(
                evaluation, allow_unicode=True, sort_keys=False, width=1000
            )
            (folder / "evaluation.yaml").write_text(text, encoding="utf-8")
            folders.append(folder)
    return folders


def _r2(x: float) -> float:
    return round(x, 2)


def _evaluation(rng: random.Random, kind: str, short: str, name: str, year: int, profile: dict) -> dict:
    final = _r2(profile["base"])
    initial = _r2(final * rng.uniform(0.78, 1.0))
    spent_share = rng.uniform(0.9, 1.0) if rng.random() < 0.4 else 1.0
    expenditure = _r2(final * spent_share)
    fund = _r2(final * rng.uniform(0, 0.12)) if kind != "部门" else 0.0
    basic = _r2(expenditure * rng.uniform(0.55, 0.85))
    project = _r2(expenditure - basic)
    staff = _r2(basic * rng.uniform(0.8, 0.95))
    running = _r2(basic - staff)
    progress = []
    for month, share in ((6, rng.uniform(0.35, 0.6)), (10, rng.uniform(0.65, 0.88)), (12, spent_share)):
        amount = _r2(final * share)
        rate = round(amount / final * 100, 1)
        if profile["sloppy"] and month == 6:
            rate = round(rate - 0.3, 1)  # the stated rate does not match its amounts, as in some real reports
        progress.append({"month": month, "amount": amount, "rate": rate})
    authorized = rng.randint(15, 80)
    by_type = {
        "行政": authorized // 2,
        "事业": authorized - authorized // 2 - authorized // 10,
        "工勤": authorized // 10,
    }
    active = rng.randint(int(authorized * 0.8), authorized + 5)
    retired = rng.randint(0, 60)
    items, total = _scores(rng, profile)
    ge_prev = _r2(final * rng.uniform(0.03, 0.06))
    ge_now = _r2(ge_prev * rng.uniform(0.8, 1.1))
    return {
        "unit": {"name": name, "short_name": short, "kind": kind, "county": "示例县"},
        "year": year,
        "staffing": {
            "authorized": authorized,
            "authorized_by_type": by_type,
            "funded": active + retired,
            "active": active,
            "retired": retired,
        },
        "funds": {
            "initial_budget": initial,
            "adjustment": _r2(final - initial),
            "final_budget": final,
            "by_source": [
                s
                for s in (
                    {"name": "一般公共预算财政拨款", "amount": _r2(final - fund)},
                    {"name": "政府性基金预算财政拨款", "amount": fund},
                )
                if s["amount"] > 0
            ],
            "expenditure": expenditure,
            "by_nature": [{"name": "基本支出", "amount": basic}, {"name": "项目支出", "amount": project}],
            "by_economic": [
                {"name": "人员经费", "amount": staff},
                {"name": "公用经费", "amount": running},
                {"name": "项目支出", "amount": project},
            ],
            "execution_rate": round(spent_share * 100, 1),
            "execution_progress": progress,
            "three_public": {"budget": _r2(rng.uniform(2, 12)), "actual": _r2(rng.uniform(1.5, 12))},
            "general_expenditure": {
                "year": year,
                "year_prev": year - 1,
                "budget_prev": ge_prev,
                "budget": ge_now,
                "actual_prev": _r2(ge_prev * 0.95),
                "actual": _r2(ge_now * rng.uniform(0.85, 1.05)),
            },
            "carryover": _r2(final - expenditure),
        },
        "goal": f"（演示数据）{name}{year}年度完成各项工作任务，提升公共服务水平。",
        "tasks": [
            {"name": "示例任务一", "content": "（演示数据）完成年度重点工作。"},
            {"name": "示例任务二", "content": "（演示数据）加强预算绩效管理。"},
        ],
        "indicators": _indicators(rng, profile, staff, running),
        "scores": {"total": total, "items": items},
        "report": {
            "title": f"{name}关于{year}年绩效自评的报告（演示数据）",
            "sections": [{"heading": "一、基本情况", "level": 1, "text": "（演示数据）本报告为虚构示例。"}],
            "problems": ["一是（演示数据）预算编制的精准度有待提高。"],
            "suggestions": ["一是（演示数据）加强预算执行监控。"],
        },
    }


def _scores(rng: random.Random, profile: dict) -> tuple[list[dict], float]:
    items = []
    for level1, level1_max, level2, level2_max, entries in SCORE_SCHEME:
        for name, maximum in entries:
            lost = (
                0.0
                if rng.random() < 0.55 + 0.4 * profile["care"]
                else round(rng.uniform(0.2, 1) * maximum, 1)
            )
            items.append(
                {
                    "level1": level1,
                    "level1_max": level1_max,
                    "level2": level2,
                    "level2_max": level2_max,
                    "name": name,
                    "max": maximum,
                    "score": round(maximum - lost, 1),
                }
            )
    total = round(sum(i["score"] for i in items), 1)
    return items, total


def _indicators(rng: random.Random, profile: dict, staff: float, running: float) -> list[dict]:
    chosen = rng.sample(INDICATOR_POOL, rng.randint(10, len(INDICATOR_POOL)))
    chosen.sort(key=INDICATOR_POOL.index)
    weight = round(90 / len(chosen), 2)
    out = []
    for level1, level2, name, op, span, unit in chosen:
        item = {"level1": level1, "level2": level2, "name": name, "op": op}
        if op == "定性":
            target = rng.choice(QUALITATIVE_TARGETS)
            item.update(target=target, actual=target)
        else:
            if name == "公用经费":
                target = _r2(running * 1.05)
            elif name == "人员经费":
                target = _r2(staff * 1.02)
            else:
                target = rng.randint(*span)
            miss = rng.random() > 0.8 + 0.18 * profile["care"]
            actual = _demo_actual(rng, op, target, unit, miss)
            item.update(target=target, unit=unit, actual=actual)
            # Most units say why a target was missed; a few leave the reason out, as real forms do.
            if miss and actual != target and rng.random() < 0.7:
                item["note"] = rng.choice(MISS_REASONS)
        item["weight"] = weight
        out.append(item)
    out[-1]["weight"] = round(90 - weight * (len(chosen) - 1), 2)
    return out


def _demo_actual(rng: random.Random, op: str, target: float, unit: str, miss: bool) -> float | int:
    """An actual value a real form could hold: whole people and times, at most 100 %, a month from 1 to 12."""
    if op == "≥":
        actual = target * (rng.uniform(0.7, 0.99) if miss else rng.choice([1, 1, 1.1, 1.3]))
    elif op == "≤":
        actual = target * (rng.uniform(1.01, 1.2) if miss else rng.uniform(0.85, 1))
    else:
        actual = target * (0.95 if miss else 1)
    if unit == "%":
        actual = min(actual, 100.0)
    if unit == "月":
        actual = min(12, max(1, round(actual) if not miss else int(target) + 1))
    elif unit in WHOLE_UNITS:
        actual = int(actual) if miss else round(actual)
    actual = round(actual, 2)
    return int(actual) if float(actual).is_integer() else actual
