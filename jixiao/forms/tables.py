"""Finding tables by their header text, never by position: shared by every sheet reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao import fieldpath
from jixiao.findings import Finding, problem
from jixiao.forms.cells import clean_label, parse_measure, parse_number
from jixiao.forms.workbook import Grid
from jixiao.location import Location

# Canonical column -> header spellings seen on real forms (after removing whitespace). Order matters: the first
# spelling that matches a header cell wins, and more specific spellings come first.
INDICATOR_HEADERS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "绩效指标名称", "指标名称"),
    "op": ("绩效指标性质", "指标性质", "性质", "指标方向"),
    "target": ("年度指标值", "绩效指标值", "预期指标值", "年度目标值", "目标值", "指标值"),
    "unit": ("绩效度量单位", "度量单位", "计量单位", "单位"),
    "weight": ("权重", "分值", "指标分值"),
    "actual": ("实际完成指标值", "全年实际值", "实际完成值", "实际完成", "完成值", "实际值"),
    "score": ("自评得分", "得分"),
    "note": ("偏差原因分析及改进措施", "偏差原因", "未完成原因", "备注"),
}

STOP_LABELS = ("总分", "合计", "总计", "评价得分", "自评总分")


@dataclass
class Extract:
    """What one sheet or document yields: canonical fields, where each came from, and the problems met."""

    data: dict = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def set(self, key: str, value, where: Location) -> None:
        """Set a field path (``funds.final_budget``) and remember the cell it came from."""
        fieldpath.put(self.data, key, value)
        self.origins[key] = where

    def set_items(self, key: str, items: list, places: list[Location]) -> None:
        """Set a list, remembering where it starts and where each item (by 序号, from 1) stands."""
        self.set(key, items, places[0])
        for n, where in enumerate(places, start=1):
            self.origins[fieldpath.join(key, n)] = where

    def problem(self, rule: str, where: Location, message: str, severity: str = "error") -> None:
        self.findings.append(problem(rule, where, message, severity))


def labels(grid: Grid, r: int) -> list[str | None]:
    return grid.label_row(r)


def find_cell(grid: Grid, test, rows: Iterable[int] | None = None) -> tuple[int, int] | None:
    """The first anchor cell (top-left of a merge) whose label passes ``test``."""
    for r in rows if rows is not None else range(grid.height):
        for c, label in enumerate(grid.label_row(r)):
            if label and grid.anchor(r, c) == (r, c) and test(label):
                return r, c
    return None


def right_of(grid: Grid, r: int, c: int):
    """The first value to the right of the label at (r, c), past the label's own merged cells."""
    for cc in range(c + 1, grid.width):
        if grid.anchor(r, cc) == grid.anchor(r, c):
            continue
        value = grid.value(r, cc)
        if value is not None and clean_label(value):
            return cc, value
    return None, None


def below(grid: Grid, r: int, c: int, limit: int = 3):
    """The first value below the label at (r, c), past the label's own merged cells."""
    for rr in range(r + 1, min(grid.height, r + 1 + limit)):
        if grid.anchor(rr, c) == grid.anchor(r, c):
            continue
        value = grid.value(rr, c)
        if value is not None and clean_label(value):
            return rr, value
    return None, None


@dataclass
class Header:
    """A table header: its last row and the column of each canonical field."""

    row: int
    columns: dict[str, int]


def find_header(
    grid: Grid, spec: dict[str, tuple[str, ...]], required: tuple[str, ...], start: int = 0
) -> Header | None:
    """The first row (with the row below, for two-row headers) naming every ``required`` column."""
    for r in range(start, grid.height):
        row_labels = labels(grid, r)
        if not any(label and _matches(label, spec[required[0]]) for label in row_labels):
            continue
        # A two-row header: 年度指标值 over 指标性质 / 指标值 / 度量单位. Sub-headers win over the line above.
        rows = [r]
        if r + 1 < grid.height and _is_subheader(labels(grid, r + 1), spec):
            rows.append(r + 1)
        columns = _map_columns(grid, rows, spec)
        if all(key in columns for key in required):
            return Header(rows[-1], columns)
    return None


def _is_subheader(row_labels: list[str | None], spec) -> bool:
    texts = [label for label in row_labels if label]
    known = [t for t in texts if any(_matches(t, names) for names in spec.values())]
    return (
        bool(known) and len(known) == len(set(texts)) and not any(parse_number(t) is not None for t in texts)
    )


def _map_columns(grid: Grid, rows: list[int], spec) -> dict[str, int]:
    columns: dict[str, int] = {}
    for key, names in spec.items():
        for r in reversed(rows):  # the lower (more specific) header row first
            for c, label in enumerate(labels(grid, r)):
                if c in columns.values() or not label:
                    continue
                if _matches(label, names) and (key != "unit" or label in names):
                    columns[key] = c
                    break
            if key in columns:
                break
    return columns


def _matches(label: str, names: tuple[str, ...]) -> bool:
    label = re.sub(r"[（(].*?[)）]", "", label)  # "项目资金（万元）", "分值（100）"
    return any(label == name or label.startswith(name) for name in names)


def own(grid: Grid, r: int, c: int | None, cols: dict[str, int]):
    """The value in column ``c`` unless it spills over from a neighbouring column of the same table.

    A text such as "提高" merged across the empty 度量单位 cell must not be read as the unit too.
    """
    if c is None:
        return None
    ar, ac = grid.anchor(r, c)
    if ac != c and any(ac <= other < c for other in cols.values() if other != c):
        return None
    return grid.value(r, c)


def is_stop_row(row_labels: list[str | None]) -> bool:
    first = next((label for label in row_labels if label), None)
    return first is not None and any(first.startswith(stop) for stop in STOP_LABELS)


def number_at(extract: Extract, grid: Grid, r: int, c: int | None, what: str, cols: dict | None = None):
    """A number from a cell, or None if empty; a finding if the cell holds something that is not a number."""
    if c is None:
        return None
    raw = own(grid, r, c, cols) if cols else grid.value(r, c)
    if raw is None or clean_label(raw) in (None, "-", "—", "/", "无"):
        return None
    number = parse_number(raw)
    if number is None:
        measure = parse_measure(raw)
        if isinstance(measure.value, (int, float)):
            return measure.value
        extract.problem("invalid-number", grid.where(r, c), f"{what}应为数字，实际为 {str(raw)!r}")
    return number
