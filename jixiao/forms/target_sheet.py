"""部门整体支出绩效目标完成情况自评表: header block, 目标, 年度主要任务 and the 年度绩效指标 table."""

from __future__ import annotations

import re

from jixiao import fieldpath
from jixiao.forms.cells import (
    MONEY_UNITS,
    clean_label,
    clean_name,
    clean_text,
    is_template_name,
    money_unit_in,
    parse_flag,
    parse_measure,
    parse_number,
    parse_op,
    simplified,
    split_label,
    unknown_money_unit,
)
from jixiao.forms.headers import header_key
from jixiao.forms.tables import (
    INDICATOR_HEADERS,
    Extract,
    below,
    find_cell,
    find_header,
    is_stop_row,
    labels,
    money_unit_above,
    number_at,
    own,
    right_of,
    total_row,
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
    _read_basic_data(grid, ex, rows)
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
    from jixiao.forms.project_sheet import RESULT_LABELS, _goal

    _read_beside(grid, ex, GOAL_LABELS, "goal", rows)
    if ex.data.get("goal") and header_key(ex.data["goal"]) not in (
        "预期目标",
        "年初设定目标",
        *RESULT_LABELS,
    ):
        return
    ex.data.pop("goal", None)
    goal = _goal(grid, rows)
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
    from jixiao.forms.project_sheet import read_funds

    funds = read_funds(grid, ex, rows)
    names = {"max": "execution_max", "score": "execution_score"}
    for key, value in funds.items():
        field = f"funds.{names.get(key, key)}"
        if fieldpath.get(ex.data, field) is None:
            ex.set(field, value, grid.whole())
    if not funds:
        return
    from jixiao.forms.project_sheet import _row_key

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
        label = _row_key(grid, r).removeprefix("其中")  # "其中：基本支出" under the total
        if label in ("基本支出", "项目支出"):
            numbers = [parse_number(v) for v in grid.rows[r] if parse_number(v) is not None]
            if len(numbers) >= 2:
                amount = numbers[1]  # 年初预算数, then 全年执行数 (or 全年预算数, 全年执行数)
                if len(numbers) >= 3 and _has_three_amounts(grid, rows):
                    amount = numbers[2]
                _append(ex, "funds.by_nature", {"name": label, "amount": amount}, grid.where_row(r))


def _read_basic_data(grid: Grid, ex: Extract, rows: range) -> None:
    """部门整体支出绩效评价基础数据表: 编制数 / 实际在职人数 under their headers, the 三公经费 row under the latest
    year's 预算数 and 决算数; staffing written beside its label (人员编制 128, 实有人数 185)."""
    staffing = {
        "编制数": "authorized",
        "人员编制": "authorized",
        "核定编制": "authorized",
        "实有人数": "funded",
    }
    for r in rows:
        for c, label in enumerate(labels(grid, r)):
            if not label or grid.anchor(r, c) != (r, c):
                continue
            key = re.sub(r"^\d{4}年", "", header_key(label))
            field = staffing.get(key) or (
                "active" if key.endswith("实际在职人数") or key == "在职人数" else None
            )
            if field is None or fieldpath.get(ex.data, f"staffing.{field}") is not None:
                continue
            below_value = grid.value(r + 1, c) if grid.anchor(r + 1, c)[0] == r + 1 else None
            for rr, cc, value in ((r + 1, c, below_value), (r, *right_of(grid, r, c))):
                number = parse_number(value) if cc is not None else None
                if isinstance(number, int) or (isinstance(number, float) and number.is_integer()):
                    ex.set(f"staffing.{field}", int(number), grid.where(rr, cc))
                    break
    head = None
    for r in rows:
        years = {}
        for c, label in enumerate(labels(grid, r)):
            m = re.match(r"^(\d{4})年(预算数|决算数)$", header_key(label) or "")
            if m:
                years[(int(m.group(1)), m.group(2))] = c
        if years:
            head = (r, years)
            break
    if head is None:
        return
    r0, years = head
    latest = max(y for y, _ in years)
    for r in range(r0 + 1, rows.stop):
        if _row_label(grid, r).startswith("三公经费"):
            for kind, field in (("预算数", "budget"), ("决算数", "actual")):
                c = years.get((latest, kind))
                value = parse_number(grid.value(r, c)) if c is not None else None
                if value is not None:
                    ex.set(f"funds.three_public.{field}", value, grid.where(r, c))
            break


def _row_label(grid: Grid, r: int) -> str:
    return header_key(next((t for t in labels(grid, r) if t), None))


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
        total = total_row(grid, r)
        if total == "subtotal":
            continue  # "小计" of a level: the table goes on below it
        if total or is_stop_row(row_labels[cols.get("level1", cols["name"]) :]) or is_stop_row(row_labels):
            break
        inherited = not clean_label(grid.value(r, cols["level1"])) if "level1" in cols else False
        level1 = _label_or(grid, r, cols.get("level1"), level1)
        level2 = _label_or(grid, r, cols.get("level2"), level2)
        if inherited and _other_family(level1, level2):
            level1 = None  # a 一级 cell lost (split by a page break): 社会效益指标 is not under 产出指标
        name, core = clean_name(grid.value(r, cols["name"]))
        if is_template_name(name) or (name and name.startswith("其中") and _blank(grid, r, cols)):
            continue
        if indicators and _is_part(grid, r, cols, indicators[-1], name):
            indicators[-1].setdefault("parts", []).append(_part(grid, ex, r, cols, name))
            continue
        indicator = _indicator(grid, ex, r, cols, level1, level2, name, core)
        if not any(k in indicator for k in ("target", "actual", "weight", "score")):
            ex.problem(
                "indicator-without-figures",
                grid.where(r, cols["name"]),
                f"指标“{name}”没有指标值、实际完成值、分值或得分",
                "warning",
            )
        indicators.append(indicator)
        places.append(grid.where(r, cols["name"]))
        cells.append({f: grid.where(r, c) for f, c in cols.items() if f in indicators[-1] and f != "name"})
    if indicators:
        ex.set_items(key, indicators, places)
        # Each figure's own cell, so a finding about a score points at the score, not at the indicator's name.
        for n, fields in enumerate(cells, start=1):
            ex.origins.update({f"{key}[{n}].{f}": where for f, where in fields.items()})
    return indicators


# The customary 一级 of each 二级 family: a 二级 label of one family under a 一级 of another was not written so.
FAMILIES = {"产出": ("数量", "质量", "时效", "成本"), "效益": ("效益", "可持续"), "满意度": ("满意度",)}


def _other_family(level1: str | None, level2: str | None) -> bool:
    if not level1 or not level2:
        return False
    own = next((words for key, words in FAMILIES.items() if key in level1), None)
    other = any(w in level2 for key, words in FAMILIES.items() if key not in level1 for w in words)
    return own is not None and not any(w in level2 for w in own) and other


def _is_part(grid: Grid, r: int, cols: dict, previous: dict, name: str) -> bool:
    """A breakdown row under a scored indicator ("其中桃树种植面积"): no 分值 and no 得分 of its own, under an
    indicator that has them, in the same 二级 group (its 二级 cell empty or merged from above)."""
    if "weight" not in cols or previous.get("weight") is None:
        return False
    own_figures = any(clean_text(own(grid, r, cols[k], cols)) for k in ("weight", "score") if k in cols)
    if own_figures:
        return False
    c2 = cols.get("level2")
    same_group = c2 is None or grid.anchor(r, c2)[0] != r or clean_text(grid.value(r, c2)) is None
    return name.startswith("其中") or same_group


def _part(grid: Grid, ex: Extract, r: int, cols: dict, name: str) -> dict:
    target = parse_measure(own(grid, r, cols["target"], cols)) if "target" in cols else parse_measure(None)
    actual = parse_measure(own(grid, r, cols["actual"], cols)) if "actual" in cols else parse_measure(None)
    part = {
        "name": name,
        "op": target.op,
        "target": target.value,
        "unit": target.unit or actual.unit,
        "actual": actual.value,
    }
    return {k: v for k, v in part.items() if v is not None}


def _blank(grid: Grid, r: int, cols: dict) -> bool:
    return all(clean_text(grid.value(r, cols[k])) is None for k in ("weight", "target") if k in cols)


def _label_or(grid: Grid, r: int, c: int | None, previous: str | None) -> str | None:
    """A 一级/二级 label, filled down from the row above when the cell is empty (merged or left blank)."""
    if c is None:
        return None
    label = clean_label(grid.value(r, c))
    if not label:
        return previous
    return split_label(label)[0]  # "产出指标(50分)": the points belong to the level, not its name


def _indicator(grid, ex, r, cols, level1, level2, name, core) -> dict:
    target = parse_measure(own(grid, r, cols["target"], cols)) if "target" in cols else parse_measure(None)
    actual = parse_measure(own(grid, r, cols["actual"], cols)) if "actual" in cols else None
    for key, measure in (("target", target), ("actual", actual)):
        if measure is not None and measure.doubt:
            ex.problem(
                "doubtful-cell",
                grid.where(r, cols[key]),
                f"“{name}”的{'指标值' if key == 'target' else '实际完成值'} {measure.value!r}：{measure.doubt}",
                "warning",
            )
    op = parse_op(own(grid, r, cols["op"], cols)) if "op" in cols else None
    # A text target is qualitative; an empty one (a template left blank) has no operator at all, nor has a damaged
    # one ("l00%"): its text is kept for review, not declared qualitative.
    op = (
        op
        or target.op
        or (
            None if target.value is None or target.doubt or isinstance(target.value, (int, float)) else "定性"
        )
    )
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
            # Read as printed (the checks judge it, rule score-range): a publisher's slip is no reason to lose the file.
            ex.problem(
                "score-over-max", grid.where(r, cols["score"]), f"得分 {score} 超过分值 {weight}", "warning"
            )
    # ★ in the name, or a 是否核心指标 column ("是", "√", the ticked option of "R是 £否").
    if core or ("core" in cols and parse_flag(own(grid, r, cols["core"], cols))):
        item["core"] = True
    note = clean_text(own(grid, r, cols["note"], cols)) if "note" in cols else None
    if note:
        item["note"] = note
    return {k: v for k, v in item.items() if v is not None}
