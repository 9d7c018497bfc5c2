"""项目支出绩效自评表: one project per table (several may stand in one sheet, one below the other).

The funds block is found by its headers, in the national wording (年初预算数 / 全年预算数 / 全年执行数 / 分值 /
执行率 / 得分) or Sichuan's (年初预算 / 调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分); the indicator table by
its own headers, with 分值 or 权重, 得分 and 偏差原因.
"""

from __future__ import annotations

import re

from jixiao.forms.cells import clean_label, clean_text
from jixiao.forms.tables import Extract, find_cell, labels, number_at, right_of
from jixiao.forms.target_sheet import read_indicators
from jixiao.forms.workbook import Grid

KIND = "项目支出绩效自评表"
FUNDS_HEADERS = {
    "initial_budget": ("年初预算数", "年初预算"),
    "final_budget": ("全年预算数", "调整后预算数", "调整后预算", "全年预算"),
    "expenditure": ("全年执行数", "预算执行数", "实际执行数", "执行数", "实际支出"),
    "max": ("分值", "权重"),
    "execution_rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}
TOTAL_ROW = ("年度资金总额", "资金总额", "年度资金总额：", "合计")


def looks_like(grid: Grid) -> bool:
    title = find_cell(
        grid, lambda t: "项目支出绩效自评表" in t or "项目绩效自评表" in t, rows=range(min(grid.height, 6))
    )
    return title is not None or find_cell(grid, lambda t: t == "项目名称") is not None


def read_project_sheet(grid: Grid) -> list[Extract]:
    starts = [r for r in range(grid.height) if any(label == "项目名称" for label in labels(grid, r))]
    extracts = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else grid.height
        extracts.append(_read_block(grid, start, end))
    return extracts


def _read_block(grid: Grid, start: int, end: int) -> Extract:
    ex = Extract()
    rows = range(start, end)
    project: dict = {}
    for key, label in (("name", "项目名称"), ("department", "主管部门"), ("implementer", "实施单位")):
        found = find_cell(grid, lambda t, label=label: t == label, rows=rows)
        if found:
            _, value = right_of(grid, *found)
            if value is not None and clean_label(value) not in ("主管部门", "实施单位"):
                project[key] = clean_text(value)
    if "name" not in project:
        ex.problem("missing-field", grid.where(start, 0), "项目支出绩效自评表缺少项目名称")
        return ex
    funds = _funds(grid, ex, rows)
    if funds:
        project["funds"] = funds
    project.update(_goal(grid, rows))
    inner = Extract()
    indicators = read_indicators(grid, inner, "indicators", start=start, end=end)
    ex.findings.extend(inner.findings)
    if indicators:
        project["indicators"] = indicators
    total = _total(grid, ex, rows)
    if total is not None:
        project["total_score"] = total
    ex.set("projects", [project], grid.where(start, 0))
    # Where each of this project's indicators stands, so findings on them keep their cells; the project is the
    # first of this extract, renumbered when the tables of several files are merged.
    ex.origins["projects[1]"] = grid.where(start, 0)
    ex.origins.update({f"projects[1].{key}": where for key, where in inner.origins.items()})
    return ex


def _funds(grid: Grid, ex: Extract, rows: range) -> dict:
    header_row, columns = None, {}
    for r in rows:
        row = labels(grid, r)
        found = {}
        for key, names in FUNDS_HEADERS.items():
            for c, label in enumerate(row):
                if label and c not in found.values() and any(label.startswith(n) for n in names):
                    found[key] = c
                    break
        if {"final_budget", "expenditure"} <= found.keys():
            header_row, columns = r, found
            break
    if header_row is None:
        return {}
    unit_cell = find_cell(
        grid, lambda t: t.startswith("项目资金"), rows=range(max(rows.start, header_row - 1), header_row + 2)
    )
    per_yuan = (
        1 / 10000 if unit_cell and re.search(r"[（(]元[)）]", clean_label(grid.value(*unit_cell))) else 1
    )
    if per_yuan != 1:
        ex.notes.append(
            f"{grid.where(*unit_cell).words(with_file=False)}：金额单位为元，已换算为万元（÷10000）"
        )
    total_row = next(
        (
            r
            for r in range(header_row + 1, min(rows.stop, header_row + 6))
            if any(label in TOTAL_ROW for label in labels(grid, r) if label)
        ),
        header_row + 1,
    )
    funds = {}
    for key, c in columns.items():
        value = number_at(ex, grid, total_row, c, f"项目资金“{FUNDS_HEADERS[key][0]}”")
        if value is None:
            continue
        if key in ("initial_budget", "final_budget", "expenditure"):
            value = round(value * per_yuan, 6)
        elif key == "execution_rate" and 0 < value <= 1 and isinstance(grid.value(total_row, c), float):
            value = round(value * 100, 4)  # a percentage cell holds 0.95 for 95%
        funds[key] = value
    return funds


def _goal(grid: Grid, rows: range) -> dict:
    found = find_cell(grid, lambda t: t in ("预期目标", "年度目标"), rows=rows)
    if not found:
        return {}
    r, c = found
    out = {}
    below = next((rr for rr in range(r + 1, min(rows.stop, r + 4)) if clean_text(grid.value(rr, c))), None)
    if below is not None:
        out["goal"] = clean_text(grid.value(below, c))
        result = find_cell(grid, lambda t: t in ("实际完成情况", "实际完成", "完成情况"), rows=[r])
        if result and clean_text(grid.value(below, result[1])):
            out["goal_result"] = clean_text(grid.value(below, result[1]))
    return out


def _total(grid: Grid, ex: Extract, rows: range):
    for r in rows:
        row = labels(grid, r)
        first = next((label for label in row if label), None)
        if first in ("总分", "合计", "总计", "自评总分"):
            numbers = [c for c in range(grid.width) if isinstance(grid.value(r, c), (int, float))]
            if numbers:
                return number_at(ex, grid, r, numbers[-1], "总分")
    return None
