"""部门预算绩效自评打分表: 一级/二级/三级 items with 分值 and 自评得分, the total, the 扣分项.

Maxima come from the 分值 column, or from the labels ("履职效能（15分）") when a level has no column of its own.
"""

from __future__ import annotations

import re

from jixiao.forms.cell_text import clean_label, clean_text, split_label
from jixiao.forms.cells import parse_number
from jixiao.forms.headers import INDICATOR_HEADERS, column_of, header_key
from jixiao.forms.tables import Extract, find_cell, find_header, header_cells, labels, number_at, own
from jixiao.forms.workbook import Grid

KIND = "部门预算绩效自评打分表"
SCORE_HEADERS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "评价指标", "考核指标"),
    "max": ("指标分值", "分值", "标准分值", "标准分", "满分"),
    "explanation": ("指标解释", "评分标准", "评价标准", "评分办法", "指标说明及评分标准", "指标说明"),
    "score": ("自评得分", "得分", "评价得分", "自评分", "评分"),
    "note": ("备注", "扣分原因", "说明"),
}
_Q_FOR_OP = re.compile(r"(?<![A-Za-z])Q\d")
TOTAL_LABELS = ("评价得分", "总分", "合计", "自评总分", "总计", "得分合计")


def looks_like(grid: Grid) -> bool:
    title = find_cell(
        grid, lambda t: "自评打分表" in t or "绩效评价打分表" in t, rows=range(min(grid.height, 6))
    )
    if title is not None:
        return True
    # Without the title: a table of 三级指标 and 得分 with its maxima in a 分值 column or inside the labels
    # ("相关性(5分)"), and no 指标值 (an indicator table has one).
    header = find_header(grid, SCORE_HEADERS, ("name", "score"))
    if header is None:
        return False
    # An indicator table names a target or an actual column, on the header's rows or the sub-header line below
    # (年度目标 | 实际完成 over 指标值 | 单位 | 完成值 | 单位).
    targets = find_cell(
        grid,
        lambda t: (
            "指标值" in t
            or "完成值" in t
            or "实际值" in t
            or column_of(t, INDICATOR_HEADERS) in ("target", "actual")
        ),
        rows=range(header.first_row, min(grid.height, header.row + 2)),
    )
    if targets is not None:
        return False
    return "max" in header.columns or _maxima_in_labels(grid, header)


def first_row(grid: Grid) -> int:
    """The first row of the scoring table's header (rows above it may hold other tables of the sheet)."""
    header = _header(grid)
    return header.first_row if header is not None else 0


def _maxima_in_labels(grid: Grid, header) -> bool:
    rows = range(header.row + 1, min(grid.height, header.row + 8))
    names = [labels(grid, r)[header.columns["name"]] for r in rows]
    return sum(1 for n in names if n and split_label(n)[1] is not None) >= 2


def read_scoring_sheet(grid: Grid) -> Extract:
    ex = Extract()
    header = _header(grid)
    if header is None:
        nested = _nested_header(grid)
        if nested is not None:
            return _read_nested(grid, ex, nested)
        ex.problem("missing-headers", grid.whole(), _missing_message(grid))
        return ex
    cols = header.columns
    items, deductions, places = [], [], []
    level1 = level2 = (None, None)
    for r in range(header.row + 1, grid.height):
        row = labels(grid, r)
        first = next((t for t in row if t), None)
        if first and any(first.startswith(t) for t in TOTAL_LABELS):
            total = number_at(ex, grid, r, _total_column(grid, r, cols), "评价得分")
            if total is not None:
                ex.set("scores.total", total, grid.where(r, _total_column(grid, r, cols)))
            continue
        level1 = _level(grid, r, row, cols, "level1", level1)
        level2 = _level(grid, r, row, cols, "level2", level2)
        name = clean_label(grid.value(r, cols["name"]))
        if not name:
            continue
        name, in_label = split_label(name)  # "相关性(5分)": the maximum written inside the label
        raw_max = clean_label(own(grid, r, cols["max"], cols)) if "max" in cols else in_label
        explanation = clean_text(own(grid, r, cols["explanation"], cols)) if "explanation" in cols else None
        if raw_max in (None, "-", "—", "/") or (level1[0] and "扣分" in level1[0]):
            deductions.append(_deduction(grid, ex, r, cols, level1, name, explanation))
            continue
        items.append(_item(grid, ex, r, cols, level1, level2, name, explanation, in_label))
        if explanation and _Q_FOR_OP.search(explanation):
            ex.problem(
                "doubtful-cell",
                grid.where(r, cols["explanation"]),
                f"“{name}”的说明中数字前的“Q”可能是 PDF 把“≤”印错了，请核对原件（已按原文保留）",
                "warning",
            )
        places.append(grid.where(r, cols["name"]))
    if items:
        ex.set_items("scores.items", items, places)
    if deductions:
        ex.set("scores.deductions", deductions, grid.where(header.row + 1, cols["name"]))
    return ex


