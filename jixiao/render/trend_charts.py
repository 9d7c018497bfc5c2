"""A unit across years: its money (调整后预算 and 决算支出) and the rates that say how it went (自评得分, 预算执行率,
指标达成率), each with the table that says the same in text."""

from __future__ import annotations

import math

from jixiao.render.chart_kit import BLUE, GREY, ORANGE, Chart, figure_layout, two_series_bars
from jixiao.render.fmt import money, num, pct


def _floor_ten(values: list[float]) -> float:
    """The axis floor below the smallest value: a multiple of 10, at least 0."""
    return max(0.0, math.floor((min(values, default=0) - 5) / 10) * 10)


def trend_charts(history) -> list[Chart]:
    """A unit across years (oldest first): money, and the rates that say how it went."""
    if len(history) < 2:
        return []
    years = [f"{h.year}年" for h in history]
    money_fig = two_series_bars(
        years,
        ("调整后预算", [h.budget for h in history]),
        ("决算支出", [h.expenditure or 0 for h in history]),
    )
    series = [
        ("自评得分（分）", [h.score for h in history], "circle"),
        (
            "预算执行率（%）",
            [round(h.execution, 1) if h.execution is not None else None for h in history],
            "diamond",
        ),
        (
            "指标达成率（%）",
            [round(h.met_share, 1) if h.met_share is not None else None for h in history],
            "square",
        ),
    ]
    values_seen = [v for _, values, _ in series for v in values if v is not None]
    rates_fig = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": years,
                "y": values,
                "marker": {"symbol": symbol, "size": 10, "color": color},
                "line": {"color": color, "dash": dash},
                "cliponaxis": False,
            }
            for (name, values, symbol), color, dash in zip(
                series, (BLUE, ORANGE, GREY), ("solid", "dash", "dot"), strict=True
            )
        ],
        "layout": figure_layout(
            320,
            showlegend=True,
            # Fitted to the data: scores and rates of 85–100 use the height of the chart, not its top fifth.
            yaxis={"range": [_floor_ten(values_seen), 103]},
            margin={"t": 16},
        ),
    }
    first, last = history[0], history[-1]
    money_summary = f"调整后预算由 {first.year} 年的 {money(first.budget)} 万元变为 {last.year} 年的 {money(last.budget)} 万元。"
    rows = [
        [
            f"{h.year}年",
            money(h.budget),
            money(h.expenditure),
            num(h.score) if h.score is not None else "—",
            pct(h.execution),
            pct(h.met_share),
        ]
        for h in history
    ]
    headers = ["年度", "调整后预算（万元）", "决算支出（万元）", "自评得分", "预算执行率", "指标达成率"]
    rates_summary = "、".join(
        f"{h.year} 年 {num(h.score) if h.score is not None else '—'} 分" for h in history
    )
    return [
        Chart("trend-money", "历年预算与支出", money_summary, money_fig, headers[:3], [r[:3] for r in rows]),
        Chart(
            "trend-rates",
            "历年得分、执行率与指标达成率",
            f"自评得分：{rates_summary}。",
            rates_fig,
            [headers[0], *headers[3:]],
            [[r[0], *r[3:]] for r in rows],
        ),
    ]
