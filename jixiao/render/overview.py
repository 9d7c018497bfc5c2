"""Hub pages: the county overview (home, and one per year) and the unit directory grouped by kind. Pure."""

from __future__ import annotations

from collections import Counter

from jixiao.collection import UnitSummary
from jixiao.metrics import GRADES
from jixiao.render.chart_kit import BLUE, Chart, bar_text, count_axis, figure_layout, hbar
from jixiao.render.env import render

KIND_ORDER = ("乡镇", "街道", "部门", "其他")


def score_distribution_chart(rows: list[UnitSummary]) -> Chart | None:
    scored = [r for r in rows if r.score is not None]
    if not scored:
        return None
    grades = [label for _, label in GRADES]
    counts = Counter(r.grade for r in scored)
    bins = [(lo, lo + 5) for lo in range(50, 100, 5)]
    below = sum(1 for r in scored if r.score < 50)
    labels = (["50 分以下"] if below else []) + [f"{lo}—{hi}" for lo, hi in bins]
    values = ([below] if below else []) + [
        sum(1 for r in scored if lo <= r.score < hi or (hi == 100 and r.score == 100)) for lo, hi in bins
    ]
    # Horizontal bars: ten bins' labels stay level and readable on a phone; counts on a whole-number axis.
    axis = count_axis(max(values))
    figure = {
        "data": [
            hbar(
                [f"{label} 分" for label in labels],
                values,
                [str(v) if v else "" for v in values],
                bar_text(values, axis["range"][1]),
                {"color": BLUE},
                hovertemplate="%{y}：%{x} 个单位<extra></extra>",
            )
        ],
        "layout": figure_layout(
            70 + 28 * len(labels),
            xaxis={"title": {"text": "单位数"}, **axis},
            yaxis={"title": {"text": "自评得分"}},  # the best scores on top
        ),
    }
    summary = "、".join(f"{g} {counts.get(g, 0)} 个" for g in grades)
    rows_ = [[g, str(counts.get(g, 0))] for g in grades] + [
        [f"{lab} 分", str(v)] for lab, v in zip(labels, values, strict=True)
    ]
    return Chart(
        "score-distribution",
        "自评得分分布",
        f"{len(scored)} 个单位的自评等级：{summary}。",
        figure,
        ["等级或分数段", "单位数"],
        rows_,
    )


def render_overview(
    rows: list[UnitSummary],
    year: int,
    years: list[int],
    title: str,
    county: str | None,
    prefix: str,
    is_home: bool,
) -> str:
    """The Markdown of one year's overview; ``prefix`` leads from the page to the site root.

    Its one chart, the score distribution, is drawn at build time as plain HTML bars: a first visit to the home
    page then needs no chart library at all."""
    chart = score_distribution_chart(rows)
    budget = sum(r.budget for r in rows)
    spent = sum(r.expenditure or 0 for r in rows)
    scored = [r.score for r in rows if r.score is not None]
    return render(
        "overview.md.j2",
        title=title,
        county=county,
        year=year,
        years=years,
        is_home=is_home,
        prefix=prefix,
        separate=len(rows) > INLINE_ROWS,
        rows=_ranked(rows),
        budget=budget,
        execution=spent / budget * 100 if budget else None,
        mean_score=sum(scored) / len(scored) if scored else None,
        kinds=Counter(r.kind for r in rows),
        chart=chart,
        bars=static_bars(chart.figure["data"][0]) if chart else [],
    )


# Rows of a table of every unit that a hub page carries itself (≈ 0.5–1 KB each): beyond, the table is a page of its
# own (the year's ranking, the comparison's table of every unit, each year's warnings on 数据核对), or left to the
# pages that have it already (the directory's lists, on each kind's page), so a province's hubs stay light on a phone.
INLINE_ROWS = 1000


def ranking_pages(rows: list[UnitSummary], years: list[int]) -> dict[str, str]:
    """The years' rankings too long for their overview, each a page of its own (``ranking/<year>/``)."""
    pages = {}
    for year in years:
        of_year = [r for r in rows if r.year == year]
        if len(of_year) > INLINE_ROWS:
            pages[f"ranking/{year}/index.md"] = render(
                "ranking.md.j2",
                year=year,
                prefix="../../",
                rows=_ranked(of_year),
                kinds=Counter(r.kind for r in of_year),
            )
    return pages


def _ranked(rows: list[UnitSummary]) -> list[UnitSummary]:
    return sorted(rows, key=lambda r: (-(r.score or 0), r.short))


def static_bars(trace: dict) -> list[tuple[str, int, int]]:
    """(label, value, width in steps of 5 %) per bar of a one-trace bar chart; the widths are CSS classes
    (jx-w-0 … jx-w-100), not inline styles, so a strict content security policy allows them."""
    labels, values = (trace["y"], trace["x"]) if trace.get("orientation") == "h" else (trace["x"], trace["y"])
    top = max(values, default=0) or 1
    return [(label, value, round(value / top * 20) * 5) for label, value in zip(labels, values, strict=True)]


def render_directory(latest: list[UnitSummary], history: dict[str, list[UnitSummary]]) -> dict[str, str]:
    """units/index.md and one hub page per kind: path -> Markdown."""
    by_kind: dict[str, list[UnitSummary]] = {}
    for s in latest:
        by_kind.setdefault(s.kind, []).append(s)
    kinds = [k for k in KIND_ORDER if k in by_kind] + sorted(k for k in by_kind if k not in KIND_ORDER)
    pages = {
        "units/index.md": render(
            "directory.md.j2",
            kinds=kinds,
            by_kind=by_kind,
            total=len(latest),
            inline=len(latest) <= INLINE_ROWS,
        )
    }
    for kind in kinds:
        rows = sorted(by_kind[kind], key=lambda s: s.short)
        pages[f"units/{kind}/index.md"] = render("kind.md.j2", kind=kind, rows=rows, history=history)
    return pages
