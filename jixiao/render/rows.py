"""The rows of the unit page's long tables (indicators, scores, every chart's numbers), written here rather than in
the templates: the same HTML, escaped the same way, at a fraction of the cost.

A unit page outputs about 900 values; these rows are two thirds of them. In a template each value costs a Markup
object and an attribute lookup through Jinja (a third of a unit's files' CPU, 20,000 times in a province); here a
row is one f-string, and ``text`` escapes as the templates' autoescape does (markupsafe: & < > ' ").
"""

from __future__ import annotations

import re
from numbers import Number

from markupsafe import Markup, escape

from jixiao.numbers import measure, num

_SPECIAL = re.compile("[&<>'\"]")


def text(value: object) -> str:
    """``{{ value }}`` as an autoescaping template writes it."""
    kind = type(value)
    if kind is int or kind is float:
        return str(value)  # digits, a point, a sign, an exponent, inf or nan: nothing to escape
    if kind is not str:
        return str(escape(value))
    if _SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _sort_value(value: object, shown: bool) -> str:
    return f' data-sort-value="{text(value)}"' if shown else ""


def _is_number(value: object) -> bool:
    """Jinja's ``is number`` test, the usual types first (an abstract-class check costs a microsecond)."""
    return type(value) in (int, float) or isinstance(value, Number)


def indicator_row(ind, status: str, position: int | None, status_class: dict, status_mark: dict) -> Markup:
    """One indicator's row, the same on the unit's table and on a project's; data-label names each cell when a
    phone shows the row as a card. ``position`` is the 序号 (the unit's table); None means a project's row."""
    op = ind.op if ind.op else ""
    target = _sort_value(ind.target, _is_number(ind.target))
    actual = _sort_value(ind.actual, _is_number(ind.actual))
    weight = _sort_value(ind.weight, ind.weight is not None)
    if position:
        score = ""
        last = f'<td class="jx-minor" data-label="序号" data-pagefind-ignore data-sort-value="{position}">{position}</td>'
    else:
        score = (
            f'<td data-label="得分" data-pagefind-ignore{_sort_value(ind.score, ind.score is not None)}>'
            f"{text(num(ind.score))}</td>"
        )
        last = f'<td class="jx-long" data-label="偏差原因">{text(ind.note or "")}</td>'
    return Markup(
        f'<tr><th scope="row">{"★ " if ind.core else ""}{text(ind.name)}</th>'
        f'<td data-label="状态" data-pagefind-ignore data-filter-value="{text(status)}">'
        f'<span class="jx-status {text(status_class[status])}">{text(status_mark[status])} {text(status)}</span></td>'
        f'<td data-label="指标值" data-pagefind-ignore{target}>{text(measure(ind.target, ind.unit, op))}</td>'
        f'<td data-label="实际完成值" data-pagefind-ignore{actual}>{text(measure(ind.actual, ind.unit))}</td>'
        f'<td data-label="{"权重" if position else "分值"}" data-pagefind-ignore{weight}>{text(num(ind.weight))}</td>'
        f"{score}"
        f'<td data-label="一级指标" data-pagefind-ignore>{text(ind.level1 or "")}</td>'
        f'<td data-label="二级指标" data-pagefind-ignore>{text(ind.level2 or "")}</td>'
        f"{last}</tr>"
    )


def score_row(item) -> Markup:
    """One item of the scoring table; a deducted one is marked in words and by its class, never by colour alone."""
    deducted = round(item.max - item.score, 4)
    if deducted > 0:
        row, na, cell = (
            ' class="jx-lost"',
            "",
            f'<span class="jx-status jx-not-met">▼ 扣 {text(num(deducted))} 分</span>',
        )
    else:
        row, na, cell = "", ' class="jx-na"', "—"
    return Markup(
        f'<tr{row}><th scope="row">{text(item.name)}</th>'
        f'<td data-label="分值" data-pagefind-ignore data-sort-value="{text(item.max)}">{text(num(item.max))}</td>'
        f'<td data-label="自评得分" data-pagefind-ignore data-sort-value="{text(item.score)}">'
        f"{text(num(item.score))}</td>"
        f'<td data-label="扣分" data-pagefind-ignore data-sort-value="{text(deducted)}"'
        f"{na}>{cell}</td>"
        f'<td data-label="二级指标" data-pagefind-ignore>{text(item.level2)}</td>'
        f'<td data-label="一级指标" data-pagefind-ignore>{text(item.level1)}</td>'
        f'<td class="jx-long" data-label="指标解释">{text(item.explanation or "")}</td></tr>'
    )


def chart_row(cells: list) -> Markup:
    """A row of a chart's table: its first cell heads the row."""
    if not cells:
        return Markup("<tr></tr>")
    rest = "".join([f"<td>{text(cell)}</td>" for cell in cells[1:]])
    return Markup(f'<tr><th scope="row">{text(cells[0])}</th>{rest}</tr>')
