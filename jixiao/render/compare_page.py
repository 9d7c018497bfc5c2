"""The comparison page: a pre-rendered table of every unit, and the list the JavaScript picker offers."""

from __future__ import annotations

import json

from jixiao.collection import UnitSummary
from jixiao.render.env import render

MAX_DIMS = 8


def _dims(rows: list[UnitSummary]) -> list[str]:
    names: dict[str, None] = {}
    for r in rows:
        for d in r.dims:
            names.setdefault(d["name"], None)
    return list(names)[:MAX_DIMS]


def _dim_share(row: UnitSummary, name: str) -> float | None:
    return next((d["share"] for d in row.dims if d["name"] == name), None)


def _staff_share(row: UnitSummary) -> float | None:
    total = sum(row.structure.values())
    return row.structure.get("人员经费", 0) / total * 100 if total and "人员经费" in row.structure else None


def render_compare_page(rows: list[UnitSummary]) -> tuple[str, str]:
    """(Markdown of compare/index.md, JSON of compare/units.json)."""
    rows = sorted(rows, key=lambda r: (-r.year, r.kind, r.short))
    page = render(
        "compare.md.j2",
        rows=rows,
        dims=_dims(rows),
        years=sorted({r.year for r in rows}, reverse=True),
        dim_share=_dim_share,
        staff_share=_staff_share,
    )
    units = [[r.slug, f"{r.short}（{r.year}，{r.kind}）", r.kind, r.year] for r in rows]
    return page, json.dumps(units, ensure_ascii=False, separators=(",", ":"))
