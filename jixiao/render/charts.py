"""Chart builders: evaluation in, plain Plotly figure dicts out (plus the table that stands in for each chart).

Every chart carries its numbers as text on the marks and a table alternative, so colour is never the only
carrier of meaning and the page reads the same with JavaScript off.
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.metrics import TOLERANCE
from jixiao.model import Evaluation
from jixiao.model_funds import Amount
from jixiao.render.chart_kit import (
    BLUE,
    FONT_SIZE,
    GREY,
    LIGHT,
    ORANGE,
    Chart,
    bar_text,
    figure_layout,
    hbar,
    two_series_bars,
    wrap_label,
)
from jixiao.render.fmt import money, num, pct
from jixiao.render.score_chart import score_chart

_STATED_PERCENT = re.compile(r"[-−]?[0-9０-９][0-9０-９,，.．]*\s*[%％]")


def as_stated(ev: Evaluation, field: str, value: float | None) -> str:
    """A percentage the way the report wrote it ("67%", not "67.0%"): the figure is quoted from the report's
    sentence when a statement of ``field`` holds it, else shown as stored, without added decimals."""
    if value is None:
        return "—"
    for statement in ev.report.stated if ev.report else []:
        if statement.field != field or abs(statement.value - value) > 1e-9:
            continue
        for literal in _STATED_PERCENT.findall(statement.quote):
            digits = unicodedata.normalize("NFKC", literal).rstrip("%").replace(",", "").strip()
            try:
                if abs(float(digits.replace("−", "-")) - value) < 1e-9:
                    return unicodedata.normalize("NFKC", literal).replace(" ", "")
            except ValueError:
                continue
    return f"{num(value)}%"


def build_charts(ev: Evaluation) -> list[Chart]:
    """All charts of a unit page, in page order; charts whose data the evaluation lacks are left out."""
    builders = (
        budget_chart,
        sources_chart,
        nature_chart,
        economic_chart,
        progress_chart,
        three_public_chart,
        general_expenditure_chart,
        score_chart,
    )
    return [chart for build in builders if (chart := build(ev)) is not None]


def _hbar(ev: Evaluation, chart_id: str, title: str, key: str, what: str) -> Chart | None:
    parts: list[Amount] = getattr(ev.funds, key)
    total = sum(p.amount for p in parts) or None
    if not parts:
        return None
    names = [wrap_label(p.name) for p in parts]
    values = [p.amount for p in parts]
    labels = [money(p.amount) + (f" · {pct(p.amount / total * 100)}" if total else "") for p in parts]
    axis_max = max(values) * 1.05 or 1
    figure = {
        "data": [
            hbar(
                names,
                values,
                labels,
                bar_text(values, axis_max),
                {"color": BLUE},
                hovertemplate="%{y}：%{x:,.2f} 万元<extra></extra>",
            )
        ],
        "layout": figure_layout(
            70 + 44 * len(parts),
            yaxis={"autorange": "reversed"},
            xaxis={"title": {"text": "万元"}, "range": [0, axis_max]},
        ),
    }
    largest = max(parts, key=lambda p: p.amount)
    summary = f"{what}共 {len(parts)} 项，最大的是{largest.name} {money(largest.amount)} 万元。"
    headers = ["项目", "金额（万元）", "占比（按金额计算）"]
    rows = [[p.name, money(p.amount), pct(p.amount / total * 100, 2) if total else "—"] for p in parts]
    if any(p.share is not None for p in parts):
        headers.append("占比（原文所述）")
        for row, p in zip(rows, parts, strict=True):
            row.append(as_stated(ev, f"funds.{key}[{p.name}].share", p.share))
    return Chart(chart_id, title, summary, figure, headers, rows)


def budget_chart(ev: Evaluation) -> Chart | None:
    funds = ev.funds
    if funds.initial_budget is None or funds.adjustment is None:
        return None
    # The last bar is the adjusted budget as stated, not initial + adjustment: when the two differ (the
    # budget-adjustment check says so) the bar must still match its label.
    steps = [
        ("年初预算", funds.initial_budget, "absolute"),
        ("中期调整", funds.adjustment, "relative"),
        ("调整后预算", funds.final_budget, "absolute"),
    ]
    figure = {
        "data": [
            {
                "type": "waterfall",
                "x": [s[0] for s in steps],
                "y": [s[1] for s in steps],
                "measure": [s[2] for s in steps],
                "text": [("+" if s[2] == "relative" and s[1] >= 0 else "") + money(s[1]) for s in steps],
                "textposition": "outside",
                "textfont": {"size": FONT_SIZE},
                "cliponaxis": False,
                "connector": {"line": {"color": GREY, "dash": "dot"}},
                "increasing": {"marker": {"color": ORANGE}},
                "decreasing": {"marker": {"color": GREY}},
                "totals": {"marker": {"color": BLUE}},
                "hovertemplate": "%{x}：%{text} 万元<extra></extra>",
            }
        ],
        "layout": figure_layout(
            300, yaxis={"title": {"text": "万元"}, "rangemode": "tozero"}, margin={"t": 28}
        ),
    }
    sign = "增加" if funds.adjustment >= 0 else "减少"
    summary = (
        f"年初预算 {money(funds.initial_budget)} 万元，年中调整{sign} {money(abs(funds.adjustment))} 万元，"
        f"调整后预算 {money(funds.final_budget)} 万元。"
    )
    gap = funds.final_budget - funds.initial_budget - funds.adjustment
    if abs(gap) > TOLERANCE:
        summary += (
            f"年初预算加调整为 {money(funds.initial_budget + funds.adjustment)} 万元，"
            f"与所述调整后预算相差 {money(abs(gap))} 万元。"
        )
    rows = [[s[0], money(s[1])] for s in steps]
    return Chart("budget", "预算调整：年初预算 → 调整后预算", summary, figure, ["项目", "金额（万元）"], rows)


def sources_chart(ev: Evaluation) -> Chart | None:
    return _hbar(ev, "sources", "收入来源", "by_source", "收入来源")


def nature_chart(ev: Evaluation) -> Chart | None:
    return _hbar(ev, "nature", "支出结构：基本支出与项目支出", "by_nature", "支出按性质分")


def economic_chart(ev: Evaluation) -> Chart | None:
    return _hbar(ev, "economic", "支出结构：人员经费、公用经费与项目支出", "by_economic", "支出按经济分类分")


def progress_chart(ev: Evaluation) -> Chart | None:
    funds = ev.funds
    if not funds.execution_progress or not funds.final_budget:
        return None
    points = sorted(funds.execution_progress, key=lambda p: p.month)
    labels = [f"1—{p.month}月" for p in points]
    rates = [round(p.amount / funds.final_budget * 100, 2) for p in points]
    time_share = [round(p.month / 12 * 100, 1) for p in points]
    figure = {
        "data": [
            {
                "type": "bar",
                "name": "累计执行率",
                "x": labels,
                "y": rates,
                "text": [pct(r) for r in rates],
                **bar_text(rates, 115),
                "insidetextanchor": "middle",
                "marker": {"color": BLUE},
                "hovertemplate": "%{x} 累计执行 %{y:.1f}%<extra></extra>",
            },
            {
                "type": "scatter",
                "name": "时间进度",
                "mode": "lines+markers",
                "x": labels,
                "y": time_share,
                "line": {"color": ORANGE, "dash": "dash", "width": 2},
                "marker": {"symbol": "diamond", "size": 10, "color": ORANGE},
                "hovertemplate": "%{x} 时间进度 %{y:.1f}%<extra></extra>",
            },
        ],
        "layout": figure_layout(
            320,
            showlegend=True,
            yaxis={"title": {"text": "占调整后预算 %"}, "range": [0, 115], "ticksuffix": "%"},
            margin={"t": 28},
        ),
    }
    first = points[0]
    summary = (
        f"1—{first.month}月累计支出 {money(first.amount)} 万元，占调整后预算 {pct(rates[0])}；"
        f"时间进度为 {pct(time_share[0])}。"
    )
    rows = [
        [
            label,
            money(p.amount),
            pct(r),
            as_stated(ev, f"funds.execution_progress[{p.month}].rate", p.rate),
            pct(t),
        ]
        for label, p, r, t in zip(labels, points, rates, time_share, strict=True)
    ]
    headers = ["期间", "累计支出（万元）", "执行率（按金额计算）", "执行率（原文所述）", "时间进度"]
    return Chart("progress", "支出执行进度（累计）", summary, figure, headers, rows)


def _pair_bars(chart_id, title, labels, values, colors, summary, headers) -> Chart:
    axis_max = max(values) * 1.05 or 1
    figure = {
        "data": [
            hbar(
                labels,
                values,
                [money(v) for v in values],
                bar_text(values, axis_max),
                {"color": colors, "line": {"color": BLUE, "width": 1.5}},
                hovertemplate="%{y}：%{x:,.2f} 万元<extra></extra>",
            )
        ],
        "layout": figure_layout(
            70 + 48 * len(values),
            yaxis={"autorange": "reversed"},
            xaxis={"title": {"text": "万元"}, "range": [0, axis_max]},
        ),
    }
    # The light bar's label is dark wherever it sits.
    figure["data"][0]["insidetextfont"]["color"] = ["#1a1a1a" if c == LIGHT else "#ffffff" for c in colors]
    rows = [[label, money(v)] for label, v in zip(labels, values, strict=True)]
    return Chart(chart_id, title, summary, figure, headers, rows)


def three_public_chart(ev: Evaluation) -> Chart | None:
    tp = ev.funds.three_public
    if tp is None or tp.budget is None or tp.actual is None:
        return None
    verdict = "控制在预算内" if tp.actual <= tp.budget else "超出预算"
    summary = f"“三公”经费预算 {money(tp.budget)} 万元，实际支出 {money(tp.actual)} 万元，{verdict}。"
    return _pair_bars(
        "three-public",
        "“三公”经费：预算与实际",
        ["预算", "实际支出"],
        [tp.budget, tp.actual],
        [LIGHT, BLUE],
        summary,
        ["项目", "金额（万元）"],
    )


def general_expenditure_chart(ev: Evaluation) -> Chart | None:
    ge = ev.funds.general_expenditure
    if ge is None or None in (ge.budget, ge.budget_prev, ge.actual, ge.actual_prev):
        return None
    # The years the report states; a report that does not say which years gets 上年/本年, never assumed years.
    years = [
        f"{ge.year_prev}年" if ge.year_prev else "上年",
        f"{ge.year}年" if ge.year else "本年",
    ]
    figure = two_series_bars(
        years, ("预算", [ge.budget_prev, ge.budget]), ("决算", [ge.actual_prev, ge.actual]), labelled=True
    )
    budget_change = (ge.budget - ge.budget_prev) / ge.budget_prev * 100 if ge.budget_prev else None
    actual_change = (ge.actual - ge.actual_prev) / ge.actual_prev * 100 if ge.actual_prev else None
    summary = (
        f"一般性支出预算由 {money(ge.budget_prev)} 万元变为 {money(ge.budget)} 万元（{_signed(budget_change)}），"
        f"决算由 {money(ge.actual_prev)} 万元变为 {money(ge.actual)} 万元（{_signed(actual_change)}）。"
    )
    rows = [
        [years[0], money(ge.budget_prev), money(ge.actual_prev)],
        [years[1], money(ge.budget), money(ge.actual)],
        ["变化（按金额计算）", _signed(budget_change), _signed(actual_change)],
    ]
    return Chart(
        "general-expenditure",
        "一般性支出：两年对比",
        summary,
        figure,
        ["年度", "预算（万元）", "决算（万元）"],
        rows,
    )


def _signed(change: float | None) -> str:
    return "—" if change is None else f"{change:+.1f}%"
