"""The self-evaluation's scores as a chart: each 二级指标's score over its full marks, with what was lost said in
the label and in the table alternative."""

from __future__ import annotations

from jixiao.metrics import score_dimensions
from jixiao.model import Evaluation
from jixiao.render.chart_kit import BLUE, GREY, Chart, bar_text, figure_layout, hbar, wrap_label
from jixiao.render.fmt import num


def score_chart(ev: Evaluation) -> Chart | None:
    dims = score_dimensions(ev)
    if not dims:
        return None
    names = [wrap_label(d.name) for d in dims]
    labels = [
        f"{num(d.score)}/{num(d.max)}" + (f"，扣{num(round(d.max - d.score, 4))}" if d.score < d.max else "")
        for d in dims
    ]
    axis_max = max(d.max for d in dims)
    inside = bar_text([d.score for d in dims], axis_max)
    place = inside["textposition"]
    figure = {
        "data": [
            hbar(
                names,
                [d.max for d in dims],
                # A label that does not fit inside the score bar sits in (a long) or beyond (a short) grey
                # full-marks bar, dark on light either way.
                [label if pos == "outside" else "" for label, pos in zip(labels, place, strict=True)],
                bar_text(
                    [d.max for d in dims], axis_max * 1.1, dark_inside=True
                ),  # inside when ≥ 55% of the axis
                {"color": "#e8edf2", "line": {"color": GREY, "width": 1}},
                name="分值",
                hoverinfo="skip",
            ),
            hbar(
                names,
                [d.score for d in dims],
                [label if pos == "inside" else "" for label, pos in zip(labels, place, strict=True)],
                inside,
                {"color": BLUE},
                name="自评得分",
                hovertemplate="%{y}：%{customdata}<extra></extra>",
                customdata=labels,
            ),
        ],
        "layout": figure_layout(
            70 + 36 * len(dims),
            barmode="overlay",
            yaxis={"autorange": "reversed"},
            # Fitted to the largest maximum: the grey bar is each dimension's full marks.
            xaxis={"title": {"text": "分"}, "range": [0, axis_max]},
        ),
    }
    lost = [d for d in dims if d.score < d.max]
    summary = f"共 {len(dims)} 个二级指标，" + (
        "、".join(f"{d.name}扣 {num(round(d.max - d.score, 4))} 分" for d in lost) + "，其余满分。"
        if lost
        else "均为满分。"
    )
    rows = [[d.level1, d.name, num(d.max), num(d.score), num(round(d.max - d.score, 4))] for d in dims]
    headers = ["一级指标", "二级指标", "分值", "自评得分", "扣分"]
    return Chart("scores", "自评得分：各二级指标得分与分值", summary, figure, headers, rows)
