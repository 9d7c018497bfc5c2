"""部门整体支出绩效目标完成情况自评表: header block, 目标, 年度主要任务 and the 年度绩效指标 table."""

from __future__ import annotations

import re

from jixiao import fieldpath
from jixiao.forms.basic_data import read_basic_data
from jixiao.forms.cell_text import clean_label, clean_text, is_template_name, simplified
from jixiao.forms.cells import parse_number
from jixiao.forms.funds_block import read_funds, row_key
from jixiao.forms.headers import header_key
from jixiao.forms.indicator_table import read_indicators
from jixiao.forms.money_units import MONEY_UNITS, money_unit_in, unknown_money_unit
from jixiao.forms.project_sheet import RESULT_LABELS, read_goal
from jixiao.forms.tables import (
    Extract,
    below,
    find_cell,
    labels,
    money_unit_above,
    number_at,
    right_of,
)
from jixiao.forms.workbook import Grid

KIND = "部门整体支出绩效目标完成情况自评表"
NAME_LABELS = (
    "部门名称",
    "单位名称",
    "部门单位名称",
    "部门(单位)名称",
    "预算部门单位名称",
    "预算部门名称",
    "预算部门、单位名称",
    "预算单位",
    "部门",
    "单位",
)
GOAL_LABELS = ("目标", "年度目标", "总体目标", "年度总体目标", "部门整体目标")
BUDGET_LABELS = {
    "final_budget": ("资金总额", "年度资金总额"),
    "fiscal_funds": ("财政拨款",),
    "other_funds": ("其他资金",),
}


def read_target_sheet(grid: Grid, start: int = 0, end: int | None = None) -> Extract:
    """The unit-level parts of rows [start, end): header block, funds, goal, tasks, indicators."""
    ex = Extract()
    rows = range(start, grid.height if end is None else end)
    per_wan = _money_unit(grid, ex, rows)
    _read_year(grid, ex, rows)
    _read_beside(grid, ex, NAME_LABELS, "unit.name", rows)
    _read_funds_block(grid, ex, rows)
    _read_budget(grid, ex, per_wan, rows)
    read_basic_data(grid, ex, rows)
    _read_label_values(grid, ex, rows)
    _read_goal(grid, ex, rows)
    _read_tasks(grid, ex)
    read_indicators(grid, ex, "indicators", start=rows.start, end=rows.stop)
    return ex


def _money_unit(grid: Grid, ex: Extract, rows: range) -> float:
    """The sheet's money unit wherever a label states it ("单位：元", "（单位：千元）"): 1 for 万元, else the
    factor to 万元 (converted on input and said so); a unit that cannot be converted is a finding."""
    for r in rows[:8]:
        for c, label in enumerate(labels(grid, r)):
            if not label or "单位" not in label:
                continue
            unknown = unknown_money_unit(label)
            if unknown:
                ex.problem(
                    "unknown-money-unit", grid.where(r, c), f"金额单位“{unknown}”无法换算为万元，请核对"
                )
                continue
            scale = money_unit_in(label)
            if scale is not None:
                if scale != 1:
                    unit = next(k for k, v in MONEY_UNITS.items() if v == scale)
                    ratio = f"÷{1 / scale:g}" if scale < 1 else f"×{scale:g}"
                    ex.notes.append(
                        f"{grid.where(r, c).words(with_file=False)}：金额单位为{unit}，已换算为万元（{ratio}）"
                    )
                return scale
    scale = money_unit_above(grid, ex) if rows.start == 0 else None
    return 1.0 if scale is None else scale


def _read_goal(grid: Grid, ex: Extract, rows: range) -> None:
    """目标 beside its label (Sichuan), or 预期目标 / 实际完成情况 under or inside their cells (national form)."""
    _read_beside(grid, ex, GOAL_LABELS, "goal", rows)
    if ex.data.get("goal") and header_key(ex.data["goal"]) not in (
        "预期目标",
        "年初设定目标",
        *RESULT_LABELS,
    ):
        return
    ex.data.pop("goal", None)
    goal = read_goal(grid, rows)
    if "goal" in goal:
        ex.set("goal", goal["goal"], grid.whole())


def _read_year(grid: Grid, ex: Extract, rows: range) -> None:
    """The year of a title ("部门预算项目支出绩效自评表(2023年度)", "（2024年度）") in the first rows or any row."""
    found = find_cell(grid, lambda t: re.search(r"(\d{4})年度", t) is not None, rows=rows[:6]) or find_cell(
        grid, lambda t: re.search(r"(\d{4})年度", t) is not None and ("表" in t or len(t) <= 12), rows=rows
    )
    if found:
        year = int(re.search(r"(\d{4})年度", clean_label(grid.value(*found))).group(1))
        ex.set("year", year, grid.where(*found))
        return
    # The title a page, a PDF or a Word report prints just above the table ("2023年度部门整体支出绩效自评表").
    for line in grid.caption if rows.start == 0 else []:
        match = re.search(r"(\d{4})年度", line)
        if match and "表" in line:
            ex.set("year", int(match.group(1)), grid.whole())
            return


def _read_beside(grid: Grid, ex: Extract, names: tuple[str, ...], key: str, rows: range) -> None:
    """A value written to the right of its label: 部门名称 → 渠县宝城镇人民政府, 目标 → the goal's text."""
    found = find_cell(grid, lambda t: header_key(t) in names, rows=rows)
    if found:
        c, value = right_of(grid, *found)
        if value is not None and header_key(value) not in names:
            ex.set(key, clean_text(value), grid.where(found[0], c))


