"""The comparison page: a pre-rendered table of every unit (a page of its own for a province), and the list the
JavaScript picker searches."""

from __future__ import annotations

import json

from jixiao.collection import UnitSummary
from jixiao.render import overview
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


def _option(row: UnitSummary) -> str:
    """How the picker names a unit-year: its name, year and kind (a name alone recurs across years)."""
    return f"{row.short}（{row.year}，{row.kind}）"


def _defaults(rows: list[UnitSummary]) -> list[list[str]]:
    """The picker's first choice without a selection in the URL: the first listed unit and two units of its kind
    and year. Chosen here, so the page needs no list of every unit until the reader starts typing."""
    if len(rows) < 2:
        return []
    first = rows[0]
    peers = [r for r in rows[1:] if (r.kind, r.year) == (first.kind, first.year)][:2]
    return [[r.slug, _option(r)] for r in [first, *peers]]


def render_compare_page(rows: list[UnitSummary]) -> tuple[str, str, str | None]:
    """(Markdown of compare/index.md, JSON of compare/units.json, Markdown of compare/all/index.md or None): the
    table of every unit is on the comparison page up to INLINE_ROWS rows, and a page of its own beyond."""
    rows = sorted(rows, key=lambda r: (-r.year, r.kind, r.short))
    separate = len(rows) > overview.INLINE_ROWS
    context = {
        "rows": rows,
        "dims": _dims(rows),
        "years": sorted({r.year for r in rows}, reverse=True),
        "dim_share": _dim_share,
        "staff_share": _staff_share,
    }
    page = render(
        "compare.md.j2",
        separate=separate,
        defaults=json.dumps(_defaults(rows), ensure_ascii=False, separators=(",", ":")),
        **context,
    )
    units = [[r.slug, _option(r), r.kind, r.year] for r in rows]
    all_page = render("compare_all.md.j2", **context) if separate else None
    return page, json.dumps(units, ensure_ascii=False, separators=(",", ":")), all_page
