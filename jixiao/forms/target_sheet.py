"""部门整体支出绩效目标完成情况自评表: header block, 目标, 年度主要任务 and the 年度绩效指标 table."""

from __future__ import annotations

import re

from jixiao.forms.cells import (
    clean_label,
    clean_name,
    clean_text,
    is_template_name,
    parse_measure,
    parse_number,
    parse_op,
)
from jixiao.forms.tables import (
    INDICATOR_HEADERS,
    Extract,
    below,
    find_cell,
    find_header,
    is_stop_row,
    labels,
    number_at,
    own,
    right_of,
)
from jixiao.forms.workbook import Grid

KIND = "部门整体支出绩效目标完成情况自评表"
TITLE_WORDS = ("绩效目标完成情况自评表", "整体支出绩效自评表", "整体绩效目标自评表")
NAME_LABELS = ("部门名称", "单位名称", "部门（单位）名称", "预算单位", "主管部门")
GOAL_LABELS = ("目标", "年度目标", "总体目标", "年度总体目标", "部门整体目标")
BUDGET_LABELS = {
    "final_budget": ("资金总额", "年度资金总额"),
    "fiscal_funds": ("财政拨款",),
    "other_funds": ("其他资金",),
}
YUAN_PER_WAN = 10000


def looks_like(grid: Grid) -> bool:
    title = find_cell(grid, lambda t: any(word in t for word in TITLE_WORDS), rows=range(min(grid.height, 6)))
    if title and "项目" not in clean_label(grid.value(*title)):
        return True
    return (
        find_cell(grid, lambda t: t == "年度主要任务") is not None
        and find_header(grid, INDICATOR_HEADERS, ("name", "target")) is not None
    )


def read_target_sheet(grid: Grid) -> Extract:
    ex = Extract()
    per_yuan = _money_unit(grid, ex)
    _read_year(grid, ex)
    _read_beside(grid, ex, NAME_LABELS, "unit.name")
    _read_budget(grid, ex, per_yuan)
    _read_beside(grid, ex, GOAL_LABELS, "goal")
    _read_tasks(grid, ex)
    read_indicators(grid, ex, "indicators")
    return ex


def _money_unit(grid: Grid, ex: Extract) -> float:
    """1 for 万元, 1/10000 for 元 (converted on input and said so)."""
    found = find_cell(
        grid, lambda t: re.match(r"^(金额)?单位[:：]", t) is not None, rows=range(min(grid.height, 8))
    )
    if found and re.search(r"[:：]元$", clean_label(grid.value(*found))):
        ex.notes.append(f"{grid.where(*found).words(with_file=False)}：金额单位为元，已换算为万元（÷10000）")
        return 1 / YUAN_PER_WAN
    return 1.0


def _read_year(grid: Grid, ex: Extract) -> None:
    found = find_cell(
        grid, lambda t: re.search(r"(\d{4})年度", t) is not None, rows=range(min(grid.height, 6))
    )
    if found:
        year = int(re.search(r"(\d{4})年度", clean_label(grid.value(*found))).group(1))
        ex.set("year", year, grid.where(*found))


def _read_beside(grid: Grid, ex: Extract, names: tuple[str, ...], key: str) -> None:
    """A value written to the right of its label: 部门名称 → 渠县宝城镇人民政府, 目标 → the goal's text."""
    found = find_cell(grid, lambda t: t in names)
    if found:
        c, value = right_of(grid, *found)
        if value is not None:
            ex.set(key, clean_text(value), grid.where(found[0], c))


def _read_budget(grid: Grid, ex: Extract, per_yuan: float) -> None:
    for key, names in BUDGET_LABELS.items():
        found = find_cell(grid, lambda t, names=names: t in names)
        if not found:
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
            ex.set(f"funds.{key}", round(amount * per_yuan, 6), grid.where(*place))


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
    tasks, places = [], []
    for r in range(header_row + 1, grid.height):
        row_labels = labels(grid, r)
        if any(label and ("一级指标" in label or label == "年度绩效指标") for label in row_labels):
            break
        name = clean_text(grid.value(r, name_col))
        content = clean_text(grid.value(r, content_col)) if content_col is not None else None
        if name and not is_template_name(name):
            tasks.append({"name": name, "content": content or ""})
            places.append(grid.where(r, name_col))
    if tasks:
        ex.set_items("tasks", tasks, places)