def _read_budget(grid: Grid, ex: Extract, per_wan: float, rows: range) -> None:
    for key, names in BUDGET_LABELS.items():
        found = find_cell(grid, lambda t, names=names: t in names, rows=rows)
        if not found or fieldpath.get(ex.data, f"funds.{key}") is not None:
            continue
        # The amount stands under its label (Sichuan's block) or, in other templates, to its right.
        r, value = below(grid, *found)
        place = (r, found[1])
        if r is None or parse_number(value) is None:
            c, value = right_of(grid, *found)
            place = (found[0], c)
            if c is None or parse_number(value) is None:
                continue
        amount = number_at(ex, grid, *place, f"“{names[0]}”")
        if amount is not None:
            ex.set(f"funds.{key}", round(amount * per_wan, 6), grid.where(*place))


def _read_funds_block(grid: Grid, ex: Extract, rows: range) -> None:
    """The national 部门整体 form's block: 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 over a
    年度资金总额 row, with 基本支出 / 项目支出 rows under it in some provinces."""
    places: dict = {}
    funds = read_funds(grid, ex, rows, places)
    names = {"max": "execution_max", "score": "execution_score"}
    for key, value in funds.items():
        field = f"funds.{names.get(key, key)}"
        if fieldpath.get(ex.data, field) is None:
            ex.set(field, value, places.get(key, grid.whole()))
    if not funds:
        return
    header = next(
        r
        for r in rows
        if find_cell(
            grid,
            lambda t: (
                header_key(t).startswith("全年执行数")
                or header_key(t).startswith("预算执行数")
                or header_key(t).startswith("执行数")
            ),
            rows=[r],
        )
    )
    for r in range(header + 1, min(rows.stop, header + 7)):
        label = row_key(grid, r).removeprefix("其中")  # "其中：基本支出" under the total
        if label in ("基本支出", "项目支出"):
            numbers = [parse_number(v) for v in grid.rows[r] if parse_number(v) is not None]
            if len(numbers) >= 2:
                amount = numbers[1]  # 年初预算数, then 全年执行数 (or 全年预算数, 全年执行数)
                if len(numbers) >= 3 and _has_three_amounts(grid, rows):
                    amount = numbers[2]
                _append(ex, "funds.by_nature", {"name": label, "amount": amount}, grid.where_row(r))


def _has_three_amounts(grid: Grid, rows: range) -> bool:
    return (
        find_cell(grid, lambda t: header_key(t).startswith(("全年预算", "调整后预算")), rows=rows) is not None
    )


# "按收入性质分:2030.12", "其中: 一般公共预算:1325.68", "基本支出:900.47": a label and its amount in one cell.
_LABEL_VALUE = re.compile(r"^(?:其中[:：]?)?([\u4e00-\u9fff（）()]{2,20})[:：]\s*(-?[\d,]+(?:\.\d+)?)$")
SOURCE_WORDS = (
    "一般公共预算",
    "政府性基金",
    "国有资本经营",
    "纳入专户管理",
    "财政专户",
    "其他资金",
    "事业收入",
    "上级补助",
)
NATURE_WORDS = ("基本支出", "项目支出")


def _read_label_values(grid: Grid, ex: Extract, rows: range) -> None:
    for r in rows:
        for c, value in enumerate(grid.rows[r]):
            if grid.anchor(r, c) != (r, c) or not isinstance(value, str):
                continue
            match = _LABEL_VALUE.match(re.sub(r"\s+", "", value))
            if not match:
                continue
            label, amount = simplified(match.group(1)), parse_number(match.group(2))
            if amount is None:
                continue
            if label.startswith(SOURCE_WORDS):
                _append(ex, "funds.by_source", {"name": label, "amount": amount}, grid.where(r, c))
            elif label in NATURE_WORDS:
                _append(ex, "funds.by_nature", {"name": label, "amount": amount}, grid.where(r, c))


def _append(ex: Extract, key: str, item: dict, where) -> None:
    items = fieldpath.get(ex.data, key) or []
    if any(i["name"] == item["name"] for i in items):
        return
    items.append(item)
    ex.set(key, items, where)
    ex.origins[fieldpath.join(key, len(items))] = where


def _read_tasks(grid: Grid, ex: Extract) -> None:
    found = find_cell(grid, lambda t: t == "任务名称")
    if not found:
        return
    header_row, name_col = found
    content_col = next(
        (
            c
            for c in range(name_col + 1, grid.width)
            if clean_label(grid.value(header_row, c)) in ("主要内容", "任务内容", "内容")
        ),
        None,
    )
    # The 年度主要任务 label left of the header, merged down over the tasks (or repeated on each row): a row
    # with another label there (年度总体目标, 年度绩效指标) begins the next part of the form.
    section = next((c for c in range(name_col) if clean_label(grid.value(header_row, c))), None)
    tasks, places = [], []
    for r in range(header_row + 1, grid.height):
        row_labels = labels(grid, r)
        if any(label and ("一级指标" in label or label == "年度绩效指标") for label in row_labels):
            break
        if section is not None and grid.anchor(r, section) != grid.anchor(header_row, section):
            label = clean_label(grid.value(r, section))
            if label and label != clean_label(grid.value(header_row, section)):
                break
        name = clean_text(grid.value(r, name_col))
        content = clean_text(grid.value(r, content_col)) if content_col is not None else None
        if name and not is_template_name(name):
            tasks.append({"name": name, "content": content or ""})
            places.append(grid.where(r, name_col))
    if tasks:
        ex.set_items("tasks", tasks, places)
