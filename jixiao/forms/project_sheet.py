"""项目支出绩效自评表: one project per table; several may stand in one sheet, one below the other, or be split over
several tables (a portal page or a PDF often gives the project's header block, its funds and its indicators as
separate tables): the project goes on until the next 项目名称.

The funds block is found by its headers, in the national wording (年初预算数 / 全年预算数 / 全年执行数 / 分值 /
执行率 / 得分), Sichuan's (年初预算 / 调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分) or the 衔接资金 form's
(全年预算数(A) / 全年执行数(B) / 执行率(B/A)). A 年度资金总额 row left at zeros while the figures stand on its
其中：本年财政拨款 row is read from that row, and the reader says so.
"""

from __future__ import annotations

import re

from jixiao.forms.cells import clean_label, clean_text, is_template_text, money_unit_in, parse_number
from jixiao.forms.headers import header_key
from jixiao.forms.tables import (
    Extract,
    find_cell,
    labels,
    money_unit_above,
    number_at,
    own_labels,
    right_of,
)
from jixiao.forms.target_sheet import read_indicators
from jixiao.forms.workbook import Grid

KIND = "项目支出绩效自评表"
FUNDS_HEADERS = {
    "initial_budget": ("年初预算数", "年初预算"),
    "final_budget": ("全年预算数", "调整后预算数", "调整后预算", "全年预算", "预算数"),
    "expenditure": ("全年执行数", "预算执行数", "实际执行数", "执行数", "实际支出"),
    "max": ("分值", "权重"),
    "execution_rate": ("执行率", "预算执行率"),
    "score": ("得分", "自评得分"),
}
TOTAL_ROW = ("年度资金总额", "资金总额", "总额", "合计")
FISCAL_ROW = (
    "其中本年财政拨款",
    "其中当年财政拨款",
    "其中财政拨款",
    "其中财政资金",
    "本年财政拨款",
    "当年财政拨款",
)
NAME_LABELS = ("项目名称",)
GOAL_LABELS = ("项目年度目标", "预期目标", "年初设定目标", "年度目标")
RESULT_LABELS = (
    "年度目标完成情况",
    "实际完成情况",
    "年度总体目标完成情况综述",
    "年度总体目标完成情况",
    "完成情况",
)


def key_of(value) -> str:
    return header_key(value).replace("：", "").replace(":", "")


def project_starts(grid: Grid) -> list[int]:
    """Rows where a project begins: the row holding a 项目名称 label."""
    return [
        r
        for r in range(grid.height)
        if any(
            label and key_of(label) in NAME_LABELS and _has_value_right(grid, r, c)
            for c, label in enumerate(labels(grid, r))
        )
    ]


def _has_value_right(grid: Grid, r: int, c: int) -> bool:
    return right_of(grid, r, c)[1] is not None


def read_block(grid: Grid, start: int, end: int) -> Extract:
    ex = Extract()
    project: dict = {}
    rows = range(start, end)
    for key, names in (("name", NAME_LABELS), ("department", ("主管部门",)), ("implementer", ("实施单位",))):
        found = find_cell(grid, lambda t, names=names: key_of(t) in names, rows=rows)
        if found:
            _, value = right_of(grid, *found)
            if value is not None and key_of(value) not in ("主管部门", "实施单位", "项目负责人及电话"):
                project[key] = clean_text(value)
    ex.set("projects", [project], grid.where(start, 0))
    ex.origins["projects[1]"] = grid.where(start, 0)
    continue_block(ex, grid, start, end)
    return ex


def continue_block(ex: Extract, grid: Grid, start: int, end: int) -> bool:
    """Read the funds, goal, indicators and total of rows [start, end) into the extract's (last) project; whether
    anything was found."""
    project = ex.data["projects"][-1]
    n = len(ex.data["projects"])
    rows = range(start, end)
    found = False
    if "funds" not in project:
        funds = read_funds(grid, ex, rows)
        if funds:
            project["funds"] = funds
            found = True
    if "goal" not in project:
        goal = _goal(grid, rows)
        if goal:
            project.update(goal)
            found = True
    if "indicators" not in project:
        inner = Extract()
        indicators = read_indicators(grid, inner, "indicators", start=start, end=end)
        ex.findings.extend(inner.findings)
        ex.notes.extend(inner.notes)
        if indicators:
            project["indicators"] = indicators
            ex.origins.update({f"projects[{n}].{key}": where for key, where in inner.origins.items()})
            found = True
    if "total_score" not in project:
        total = _total(grid, ex, rows)
        if total is not None:
            project["total_score"] = total
            found = True
    return found


