"""项目支出绩效自评表: one project per table; several may stand in one sheet, one below the other, or be split over
several tables (a portal page or a PDF often gives the project's header block, its funds and its indicators as
separate tables): the project goes on until the next 项目名称. Its funds block is read by jixiao.forms.funds_block,
its indicator table by jixiao.forms.indicator_table.
"""

from __future__ import annotations

import re

from jixiao.forms.cell_text import clean_text, is_template_text
from jixiao.forms.funds_block import key_of, read_funds, row_key
from jixiao.forms.headers import INDICATOR_HEADERS, column_of
from jixiao.forms.indicator_table import read_indicators
from jixiao.forms.tables import Extract, find_cell, labels, number_at, right_of
from jixiao.forms.workbook import Grid

KIND = "项目支出绩效自评表"
NAME_LABELS = ("项目名称",)
GOAL_LABELS = ("项目年度目标", "预期目标", "年初设定目标", "年度目标")
RESULT_LABELS = (
    "年度目标完成情况",
    "实际完成情况",
    "年度总体目标完成情况综述",
    "年度总体目标完成情况",
    "完成情况",
)


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
        goal = read_goal(grid, rows)
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


def read_goal(grid: Grid, rows: range) -> dict:
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
                elif (
                    key_of(label) in names and grid.anchor(r, c) == (r, c) and not _indicator_header(grid, r)
                ):
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


def _indicator_header(grid: Grid, r: int) -> bool:
    """Whether row r heads the indicator table: there "实际完成情况" names the actual column, and the cell below
    it is the first indicator's actual, not the project's 完成情况."""
    found = {column_of(label, INDICATOR_HEADERS) for label in labels(grid, r) if label}
    return "name" in found and bool(found & {"target", "weight", "score"})


def _total(grid: Grid, ex: Extract, rows: range):
    """The 总分 row's figure in the indicator table's 得分 column (a 合计 of the 权重 column is no score)."""
    from jixiao.forms.headers import INDICATOR_HEADERS, find_header

    header = find_header(grid, INDICATOR_HEADERS, ("name",), start=rows.start, end=rows.stop)
    if header is None or "score" not in header.columns:
        return None
    for r in range(header.row + 1, rows.stop):
        if row_key(grid, r) in ("总分", "合计", "总计", "自评总分", "得分合计"):
            return number_at(ex, grid, r, header.columns["score"], "总分")
    return None
