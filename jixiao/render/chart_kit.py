"""The parts every chart is made of: the palette and type size, the Chart with its table alternative, the
layout, bar labels that are never shrunk or rotated, and the bar traces the unit, overview and trend charts share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from jixiao.render.fmt import money

BLUE, ORANGE, GREY, LIGHT = "#1f4e79", "#a64d00", "#595959", "#c9d6e3"
# Every text in a chart is at least 12 px, so a 390-px phone shows it at a readable size; Plotly never shrinks
# or rotates it (constraintext none, textangle 0): a label that does not fit inside its bar goes beside it.
FONT_SIZE = 12
INSIDE_SHARE = 0.5
FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'


def plain(text: object) -> str:
    """Text from data as Plotly shows it: Plotly reads <b>, <br>, <a href> in labels, so angle brackets go."""
    return str(text).replace("<", "＜").replace(">", "＞")


@dataclass
class Chart:
    """A figure with its caption, a one-sentence summary and the table that says the same in text."""

    id: str
    title: str
    summary: str
    figure: dict
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


def figure_layout(height: int, **extra) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        "font": {"family": FONT, "size": FONT_SIZE, "color": "#1a1a1a"},
        "separators": ".,",
        "showlegend": False,
        "dragmode": False,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {"fixedrange": True, "automargin": True, "tickfont": {"size": FONT_SIZE}},
        "yaxis": {"fixedrange": True, "automargin": True, "tickfont": {"size": FONT_SIZE}},
        # Above the plot, in the order of the bars (a stack runs the same way as its legend).
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1,
            "yanchor": "bottom",
            "traceorder": "normal",
            "font": {"size": FONT_SIZE},
        },
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def bar_text(values: list[float | None], axis_max: float, dark_inside: bool = False) -> dict:
    """Label placement for bars on an axis from 0 to ``axis_max``: inside the bar's end when the bar is long
    enough to hold it, else just beyond it (where the short bar leaves room). Never shrunk, never rotated."""
    inside = [v is not None and axis_max > 0 and v / axis_max >= INSIDE_SHARE for v in values]
    return {
        "textposition": ["inside" if i else "outside" for i in inside],
        "insidetextanchor": "end",
        "constraintext": "none",
        "textangle": 0,
        "cliponaxis": False,
        "textfont": {"size": FONT_SIZE},
        "insidetextfont": {"size": FONT_SIZE, "color": "#1a1a1a" if dark_inside else "#ffffff"},
        "outsidetextfont": {"size": FONT_SIZE, "color": "#1a1a1a"},
    }


def count_axis(largest: int) -> dict:
    """An axis of whole counts (units, items): integer ticks only, fitted to the largest count."""
    step = max(1, math.ceil(largest / 5))
    return {"range": [0, max(largest, 1) * 1.1], "dtick": step, "tick0": 0, "tickformat": "d"}


def wrap_label(text: str, width: int = 7) -> str:
    """A category name broken into lines of ``width`` characters, so a phone's axis keeps room for the bars."""
    text = plain(text)
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def hbar(
    y: list, x: list, text: list, placement: dict, marker: dict, name: str | None = None, **rest
) -> dict:
    """A horizontal bar trace: categories down the side, their amounts as bars labelled with ``text`` where
    ``placement`` (``bar_text``) puts it."""
    named = {"name": name} if name is not None else {}
    return {
        "type": "bar",
        "orientation": "h",
        **named,
        "y": y,
        "x": x,
        "text": text,
        **placement,
        "marker": marker,
        **rest,
    }


def two_series_bars(
    y: list[str], light: tuple[str, list], dark: tuple[str, list], labelled: bool = False
) -> dict:
    """Two amounts per year as horizontal bar pairs: an outlined light bar and a solid dark one, each with its
    number (and its name when ``labelled``), so neither colour nor the legend alone tells them apart."""
    axis_max = max([v for v in [*light[1], *dark[1]] if v is not None] or [1]) * 1.05

    def trace(name: str, values: list, marker: dict, dark_inside: bool) -> dict:
        return hbar(
            y,
            values,
            [f"{name} {money(v)}" if labelled else money(v) for v in values],
            bar_text(values, axis_max, dark_inside),
            marker,
            name=name,
            hovertemplate=f"%{{y}} {name} %{{x:,.2f}} 万元<extra></extra>",
        )

    return {
        "data": [
            trace(*light, {"color": LIGHT, "line": {"color": BLUE, "width": 1.5}}, True),
            trace(*dark, {"color": BLUE}, False),
        ],
        "layout": figure_layout(
            90 + 64 * len(y),
            barmode="group",
            showlegend=True,
            # Reversed: the first year on top, and within each year the first series on top, as in the legend.
            yaxis={"autorange": "reversed"},
            xaxis={"title": {"text": "万元"}, "range": [0, axis_max]},
            margin={"t": 8},
        ),
    }
