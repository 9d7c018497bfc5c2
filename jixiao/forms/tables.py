"""Finding tables by their header text, never by position: shared by every sheet reader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao import fieldpath
from jixiao.findings import Finding, problem
from jixiao.forms.cell_text import clean_label
from jixiao.forms.cells import parse_measure, parse_number
from jixiao.forms.headers import INDICATOR_HEADERS, Header, find_header  # noqa: F401  (re-exported)
from jixiao.forms.money_units import money_unit_in
from jixiao.forms.workbook import Grid
from jixiao.location import Location

STOP_LABELS = ("总分", "合计", "总计", "评价得分", "自评总分", "小计")


@dataclass
class Extract:
    """What one sheet or document yields: canonical fields, where each came from, and the problems met."""

    data: dict = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Rows a table holds but the reader did not take as data, each with why (for ``jixiao import --explain``).
    skipped: list[str] = field(default_factory=list)

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


def own_labels(grid: Grid, r: int) -> list[tuple[int, str]]:
    """(column, label) of the labels row ``r`` holds itself, not those merged down into it from a row above."""
    return [(c, t) for c, t in enumerate(grid.label_row(r)) if t and grid.anchor(r, c)[0] == r]


def header_cells(grid: Grid, rows: int, longest: int) -> list[str]:
    """The distinct labels of a table's first ``rows`` rows no longer than ``longest`` characters, in reading
    order: what a finding lists as the header cells found."""
    return list(
        dict.fromkeys(
            t for r in range(min(grid.height, rows)) for t in grid.label_row(r) if t and len(t) <= longest
        )
    )


def is_stop_row(row_labels: list[str | None]) -> bool:
    first = next((label for label in row_labels if label), None)
    return first is not None and any(first.startswith(stop) for stop in STOP_LABELS)


def total_row(grid: Grid, r: int) -> str | None:
    """Whether row ``r`` is a totals row by its own first label (not one merged down from a level above):
    "subtotal" for a level's 小计 ("小计", "产出指标小计"), "total" for 合计 / 总分 / 总计, else None."""
    first = next((t for _, t in own_labels(grid, r)), None)
    if first is None:
        return None
    if first.endswith("小计") or first.startswith("小计"):
        return "subtotal"
    return "total" if any(first.startswith(stop) for stop in STOP_LABELS) else None


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
        # One unreadable cell is a finding on that cell, never the loss of the file it stands in.
        hint = f"（{measure.doubt}）" if measure.doubt else ""
        extract.problem(
            "invalid-number",
            grid.where(r, c),
            f"{what}应为数字，实际为 {str(raw)!r}，未读取{hint}",
            "warning",
        )
    return number


def money_unit_above(grid: Grid, extract: Extract) -> float | None:
    """The factor to 万元 of the money unit the lines printed just above a table state ("单位：元"; the nearest
    first), noted when it converts; None when they state none."""
    for line in reversed(grid.caption):
        scale = money_unit_in(line)
        if scale is not None:
            if scale != 1:
                extract.notes.append(
                    f"{grid.whole().words(with_file=False)} 表上方：金额单位为“{line}”，已换算为万元"
                )
            return scale
    return None
