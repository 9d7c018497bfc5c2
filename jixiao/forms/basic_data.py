"""部门整体支出绩效评价基础数据表: staffing (编制数, 实际在职人数) under or beside its labels, and the 三公经费 row
under the latest year's 预算数 and 决算数."""

from __future__ import annotations

import re

from jixiao import fieldpath
from jixiao.forms.cells import parse_number
from jixiao.forms.headers import header_key
from jixiao.forms.tables import Extract, labels, right_of
from jixiao.forms.workbook import Grid

STAFFING_LABELS = {
    "编制数": "authorized",
    "人员编制": "authorized",
    "核定编制": "authorized",
    "实有人数": "funded",
}


def read_basic_data(grid: Grid, ex: Extract, rows: range) -> None:
    """部门整体支出绩效评价基础数据表: 编制数 / 实际在职人数 under their headers, the 三公经费 row under the latest
    year's 预算数 and 决算数; staffing written beside its label (人员编制 128, 实有人数 185)."""
    for r in rows:
        for c, label in enumerate(labels(grid, r)):
            if not label or grid.anchor(r, c) != (r, c):
                continue
            key = re.sub(r"^\d{4}年", "", header_key(label))
            field = STAFFING_LABELS.get(key) or (
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
