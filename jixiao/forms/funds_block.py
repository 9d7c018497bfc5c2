"""A form's funds block (项目资金 / 年度资金总额), found by its headers in the national wording (年初预算数 / 全年预算数 /
全年执行数 / 分值 / 执行率 / 得分), Sichuan's (年初预算 / 调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分) or the
衔接资金 form's (全年预算数(A) / 全年执行数(B) / 执行率(B/A)): the project form and the national 部门整体 form share it.

A 年度资金总额 row left at zeros while the figures stand on its 其中：本年财政拨款 row is read from that row, and the
reader says so.
"""

from __future__ import annotations

from jixiao.forms.cell_text import clean_label
from jixiao.forms.cells import parse_measure, parse_number
from jixiao.forms.headers import header_key
from jixiao.forms.money_units import money_unit_in
from jixiao.forms.tables import Extract, labels, money_unit_above, number_at, own_labels
from jixiao.forms.workbook import Grid

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


def key_of(value) -> str:
    return header_key(value).replace("：", "").replace(":", "")


def read_funds(grid: Grid, ex: Extract, rows: range, places: dict | None = None) -> dict:
    """The block's figures by canonical key; ``places`` (when given) gets the cell each one was read from."""
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
    total_row = next((r for r in candidates if row_key(grid, r) in TOTAL_ROW), header_row + 1)
    fiscal_row = next((r for r in candidates if row_key(grid, r) in FISCAL_ROW), None)
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
        if places is not None:
            places[key] = grid.where(source if key in amounts else total_row, c)
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


def row_key(grid: Grid, r: int) -> str:
    """The row's own first label (not one merged down from a row above, such as 项目资金（万元）)."""
    first = next((t for _, t in own_labels(grid, r) if parse_number(t) is None), None)
    return key_of(first) if first else ""


def _all_zero(grid: Grid, r: int, cols: list[int]) -> bool:
    values = [parse_number(grid.value(r, c)) for c in cols]
    return all(v in (None, 0) for v in values)
