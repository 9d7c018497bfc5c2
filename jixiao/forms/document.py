"""The forms in a file's grids, read in order, whatever the format the grids came from.

A file is a sequence of tables (sheets of a workbook, tables of a page, a PDF or a Word report). A project
(项目名称 …) goes on across tables until the next 项目名称: a portal page that gives the project's header block, its
funds and its indicator table as three tables reads as one project. A table before any project is read for the
unit (部门整体 forms, an indicator table on its own). A table that looks like an evaluation table but cannot be
mapped is reported with the header cells found and those expected; nothing is dropped silently.
"""

from __future__ import annotations

from jixiao.findings import Finding, problem
from jixiao.forms import project_sheet, scoring_sheet, target_sheet
from jixiao.forms.headers import INDICATOR_HEADERS, column_of, describe, find_header, header_key
from jixiao.forms.tables import Extract, header_cells
from jixiao.forms.workbook import Grid

# Words of a table that is about evaluation: a table with two of them in its first rows is expected to be read.
EVALUATION_WORDS = ("指标", "分值", "得分", "权重", "预算数", "执行数", "执行率", "自评", "绩效")
TITLES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "op": "指标性质",
    "target": "指标值",
    "unit": "度量单位",
    "weight": "分值/权重",
    "actual": "实际完成值",
    "score": "得分",
    "note": "偏差原因",
    "core": "核心指标",
}


def read_grids(grids: list[Grid]) -> tuple[list[Extract], list[str], list[str], list[Finding]]:
    """(extracts, kinds, explanation lines, findings on tables that look like evaluation tables but were not read)."""
    extracts: list[Extract] = []
    kinds: list[str] = []
    explain: list[str] = []
    skipped: list[Finding] = []
    project: Extract | None = None  # the project being read, continued by the next table
    for grid in grids:
        if not any(any(v is not None for v in row) for row in grid.rows):
            continue  # an empty sheet ("Sheet2", "Sheet3") is no form
        where = grid.whole().words(with_file=False)
        if scoring_sheet.looks_like(grid):
            ex = scoring_sheet.read_scoring_sheet(grid)
            extracts.append(ex)
            _kind(kinds, scoring_sheet.KIND)
            explain.append(f"{where}：{scoring_sheet.KIND}，{_count(ex.data, 'scores.items')} 项")
            project = None
            above = scoring_sheet.first_row(grid)
            if above > 1:  # a 基础数据表 above the scoring table in the same sheet
                unit = target_sheet.read_target_sheet(grid, 0, above)
                if _unit_level(unit):
                    extracts.append(unit)
                    explain.append(f"{where} 第 1—{above} 行：单位层面 {', '.join(sorted(unit.data))}")
                elif unit.data:  # the year of the sheet's title ("…自评打分表（2023年度）")
                    extracts.append(unit)
            continue
        starts = project_sheet.project_starts(grid)
        head_end = starts[0] if starts else grid.height
        read_something = False
        if head_end > 0:
            if project is not None and project_sheet.continue_block(project, grid, 0, head_end):
                explain.append(f"{where}：接续上一张表的项目“{project.data['projects'][-1].get('name')}”")
                read_something = True
            else:
                ex = target_sheet.read_target_sheet(grid, 0, head_end)
                if _unit_level(ex):
                    extracts.append(ex)
                    _kind(kinds, target_sheet.KIND)
                    explain.append(f"{where}：单位层面 {', '.join(sorted(ex.data))}")
                    read_something = True
                elif ex.data:  # only the year of a title above a project table
                    extracts.append(ex)
        elif grid.caption and project is None:
            ex = target_sheet.read_target_sheet(grid, 0, 0)  # the year of the title printed above the table
            if ex.data.get("year"):
                extracts.append(ex)
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else grid.height
            ex = project_sheet.read_block(grid, start, end)
            extracts.append(ex)
            _kind(kinds, project_sheet.KIND)
            name = ex.data["projects"][0].get("name")
            explain.append(
                f"{where} 第 {start + 1}—{end} 行：项目“{name}”，"
                f"{len(ex.data['projects'][0].get('indicators', []))} 项指标"
            )
            project = ex
            read_something = True
        explain.extend(_header_lines(grid, where))
        if not read_something and _looks_evaluation(grid):
            skipped.append(_unmapped(grid))
    explain.extend(line for ex in extracts for line in ex.skipped)
    # A project read without its name (a table cut from its header block) is not a project.
    return [ex for ex in extracts if _keep(ex, skipped)], kinds, explain, skipped


def _keep(ex: Extract, skipped: list[Finding]) -> bool:
    projects = ex.data.get("projects")
    if projects and not projects[0].get("name"):
        skipped.append(
            problem("missing-field", ex.origins["projects"], "项目支出绩效自评表缺少项目名称", "warning")
        )
        return False
    return True


def _kind(kinds: list[str], kind: str) -> None:
    if kind not in kinds:
        kinds.append(kind)


def _count(data: dict, key: str) -> int:
    node = data
    for part in key.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return len(node) if isinstance(node, list) else 0


def _unit_level(ex: Extract) -> bool:
    """Whether a table read for the unit gave more than a year from its title."""
    return any(key != "year" for key in ex.data) or bool(ex.findings)


def _header_lines(grid: Grid, where: str) -> list[str]:
    """How each indicator table of the grid was recognised: header row and the column of each field."""
    out, start = [], 0
    while True:
        header = find_header(grid, INDICATOR_HEADERS, ("name",), start=start)
        if header is None:
            return out
        rows = f"第 {header.first_row + 1} 行" + (
            f"—第 {header.row + 1} 行" if header.row != header.first_row else ""
        )
        out.append(f"{where} 表头在{rows}：" + "；".join(describe(header, TITLES)))
        start = header.row + 1


def _looks_evaluation(grid: Grid) -> bool:
    words = {word for label in header_cells(grid, 15, 20) for word in EVALUATION_WORDS if word in label}
    return len(words) >= 2


def _unmapped(grid: Grid) -> Finding:
    found = header_cells(grid, 15, 20)
    known = {column_of(label, INDICATOR_HEADERS) for label in found} - {None}
    missing = [TITLES[k] for k in ("name", "target", "actual") if k not in known]
    return problem(
        "unmapped-table",
        grid.whole(),
        f"这张表像是绩效自评表，但认不出它的表头（缺少{'、'.join(missing) or '能对应的列'}）；"
        f"找到的是：{'、'.join(header_key(t) or t for t in found[:20])}；应有“三级指标”“指标值”“实际完成值”"
        "（目标表、项目表）或“三级指标”“分值”“得分”（打分表）",
    )