def read_indicators(grid: Grid, ex: Extract, key: str, start: int = 0, end: int | None = None) -> list[dict]:
    """The indicator table in rows [start, end): one dict per real indicator (template and total rows skipped)."""
    end = grid.height if end is None else end
    header = find_header(grid, INDICATOR_HEADERS, ("name", "target"), start=start)
    if header is None or header.row >= end:
        return []
    cols = header.columns
    indicators, places, cells, level1, level2 = [], [], [], None, None
    for r in range(header.row + 1, end):
        row_labels = labels(grid, r)
        if is_stop_row(row_labels[cols.get("level1", cols["name"]) :]) or is_stop_row(row_labels):
            break
        level1 = _label_or(grid, r, cols.get("level1"), level1)
        level2 = _label_or(grid, r, cols.get("level2"), level2)
        name, core = clean_name(grid.value(r, cols["name"]))
        if is_template_name(name) or (name and name.startswith("其中") and _blank(grid, r, cols)):
            continue
        indicators.append(_indicator(grid, ex, r, cols, level1, level2, name, core))
        places.append(grid.where(r, cols["name"]))
        cells.append({f: grid.where(r, c) for f, c in cols.items() if f in indicators[-1] and f != "name"})
    if indicators:
        ex.set_items(key, indicators, places)
        # Each figure's own cell, so a finding about a score points at the score, not at the indicator's name.
        for n, fields in enumerate(cells, start=1):
            ex.origins.update({f"{key}[{n}].{f}": where for f, where in fields.items()})
    return indicators


def _blank(grid: Grid, r: int, cols: dict) -> bool:
    return all(clean_text(grid.value(r, cols[k])) is None for k in ("weight", "target") if k in cols)


def _label_or(grid: Grid, r: int, c: int | None, previous: str | None) -> str | None:
    """A 一级/二级 label, filled down from the row above when the cell is empty (merged or left blank)."""
    if c is None:
        return None
    label = clean_label(grid.value(r, c))
    return label or previous


def _indicator(grid, ex, r, cols, level1, level2, name, core) -> dict:
    target = parse_measure(own(grid, r, cols["target"], cols))
    actual = parse_measure(own(grid, r, cols["actual"], cols)) if "actual" in cols else None
    op = parse_op(own(grid, r, cols["op"], cols)) if "op" in cols else None
    op = op or target.op or (None if isinstance(target.value, (int, float)) else "定性")
    unit = clean_text(own(grid, r, cols["unit"], cols)) if "unit" in cols else None
    unit = unit or target.unit or (actual.unit if actual else None)
    # No operator written: none is invented (the reading the category implies is a finding, never a silent "=").
    item: dict = {"level1": level1, "level2": level2, "name": name, "op": op, "target": target.value}
    if unit:
        item["unit"] = unit
    weight = number_at(ex, grid, r, cols.get("weight"), "权重（分值）", cols)
    if weight is not None:
        item["weight"] = weight
    if actual is not None and actual.value is not None:
        item["actual"] = actual.value
    score = number_at(ex, grid, r, cols.get("score"), "得分", cols)
    if score is not None:
        item["score"] = score
        if weight is not None and score > weight + 1e-9:
            ex.problem("score-over-max", grid.where(r, cols["score"]), f"得分 {score} 超过分值 {weight}")
    if core:
        item["core"] = True
    note = clean_text(own(grid, r, cols["note"], cols)) if "note" in cols else None
    if note:
        item["note"] = note
    return {k: v for k, v in item.items() if v is not None}
