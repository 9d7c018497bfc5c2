"""Figures a 自评报告 states in its standard sentences, as ``{field, value, quote}`` statements.

The 四川 template (and most others) writes the same sentences every year: "年初预算收入X万元、中期调整预算收入Y万元，
调整后财政拨款收入Z万元", "基本支出X万元，占Y%", "“预算编制质量”满分8分，自评得分8分". Each match becomes a
statement naming the canonical field it speaks about, so the checks can compare the text with the tables, and
fields no table provides (the report is often the only place that gives 人员经费 or 编制) can be filled from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jixiao import fieldpath
from jixiao.forms.cell_text import fold, simplified

# The cell grammar's number, in prose: thousands separators ("1,354.29"), any decimals ("5413.6672"); full-width
# digits and traditional characters are folded before matching (``normalise``).
NUM = r"(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
# Money is 万元 in the model: an amount written in 元 or 亿元 is converted (``_value`` looks at the unit).
W = r"\s*(?:万元|亿元|元)"
_SEP = r"[^，；;。\d]*"  # words between "占" and the percentage: "占决算报表支出的"
_FUNDS = r"(一般公共预算|政府性基金预算|国有资本经营预算)"

Emit = Callable[[re.Match], list[tuple[str, float]]]


def _value(m: re.Match, group: int) -> float:
    """The number of a group, in 万元 when a money unit follows it ("2026400元" → 202.64)."""
    value = float(m.group(group).replace(",", ""))
    after = m.string[m.end(group) : m.end(group) + 3].lstrip()
    if after.startswith("元"):
        return round(value / 10000, 6)
    if after.startswith("亿"):
        return value * 10000
    return value


def normalise(text: str) -> str:
    """Prose as the patterns expect it, character for character (so quotes keep their places): simplified
    characters, ASCII digits, full-width punctuation except inside numbers ("1,354.29", "2024.05")."""
    text = simplified(fold(text))
    text = re.sub(r"(?<!\d),|,(?!\d{3})", "，", text)
    return text.translate(_PUNCT)


_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "?": "？"})


def _one(field: str, group: int = 1) -> Emit:
    return lambda m: [(field, _value(m, group))]


def _amount_share(field: str, amount: int = 1, share: int = 2) -> Emit:
    def emit(m: re.Match) -> list[tuple[str, float]]:
        name = field.format(*m.groups())
        out = [(f"{name}.amount", _value(m, amount))]
        if m.group(share) is not None:
            out.append((f"{name}.share", _value(m, share)))
        return out

    return emit


def _pair(field_prev: str, field_now: str, years: tuple[str, str]) -> Emit:
    """Two (year, value) groups: the earlier year's value is the previous one. The years are kept too (in the
    ``years`` fields beside them), so a chart labels its bars with the years the report states, not assumed ones."""

    def emit(m: re.Match) -> list[tuple[str, float]]:
        y1, y2 = m.group(1), m.group(3)
        # Amounts in 万元 whatever unit the sentence uses (_value), the years as the report states them.
        (earlier_year, earlier), (later_year, later) = sorted(
            [(int(y1), _value(m, 2)), (int(y2), _value(m, 4))]
        )
        return [
            (years[0], float(earlier_year)),
            (field_prev, earlier),
            (years[1], float(later_year)),
            (field_now, later),
        ]

    return emit


def _progress(m: re.Match) -> list[tuple[str, float]]:
    month = int(m.group(1))
    return [
        (f"funds.execution_progress[{month}].amount", _value(m, 2)),
        (f"funds.execution_progress[{month}].rate", _value(m, 3)),
    ]


def _group(m: re.Match) -> list[tuple[str, float]]:
    name = "阶段（一次性）项目" if "一次性" in m.group(1) else m.group(1)
    base = f"project_summary.groups[{name}]"
    return [
        (f"{base}.count", _value(m, 2)),
        (f"{base}.amount", _value(m, 3)),
        (f"{base}.execution_rate", _value(m, 4)),
        (f"{base}.high_balance_count", _value(m, 5)),
    ]


def _score_item(m: re.Match) -> list[tuple[str, float]]:
    name = m.group(1)
    return [
        (f"scores.items[{name}].max", _value(m, 2)),
        (f"scores.items[{name}].score", _value(m, 3)),
    ]


def _project_spending(m: re.Match) -> list[tuple[str, float]]:
    # "项目支出X万元" belongs to the 经济分类 split when the same paragraph has spoken of 人员经费 before it.
    before = m.string[: m.start()]
    table = "by_economic" if "人员经费" in before else "by_nature"
    out = [(f"funds.{table}[项目支出].amount", _value(m, 1))]
    if m.group(2) is not None:
        out.append((f"funds.{table}[项目支出].share", _value(m, 2)))
    return out


def _project_money(m: re.Match) -> list[tuple[str, float]]:
    # The budget (group 1) is the plain "项目资金共X万元" pattern's; this one adds what follows it.
    out = [("project_summary.expenditure", _value(m, 2))]
    if m.group(3) is not None:
        out.append(("project_summary.execution_rate", _value(m, 3)))
    return out


def _unit_spending(m: re.Match) -> list[tuple[str, float]]:
    # "实际支出X万元" is the unit's spending unless its sentence speaks of 三公 or other 经费, or of a project.
    sentence = m.string[max(m.string.rfind("。", 0, m.start()), 0) : m.start()]
    return (
        []
        if any(word in sentence for word in ("三公", "经费", "项目"))
        else [("funds.expenditure", _value(m, 1))]
    )


PATTERNS: list[tuple[re.Pattern, Emit]] = [
    (re.compile(rf"年初预算(?:收入|资金|支出)?(?:数)?(?:为|是)?{NUM}{W}"), _one("funds.initial_budget")),
    (re.compile(rf"中期调整(?:预算)?(?:收入)?{NUM}{W}"), _one("funds.adjustment")),
    (re.compile(rf"调整后(?:财政拨款|预算)?(?:收入)?{NUM}{W}"), _one("funds.final_budget")),
    # "调整预算2,480.35万元": the adjusted budget (not 中期调整, the adjustment itself).
    (re.compile(rf"(?<!中期)调整预算(?:数)?(?:为|是)?{NUM}{W}"), _one("funds.final_budget")),
    (
        re.compile(rf"{_FUNDS}(?:财政)?拨款(?:收入)?(?:为)?{NUM}{W}(?:，占{_SEP}{NUM}%)?"),
        _amount_share("funds.by_source[{0}财政拨款]", 2, 3),
    ),
    (re.compile(rf"决算(?:报表)?支出{NUM}{W}"), _one("funds.expenditure")),
    (re.compile(rf"全年执行数(?:为|是)?{NUM}{W}"), _one("funds.expenditure")),
    (re.compile(rf"实际支出(?:为|是)?{NUM}{W}"), _unit_spending),
    (re.compile(rf"基本支出{NUM}{W}(?:，占{_SEP}{NUM}%)?"), _amount_share("funds.by_nature[基本支出]")),
    (re.compile(rf"项目支出{NUM}{W}(?:，占{_SEP}{NUM}%)?"), _project_spending),
    (
        re.compile(rf"人员经费(?:支出)?{NUM}{W}(?:，占{_SEP}{NUM}%)?"),
        _amount_share("funds.by_economic[人员经费]"),
    ),
    (
        re.compile(rf"公用经费(?:支出)?{NUM}{W}(?:，占{_SEP}{NUM}%)?"),
        _amount_share("funds.by_economic[公用经费]"),
    ),
    (re.compile(rf"预算(?:支出)?执行率(?:达到|达|为)?{NUM}%"), _one("funds.execution_rate")),
    (
        re.compile(
            rf"(?:1\s*[-—－~至到]\s*)?(\d{{1,2}})月(?:份)?(?:预算)?执行(?:金额)?{NUM}{W}，执行率(?:为|达)?{NUM}%"
        ),
        _progress,
    ),
    (
        re.compile(rf"三公”?经费(?:预算)?(?:金额)?(?:为)?{NUM}{W}，实际支出{NUM}{W}"),
        lambda m: [
            ("funds.three_public.budget", _value(m, 1)),
            ("funds.three_public.actual", _value(m, 2)),
        ],
    ),
    (
        re.compile(rf"(\d{{4}})年预算安排{NUM}{W}，(\d{{4}})年预算安排{NUM}{W}"),
        _pair(
            "funds.general_expenditure.budget_prev",
            "funds.general_expenditure.budget",
            ("funds.general_expenditure.year_prev", "funds.general_expenditure.year"),
        ),
    ),
    (
        re.compile(rf"(\d{{4}})年决算{NUM}{W}，(\d{{4}})年决算{NUM}{W}"),
        _pair(
            "funds.general_expenditure.actual_prev",
            "funds.general_expenditure.actual",
            ("funds.general_expenditure.year_prev", "funds.general_expenditure.year"),
        ),
    ),
    (re.compile(rf"预算压减率(?:为)?{NUM}%"), _one("funds.general_expenditure.budget_change_rate")),
    (re.compile(rf"决算增长率(?:为)?{NUM}%"), _one("funds.general_expenditure.actual_change_rate")),
    (re.compile(rf"全年（调整）预算(?:数)?(?:为)?{NUM}{W}"), _one("funds.final_budget")),
    (re.compile(rf"全年预算(?:数)?(?:为)?{NUM}{W}"), _one("funds.final_budget")),
    (re.compile(rf"(?<!预算)(?<!基金)财政拨款收入(?:合计)?(?:为)?{NUM}{W}"), _one("funds.fiscal_funds")),
    (re.compile(rf"(?:财政拨款)?支出合计(?:为)?{NUM}{W}"), _one("funds.expenditure")),
    (re.compile(rf"(?:^|[、。；\d])\s*支出：\s*{NUM}{W}"), _one("funds.expenditure")),
    (re.compile(rf"项目预算安排(?:资金)?{NUM}{W}"), _one("project_summary.budget")),
    (re.compile(rf"项目资金(?:已使用|已支出|支出|使用)(?:了)?{NUM}{W}"), _one("project_summary.expenditure")),
    (re.compile(rf"项目资金执行率(?:为|达到|达)?{NUM}%"), _one("project_summary.execution_rate")),
    (re.compile(rf"项目资金(?:共计|共|总额|合计)(?:为)?{NUM}{W}"), _one("project_summary.budget")),
    # "项目资金共2179万元,已完成拨付2113.63万元,执行率97%": paid out and the rate belong to the project money the
    # sentence opened with, so they are read only after it — a bare "已拨付" or "执行率" elsewhere says nothing whose.
    (
        re.compile(
            rf"项目资金(?:共计|共|总额|合计)(?:为)?{NUM}{W}[^。；]{{0,20}}?已(?:完成)?(?:拨付|支出|使用|支付)(?:资金)?"
            rf"(?:为)?{NUM}{W}(?:[^。；\d]{{0,8}}?执行率(?:为|达到|达)?{NUM}%)?"
        ),
        _project_money,
    ),
    (re.compile(r"(?:等|共计|合计)(\d+)个(?:二级)?项目"), _one("project_summary.total")),
    (
        re.compile(rf"(?:整体支出|部门整体)[^。]{{0,30}}?自评得分(?:为|是)?\s*{NUM}\s*分"),
        _one("scores.total"),
    ),
    (re.compile(rf"综合评分为\s*{NUM}\s*分"), _one("scores.total")),
    (re.compile(r"年末无结转结余"), lambda m: [("funds.carryover", 0.0)]),
    (re.compile(rf"年末结转结余(?:资金)?{NUM}{W}"), _one("funds.carryover")),
    (re.compile(r"核定(?:编制)?(?:人数)?(?:为)?(\d+)[人名]"), _one("staffing.authorized")),
    (re.compile(r"(?<![政业勤])编制(?:人数|数)(?:为)?(\d+)[人名]"), _one("staffing.authorized")),
    (re.compile(r"实有(?:人数|人员)(?:为)?(\d+)[人名]"), _one("staffing.funded")),
    (
        re.compile(r"(行政|事业|工勤)编制(\d+)[人名]"),
        lambda m: [(f"staffing.authorized_by_type[{m.group(1)}]", _value(m, 2))],
    ),
    (re.compile(r"(?:实际)?财政供养(?:人员|人数)?(\d+)[人名]"), _one("staffing.funded")),
    (re.compile(r"在职(?:人员|人数)?(?:为)?(\d+)[人名]"), _one("staffing.active")),
    (re.compile(r"退休(?:人员|人数)?(?:为)?(\d+)[人名]"), _one("staffing.retired")),
    (re.compile(r"长期聘用(?:人员)?(\d+)[人名]"), _one("staffing.contract")),
    (
        re.compile(rf"(\d{{4}})年[^，。]*?人均占有资产{NUM}{W}，(\d{{4}})年[^，。]*?人均占有资产{NUM}{W}"),
        _pair("assets.per_capita_prev", "assets.per_capita", ("assets.year_prev", "assets.year")),
    ),
    (re.compile(rf"人均资产变化率(?:为)?{NUM}%"), _one("assets.per_capita_change_rate")),
    (re.compile(rf"固定资产利用率(?:为|达)?{NUM}%"), _one("assets.utilization_rate")),
    (
        re.compile(
            rf"(常年项目|阶段（一次性）项目|一次性项目)[^。]*。?该类项目总数(\d+)个，涉及预算总金额{NUM}{W}，"
            rf"1[—\-－~至]12月预算执行总体进度为{NUM}%，其中：预算结余率大于10%的项目共计(\d+)个"
        ),
        _group,
    ),
    (re.compile(r"共有(\d+)个部门预算项目"), _one("project_summary.total")),
    (
        re.compile(rf"{_FUNDS}项目(\d+)个"),
        lambda m: [(f"project_summary.by_fund[{m.group(1)}].count", _value(m, 2))],
    ),
    (re.compile(r"涉及预算调整的项目(\d+)个"), _one("project_summary.adjusted_count")),
    (re.compile(r"完成绩效目标数量指标的项目有(\d+)个"), _one("project_summary.completed_count")),
    (re.compile(rf"“([^”]{{2,20}})”(?:指标)?满分{NUM}分，自评得分{NUM}分"), _score_item),
    (re.compile(rf"自评满分100分，自评得分{NUM}分"), _one("scores.total")),
    # Said only to be checked, never data: the share of quantitative indicators within 30% of their target.
    (re.compile(rf"偏离度在30%(?:以)?内的指标占比{NUM}%"), _one("check.deviation_within_30_share")),
    (re.compile(rf"评价指标自评得分{NUM}分"), _one("scores.total")),
]


def _quote(text: str, start: int, end: int) -> str:
    """The sentence around a match, for citizens to read where the figure came from."""
    left = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    right = min((i for i in (text.find(ch, end) for ch in "。；;\n") if i != -1), default=len(text))
    return text[left : right + 1].strip()


def extract_statements(sections: list[dict]) -> list[dict]:
    """Every standard-sentence figure, in reading order; the same field and value stated twice is kept once."""
    found, seen = [], set()
    offset = 0
    for section in sections:
        for paragraph in section.get("text", "").split("\n\n"):
            text = normalise(paragraph)
            # Quotes come from the original words when normalising kept every character in its place.
            source = paragraph if len(text) == len(paragraph) else text
            for pattern, emit in PATTERNS:
                for match in pattern.finditer(text):
                    for field, value in emit(match):
                        if (field, value) in seen:
                            continue
                        seen.add((field, value))
                        found.append(
                            (
                                offset + match.start(),
                                field,
                                value,
                                _quote(source, match.start(), match.end()),
                            )
                        )
            offset += len(paragraph) + 2
    found.sort(key=lambda item: item[0])
    return [{"field": f, "value": _tidy(v), "quote": q} for _, f, v, q in found]


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def statements_to_fields(statements: list[dict]) -> dict:
    """Nested canonical fields from statements; lists keyed by name (or month) in order of first mention; the
    first statement of a field stands."""
    data: dict = {}
    for statement in statements:
        fieldpath.put(data, statement["field"], statement["value"], overwrite=False)
    return data