def _header(grid: Grid):
    header = find_header(grid, SCORE_HEADERS, ("name", "max", "level1")) or find_header(
        grid, SCORE_HEADERS, ("name", "level1", "score")
    )
    if header is None:
        return None
    _place_maxima(grid, header)
    # 一级 | 得分 | 二级 | 得分 | 三级 | 分值 | … | 得分: the item's 得分 is the one right of the 三级指标 (the others
    # are the levels' subtotals, which the items add up to).
    right = max(header.columns["name"], header.columns.get("max", -1))
    scores = [
        c
        for c, t in enumerate(labels(grid, header.row))
        if t and c > right and header_key(t) in SCORE_HEADERS["score"]
    ]
    if scores:
        header.columns["score"] = scores[0]
    # 指标解释 / 自评得分 / 备注 often stand on the header's first line, merged down over both lines.
    for key in ("explanation", "score", "note"):
        if key not in header.columns:
            for r in (header.row - 1, header.row - 2):
                found = find_cell(
                    grid, lambda t, key=key: t in SCORE_HEADERS[key], rows=[r] if r >= 0 else []
                )
                if found:
                    header.columns[key] = found[1]
                    break
    return header if "score" in header.columns else None


def _place_maxima(grid: Grid, header) -> None:
    """Some sheets give each level its own 分值 column (一级 | 分值 | 二级 | 分值 | 三级 | 分值): the 三级 分值 is the
    one right of 三级指标, and the others hold the 一级 and 二级 maxima."""
    cols = header.columns
    row = labels(grid, header.row)
    spellings = SCORE_HEADERS["max"]
    candidates = [
        c
        for c, t in enumerate(row)
        if t and any(t.startswith(n) for n in spellings) and grid.anchor(header.row, c)[1] == c
    ]
    if len(candidates) < 2:
        return
    after_name = [c for c in candidates if c > cols["name"]]
    if after_name:
        cols["max"] = after_name[0]
    for key, left, right in (
        ("level1_max", cols["level1"], cols.get("level2", cols["name"])),
        ("level2_max", cols.get("level2", cols["name"]), cols["name"]),
    ):
        between = [c for c in candidates if left < c < right]
        if between:
            cols[key] = between[0]


def _missing_message(grid: Grid) -> str:
    seen = sorted(header_cells(grid, 12, 12))
    return (
        "找不到打分表的表头：应有“一级指标”“二级指标”“三级指标”“指标分值”“自评得分”；"
        f"前 12 行中找到的是：{'、'.join(seen[:20]) or '（空）'}"
    )


def _level(grid: Grid, r: int, row: list, cols: dict, key: str, previous: tuple) -> tuple:
    """(name, maximum) of a 一级/二级 label, filled down; the maximum from its own 分值 column if there is one."""
    c = cols.get(key)
    if c is None or not row[c]:
        return previous
    name, maximum = split_label(row[c])
    if maximum is None and f"{key}_max" in cols:
        maximum = parse_number(grid.value(r, cols[f"{key}_max"]))
    return name, maximum


def _total_column(grid: Grid, r: int, cols: dict) -> int:
    if grid.value(r, cols["score"]) is not None:
        return cols["score"]
    numbers = [c for c in range(grid.width) if isinstance(grid.value(r, c), (int, float))]
    return numbers[-1] if numbers else cols["score"]


