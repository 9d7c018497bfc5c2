"""The report's text against the tables: every figure stated in a standard sentence, compared with its field."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from jixiao import fieldpath
from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context, rounds_to, same_amount, w

G = "报告与表格"
_SCORE_FIELD = re.compile(r"scores\.items\[(.+)\]\.(max|score)$")
_NOISE = re.compile(r"[\s\W_“”\"'（）()、，,。.:：；;]+|的|情况|指标")


def _score_statements(stated):
    """Score statements grouped per item, in the report's order: [(name, {max, score, quote})]."""
    items: dict[str, dict] = {}
    for s in stated:
        match = _SCORE_FIELD.match(s.field)
        if match:
            entry = items.setdefault(match.group(1), {"quote": s.quote})
            entry[match.group(2)] = s.value
    return list(items.items())


def normalised(name: str) -> str:
    """A name without spacing, punctuation and filler words: 严控一般性支出情况 = 严控“一般性支出”."""
    return _NOISE.sub("", name)


def _likeness(a: str, b: str) -> float:
    na, nb = normalised(a), normalised(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if na in nb or nb in na:
        return 0.9
    return SequenceMatcher(None, na, nb).ratio()


def match_items(names: list[str], sheet_names: list[str], threshold: float = 0.6) -> dict[str, int | None]:
    """Each name the report uses -> the 0-based index of the scoring-sheet item it speaks of, by name only.

    Pairs are taken best first, one report name per sheet item; a name whose best likeness is below
    ``threshold`` matches nothing. A missing item never shifts the others: position is only a tie-breaker.
    """
    pairs = sorted(
        (
            (-_likeness(name, sheet), abs(i - j), i, j)
            for i, name in enumerate(names)
            for j, sheet in enumerate(sheet_names)
        ),
    )
    matched: dict[str, int | None] = dict.fromkeys(names)
    used_names, used_items = set(), set()
    for negative, _, i, j in pairs:
        if -negative < threshold:
            break
        if i in used_names or j in used_items:
            continue
        used_names.add(i)
        used_items.add(j)
        matched[names[i]] = j
    return matched


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
        value = fieldpath.get(data, s.field)
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
    statements = _score_statements(ev.report.stated)
    matched = match_items([name for name, _ in statements], [i.name for i in sheet])
    for name, stated in statements:
        if matched[name] is None:
            continue
        item = sheet[matched[name]]
        for key, label in (("max", "分值"), ("score", "自评得分")):
            if key in stated and abs(getattr(item, key) - stated[key]) > 1e-9:
                yield (
                    fieldpath.join("scores.items", matched[name] + 1, key),
                    (
                        f"报告写“{stated['quote']}”（{label} {w(stated[key])}），打分表“{item.name}”为 {w(getattr(item, key))}"
                    ),
                )


@rule(
    "report-item-name",
    "报告与打分表的项目名称不同",
    "info",
    "报告里逐项说明打分时用的名称，与打分表中的三级指标名称不同（按名称相近程度对应，不按顺序）。",
    G,
)
def report_item_name(ctx: Context):
    ev = ctx.evaluation
    if ev.report is None or ev.scores is None:
        return
    sheet = ev.scores.items
    names = [name for name, _ in _score_statements(ev.report.stated)]
    for name, index in match_items(names, [i.name for i in sheet]).items():
        if index is None:
            yield "scores.items", f"报告称“{name}”，打分表中没有名称相近的三级指标"
        elif normalised(name) != normalised(sheet[index].name):
            yield (
                fieldpath.join("scores.items", index + 1),
                f"报告称“{name}”，打分表第 {index + 1} 项为“{sheet[index].name}”",
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
            fieldpath.join("scores.items", ev.scores.items.index(item) + 1),
            (
                f"报告写“{share.quote}”（偏离度在 30% 以内的指标占比 {w(share.value)}%），"
                f"“{item.name}”却自评满分 {w(item.score)} 分"
            ),
        )
