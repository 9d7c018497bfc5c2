"""Table headers recognised by meaning: one synonym table per canonical column, in any order, over one or two rows.

Real forms name the same column many ways (年度指标值 / 指标值 / 目标值 / 预期指标值 / 计划值 …), add columns the
model has no use for (序号, 得分系数, 评分标准) and write header cells with notes in brackets ("年度指标值(A)",
"项目资金（万元）", "分值(10分)") or in traditional characters (實際完成值). A header cell is reduced to its key
(simplified, no whitespace, no bracketed notes, no trailing colon) and compared with the spellings below; the
columns a table is known to carry without the model using them are recorded as ignored, so ``--explain`` can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.forms.addresses import column_letter
from jixiao.forms.cell_text import simplified
from jixiao.forms.cells import parse_number

# Canonical column -> spellings, most specific first. A spelling matches a header key that equals it or starts
# with it ("实际完成值（B）" → 实际完成值); ``EXACT`` columns match whole keys only (单位 must not match 实施单位).
INDICATOR_HEADERS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "绩效指标名称", "指标名称", "三级指标名称", "指标内容"),
    "op": ("绩效指标性质", "指标性质", "指标方向", "计算符号", "运算符号", "符号", "性质"),
    "target": (
        "年度指标值",
        "绩效指标值",
        "预期指标值",
        "年度目标值",
        "年初指标值",
        "预期目标值",
        "指标目标值",
        "目标值",
        "计划值",
        "预期值",
        "指标值",
    ),
    "unit": ("绩效度量单位", "度量单位", "计量单位", "指标单位", "单位"),
    "weight": ("权重", "指标分值", "标准分值", "标准分", "分值", "满分", "指标权重"),
    "actual": (
        "实际完成指标值",
        "实际完成值",
        "全年实际值",
        "年度实际值",
        "全年完成值",
        "实际达成值",
        "实际完成情况",
        "实际值",
        "完成值",
        "实际完成",
        "完成情况",
    ),
    "score": ("自评得分", "实际得分", "评价得分", "得分", "自评分", "评分"),
    "note": (
        "偏差原因分析及改进措施",
        "未完成原因及拟采取的改进措施",
        "未完成原因分析",
        "未完成原因",
        "偏差原因",
        "原因分析",
        "备注",
    ),
    "core": ("是否核心指标", "核心指标"),
}
# Columns a table may carry that the model does not keep: recognised so they are ignored knowingly.
KNOWN_EXTRA = (
    "序号",
    "得分系数",
    "得分计算方法",
    "计算方法",
    "评分标准",
    "评分办法",
    "指标解释",
    "指标说明",
    "评价标准",
    "指标说明及评分标准",
    "指标来源",
    "数据来源",
    "佐证材料",
)
EXACT = {"unit", "op"}
_NOTE_IN_BRACKETS = re.compile(r"[（(][^（()）]*[)）]?|[:：]$")
_NUMBERING = re.compile(r"^(?:\d+[.、．]|[（(]\d+[)）]|[一二三四五六七八九十]+、)")


@lru_cache(maxsize=16384)
def header_key(label: str | None) -> str:
    """ "年度指标值(A)" → 年度指标值; "實際完成值" → 实际完成值; "项目资金（万元）" → 项目资金."""
    if not label:
        return ""
    key = simplified(re.sub(r"\s+", "", str(label)))
    key = _NOTE_IN_BRACKETS.sub("", key)
    return _NUMBERING.sub("", key).rstrip(":：")


def column_of(label: str | None, spec: dict[str, tuple[str, ...]]) -> str | None:
    """The canonical column a header cell names, or None (remembered per spelling: readers ask for every cell)."""
    _, memo = _MEMO.setdefault(id(spec), (spec, {}))  # the spec is kept, so its id is never reused
    if label not in memo:
        memo[label] = _column_of(label, spec)
    return memo[label]


_MEMO: dict[int, tuple[dict, dict]] = {}


def _column_of(label: str | None, spec: dict[str, tuple[str, ...]]) -> str | None:
    key = header_key(label)
    if not key:
        return None
    for column, names in spec.items():
        if key in names:
            return column
    if is_known_extra(label):
        return None  # "评分标准" is not 评分, "得分计算方法" not 得分
    for column, names in spec.items():
        if column in EXACT:
            if key in names:
                return column
        elif any(key == name or key.startswith(name) for name in names):
            return column
    return None


@lru_cache(maxsize=16384)
def is_known_extra(label: str | None) -> bool:
    key = header_key(label)
    return bool(key) and any(key == name or key.startswith(name) for name in KNOWN_EXTRA)


@dataclass
class Header:
    """A table header: its rows, its last row, the column of each canonical field, and what was left aside."""

    row: int
    columns: dict[str, int]
    first_row: int = -1
    ignored: dict[int, str] = field(default_factory=dict)  # column -> header text, known but unused
    unknown: dict[int, str] = field(default_factory=dict)  # column -> header text, not understood

    def __post_init__(self):
        if self.first_row < 0:
            self.first_row = self.row


def find_header(
    grid, spec, required: tuple[str, ...], start: int = 0, end: int | None = None
) -> Header | None:
    """The first row in [start, end) (with the row below, for two-row headers) naming every ``required`` column."""
    end = grid.height if end is None else min(end, grid.height)
    for r in range(start, end):
        row_labels = grid.label_row(r)
        if not any(column_of(label, spec) == required[0] for label in row_labels if label):
            continue
        rows = [r]
        # A two-row header: 年度指标值 over 指标性质 / 指标值 / 度量单位. Sub-headers win over the line above.
        if r + 1 < grid.height and _is_subheader(grid, r + 1, spec):
            rows.append(r + 1)
        header = map_columns(grid, rows, spec)
        if all(key in header.columns for key in required):
            return header
    return None


def _is_subheader(grid, r: int, spec) -> bool:
    """Whether row ``r`` is the lower line of a header: its own cells (not those merged down from the line above)
    all name known columns, and none is a number."""
    texts = [label for c, label in enumerate(grid.label_row(r)) if label and grid.anchor(r, c)[0] == r]
    known = [t for t in texts if column_of(t, spec) or is_known_extra(t)]
    return (
        bool(known) and len(known) == len(set(texts)) and not any(parse_number(t) is not None for t in texts)
    )


def map_columns(grid, rows: list[int], spec) -> Header:
    """Each canonical column at the first header cell (lower row first) that names it; the rest recorded."""
    columns: dict[str, int] = {}
    ignored: dict[int, str] = {}
    unknown: dict[int, str] = {}
    for r in reversed(rows):  # the lower (more specific) header row first
        for c, label in enumerate(grid.label_row(r)):
            if not label or c in columns.values() or c in ignored:
                continue
            if grid.anchor(r, c)[1] != c:
                continue  # the rest of a merged header cell
            column = column_of(label, spec)
            if column and column not in columns:
                columns[column] = c
            elif column or is_known_extra(label):
                ignored[c] = label
            elif len(rows) == 1 or r == rows[-1]:
                unknown.setdefault(c, label)
    for c in list(unknown):
        if c in columns.values() or c in ignored:
            del unknown[c]
    return Header(rows[-1], columns, rows[0], ignored, unknown)


def describe(header: Header, spec_titles: dict[str, str]) -> list[str]:
    """The column mapping in words, for ``--explain``: "C 年度指标值 → 指标值（target）"."""
    mapped = sorted(header.columns.items(), key=lambda kv: kv[1])
    out = [f"{column_letter(c)} → {spec_titles.get(k, k)}（{k}）" for k, c in mapped]
    out += [f"{column_letter(c)} “{t}” → 已知列，不读取" for c, t in sorted(header.ignored.items())]
    out += [f"{column_letter(c)} “{t}” → 不认识，未读取" for c, t in sorted(header.unknown.items())]
    return out