def _item(grid, ex, r, cols, level1, level2, name, explanation, in_label=None) -> dict:
    maximum = number_at(ex, grid, r, cols["max"], "指标分值", cols) if "max" in cols else in_label
    score = number_at(ex, grid, r, cols["score"], "自评得分", cols)
    if score is None and own(grid, r, cols["score"], cols) is None:
        ex.problem("missing-score", grid.where(r, cols["score"]), f"“{name}”没有自评得分")
    if maximum is not None and score is not None and score > maximum + 1e-9:
        # Read as printed (the checks judge it, rule score-range): a publisher's slip is no reason to lose the file.
        ex.problem(
            "score-over-max",
            grid.where(r, cols["score"]),
            f"自评得分 {score} 超过分值 {maximum}（“{name}”）",
            "warning",
        )
    if score is not None and score < 0:
        ex.problem("score-negative", grid.where(r, cols["score"]), f"自评得分 {score} 不能为负数（“{name}”）")
    item = {
        "level1": level1[0],
        "level1_max": level1[1],
        "level2": level2[0] or level1[0],
        "level2_max": level2[1],
        "name": name,
        "max": maximum,
        "score": score,
        "explanation": explanation,
        "note": clean_text(own(grid, r, cols["note"], cols)) if "note" in cols else None,
    }
    return {k: v for k, v in item.items() if v is not None}


def _deduction(grid, ex, r, cols, level1, name, explanation) -> dict:
    points = number_at(ex, grid, r, cols["score"], "扣分", cols)
    item = {
        "level1": level1[0],
        "level1_max": level1[1],
        "name": name,
        "points": abs(points) if points is not None else None,
        "explanation": explanation,
    }
    return {k: v for k, v in item.items() if v is not None}


# The 2017-style 得分表 nests its levels in one column by their numbering: 一、部门决策 / （一）目标任务 / 1.相关性.
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*")
_ITEM = re.compile(r"^\d+\s*[.、．](?!\d)\s*")


def _nested_header(grid: Grid):
    """A header of one indicator column and 得分 (分值 in its own column or inside the labels), over rows nested
    by numbering (一、 （一） 1.) or only by indentation, which survives in no format but the cell's style: there
    the rows without a score are the levels' headings."""
    header = find_header(grid, SCORE_HEADERS, ("name", "score"))
    if header is None or "level1" in header.columns:
        return None
    names = [
        clean_label(grid.value(r, header.columns["name"])) or "" for r in range(header.row + 1, grid.height)
    ]
    numbered = any(_LEVEL1.match(n) for n in names) and any(_ITEM.match(n) for n in names)
    if "max" in header.columns:
        return header if numbered else None
    return header if numbered or _maxima_in_labels(grid, header) else None


def _read_nested(grid: Grid, ex: Extract, header) -> Extract:
    cols = header.columns
    items, places = [], []
    level1 = level2 = (None, None)
    under1 = 0.0  # points of the 二级 headings (or items) read so far under the open 一级 heading
    for r in range(header.row + 1, grid.height):
        label = clean_label(grid.value(r, cols["name"]))
        if not label:
            continue
        if any(label.startswith(t) for t in TOTAL_LABELS):
            total = number_at(ex, grid, r, cols["score"], "评价得分")
            if total is not None:
                ex.set("scores.total", total, grid.where(r, cols["score"]))
            continue
        name, in_label = split_label(label)  # "相关性（5分）"
        maximum = number_at(ex, grid, r, cols["max"], "指标分值", cols) if "max" in cols else in_label
        if _LEVEL1.match(label):
            level1, level2, under1 = (_LEVEL1.sub("", name), maximum), (None, None), 0.0
        elif _LEVEL2.match(label):
            level2 = (_LEVEL2.sub("", name), maximum)
            under1 += maximum or 0
        elif _ITEM.match(label) or own(grid, r, cols["score"], cols) is not None:
            explanation = (
                clean_text(own(grid, r, cols["explanation"], cols)) if "explanation" in cols else None
            )
            items.append(_item(grid, ex, r, cols, level1, level2, _ITEM.sub("", name), explanation, in_label))
            places.append(grid.where(r, cols["name"]))
            if level2 == (None, None):
                under1 += maximum or 0
        elif level1[0] is None or (level1[1] is not None and under1 >= level1[1] - 1e-9):
            # An unnumbered heading without a score: a new 一级 when none is open or the open one is full.
            level1, level2, under1 = (name, maximum), (None, None), 0.0
        else:
            level2 = (name, maximum)
            under1 += maximum or 0
    if items:
        ex.set_items("scores.items", items, places)
    return ex
