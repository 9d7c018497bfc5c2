"""The report's text against the tables: every figure stated in a standard sentence, compared with its field."""

from __future__ import annotations

import re

from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, rounds_to, same_amount, w

G = "报告与表格"
_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def resolve(data, path: str):
    """The value at a statement's field in the canonical dict; None when absent."""
    node = data
    for name, selector in _STEP.findall(path):
        if name:
            node = node.get(name) if isinstance(node, dict) else None
        elif isinstance(node, dict):
            node = node.get(selector)
        elif isinstance(node, list):
            node = next(
                (
                    it
                    for it in node
                    if isinstance(it, dict)
                    and (it.get("name") == selector or str(it.get("month")) == selector)
                ),
                None,
            )
        if node is None:
            return None
    return node


def _score_statements(stated):
    """Score statements grouped per item, in the report's order: [(name, {max, score}, quote)]."""
    items: dict[str, dict] = {}
    for s in stated:
        match = re.match(r"scores\.items\[(.+)\]\.(max|score)$", s.field)
        if match:
            entry = items.setdefault(match.group(1), {"quote": s.quote})
            entry[match.group(2)] = s.value
    return list(items.items())


@rule(
    "report-vs-table",
    "报告所述与表格不符",
    "warning",
    "自评报告正文写明的数字，应与自评表、打分表中的同一数字一致。",
    G,
)
def report_vs_table(ctx: Context):
    ev = ctx.evaluation
    if ev.report is None or not ev.report.stated:
        return
    data = ev.model_dump(mode="json")
    for s in ev.report.stated:
        if s.field.startswith(("scores.items", "check.")):
            continue
        value = resolve(data, s.field)
        if value is None or not isinstance(value, (int, float)):
            continue
        if s.field.endswith(("rate", "share")):
            agrees = rounds_to(s.value, value)
        else:
            agrees = same_amount(value, s.value)
        if not agrees:
            yield s.field, f"报告写“{s.quote}”（{w(s.value)}），表中为 {w(value)}"
    if ev.scores is None:
        return
    sheet = ev.scores.items
    for position, (name, stated) in enumerate(_score_statements(ev.report.stated)):
        item = next((i for i in sheet if i.name == name), None)
        if item is None and position < len(sheet):
            item = sheet[position]  # the report often names an item differently; the order is the same
        if item is None:
            continue
        for key, label in (("max", "分值"), ("score", "自评得分")):
            if key in stated and abs(getattr(item, key) - stated[key]) > 1e-9:
                yield (
                    f"scores.items[{sheet.index(item) + 1}].{key}",
                    (
                        f"报告写“{stated['quote']}”（{label} {w(stated[key])}），打分表“{item.name}”为 {w(getattr(item, key))}"
                    ),
                )


@rule(
    "report-item-name",
    "报告与打分表的项目名称不同",
    "info",
    "报告里逐项说明打分时用的名称，与打分表中的三级指标名称不同（按顺序对应）。",
    G,
)
def report_item_name(ctx: Context):
    ev = ctx.evaluation
    if ev.report is None or ev.scores is None:
        return
    sheet = ev.scores.items
    names = {i.name for i in sheet}
    for position, (name, _) in enumerate(_score_statements(ev.report.stated)):
        if name not in names and position < len(sheet):
            yield (
                f"scores.items[{position + 1}]",
                f"报告称“{name}”，打分表第 {position + 1} 项为“{sheet[position].name}”",
            )


@rule("report-total", "报告所述总分与打分表不符", "warning", "报告写明的自评总分应等于打分表的评价得分。", G)
def report_total(ctx: Context):
    ev = ctx.evaluation
    if ev.report is None or ev.scores is None:
        return
    for s in ev.report.stated:
        if s.field == "scores.total" and abs(s.value - ev.scores.total) > 1e-9:
            yield (
                "scores.total",
                f"报告写“{s.quote}”（{w(s.value)} 分），打分表评价得分为 {w(ev.scores.total)} 分",
            )


@rule(
    "deviation-full-marks",
    "偏离度说明与满分矛盾",
    "warning",
    "报告说完成的数量指标中偏离度在 30% 以内的占比很低，却给“目标偏离”打了满分。",
    G,
)
def deviation_full_marks(ctx: Context):
    ev = ctx.evaluation
    if ev.report is None or ev.scores is None:
        return
    share = next((s for s in ev.report.stated if s.field == "check.deviation_within_30_share"), None)
    item = next((i for i in ev.scores.items if "偏离" in i.name), None)
    if share is None or item is None:
        return
    if share.value < 100 and item.score >= item.max:
        yield (
            f"scores.items[{ev.scores.items.index(item) + 1}]",
            (
                f"报告写“{share.quote}”（偏离度在 30% 以内的指标占比 {w(share.value)}%），"
                f"“{item.name}”却自评满分 {w(item.score)} 分"
            ),
        )