def read_funds(grid: Grid, ex: Extract, rows: range) -> dict:
    header_row, columns = None, {}
    for r in rows:
        found = {}
        for key, names in FUNDS_HEADERS.items():
            for c, label in enumerate(labels(grid, r)):
                if (
                    label
                    and c not in found.values()
                    and grid.anchor(r, c)[1] == c
                    and any(key_of(label).startswith(n) for n in names)
                ):
                    found[key] = c
                    break
        if "expenditure" in found and ({"final_budget", "initial_budget"} & found.keys()):
            header_row, columns = r, found
            break
    if header_row is None:
        return {}
    per_wan = _money_scale(grid, ex, header_row, rows)
    candidates = range(header_row + 1, min(rows.stop, header_row + 7))
    total_row = next((r for r in candidates if _row_key(grid, r) in TOTAL_ROW), header_row + 1)
    fiscal_row = next((r for r in candidates if _row_key(grid, r) in FISCAL_ROW), None)
    amounts = ("initial_budget", "final_budget", "expenditure")
    source = total_row
    amount_cols = [columns[k] for k in amounts if k in columns]
    if (
        fiscal_row is not None
        and _all_zero(grid, total_row, amount_cols)
        and not _all_zero(grid, fiscal_row, amount_cols)
    ):
        source = fiscal_row
        ex.notes.append(
            f"{grid.where_row(total_row).words(with_file=False)}：“年度资金总额”一行为零，"
            f"项目资金按“{clean_label(grid.value(fiscal_row, _label_col(grid, fiscal_row)))}”一行读取"
        )
    funds = {}
    for key, c in columns.items():
        if key in amounts:
            value = _amount(ex, grid, source, c, key, per_wan)
        elif source != total_row and key in ("execution_rate", "score"):
            continue  # the zeros of an unfilled total row are no rate and no score
        else:
            value = number_at(ex, grid, total_row, c, f"项目资金“{FUNDS_HEADERS[key][0]}”")
            if (
                key == "execution_rate"
                and value is not None
                and isinstance(grid.value(total_row, c), float)
                and 0 < value <= 1.5
            ):
                value = round(value * 100, 4)  # a percentage cell holds 0.95 for 95%
        if value is not None:
            funds[key] = value
    return funds


def _amount(ex, grid, r, c, key, per_wan):
    from jixiao.forms.cells import parse_measure

    raw = grid.value(r, c)
    measure = parse_measure(raw)
    if isinstance(measure.value, (int, float)) and measure.op is None:
        scale = money_unit_in(measure.unit) if measure.unit else None
        factor = scale if scale is not None else per_wan
        return round(measure.value * factor, 6)
    return number_at(ex, grid, r, c, f"项目资金“{FUNDS_HEADERS[key][0]}”")


def _money_scale(grid: Grid, ex: Extract, header_row: int, rows: range) -> float:
    """万元 unless a unit label says 元 or 千元 (converted and said so): the nearest one above the funds header, in
    the block or in the few lines above it ("附件2：…", "单位：元"), or in the text just above the table."""
    for r in range(header_row, max(0, rows.start - 4) - 1, -1):
        for c, label in enumerate(labels(grid, r)):
            scale = money_unit_in(label) if label else None
            if scale is not None:
                if scale != 1:
                    ex.notes.append(
                        f"{grid.where(r, c).words(with_file=False)}：金额单位为“{label}”，已换算为万元"
                    )
                return scale
    # The project begins the table: the lines above the table speak for it.
    scale = money_unit_above(grid, ex) if rows.start <= 3 else None
    return 1.0 if scale is None else scale


def _label_col(grid: Grid, r: int) -> int:
    """The column of the row's own first label (not one merged down from above)."""
    return next((c for c, _ in own_labels(grid, r)), 0)


def _row_key(grid: Grid, r: int) -> str:
    """The row's own first label (not one merged down from a row above, such as 项目资金（万元）)."""
    first = next((t for _, t in own_labels(grid, r) if parse_number(t) is None), None)
    return key_of(first) if first else ""


def _all_zero(grid: Grid, r: int, cols: list[int]) -> bool:
    values = [parse_number(grid.value(r, c)) for c in cols]
    return all(v in (None, 0) for v in values)


def _goal(grid: Grid, rows: range) -> dict:
    out = {}
    for key, names in (("goal", GOAL_LABELS), ("goal_result", RESULT_LABELS)):
        for r in rows:
            text = None
            for c, label in enumerate(labels(grid, r)):
                if not label:
                    continue
                inline = re.match(r"^(.{2,14}?)[:：](.+)$", clean_text(grid.value(r, c)) or "", re.S)
                if inline and key_of(inline.group(1)) in names:
                    text = inline.group(2).strip()
                elif key_of(label) in names and grid.anchor(r, c) == (r, c):
                    below = next(
                        (
                            rr
                            for rr in range(r + 1, min(rows.stop, r + 4))
                            if clean_text(grid.value(rr, c)) and grid.anchor(rr, c)[0] != grid.anchor(r, c)[0]
                        ),
                        None,
                    )
                    if below is not None:
                        text = clean_text(grid.value(below, c))
                if text and is_template_text(text):
                    text = None  # the template's guidance, left in place: nothing was written
                if text:
                    break
            if text:
                out[key] = text
                break
    return out


def _total(grid: Grid, ex: Extract, rows: range):
    """The 总分 row's figure in the indicator table's 得分 column (a 合计 of the 权重 column is no score)."""
    from jixiao.forms.headers import INDICATOR_HEADERS, find_header

    header = find_header(grid, INDICATOR_HEADERS, ("name",), start=rows.start, end=rows.stop)
    if header is None or "score" not in header.columns:
        return None
    for r in range(header.row + 1, rows.stop):
        if _row_key(grid, r) in ("总分", "合计", "总计", "自评总分", "得分合计"):
            return number_at(ex, grid, r, header.columns["score"], "总分")
    return None
