"""The indicator explorer: every indicator of every unit, as compact JSON for the page's script, and a
pre-rendered table of the indicators several units share (for readers without JavaScript)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from jixiao import metrics
from jixiao.collection import normalised_name
from jixiao.model import Evaluation
from jixiao.render.env import render
from jixiao.render.fmt import num

SHARED_ROWS = 200


@dataclass
class Group:
    name: str
    units: int
    met: int
    not_met: int
    other: int
    range: str


def render_explorer(evaluations: list[Evaluation]) -> tuple[str, str]:
    """(Markdown of indicators/index.md, JSON of indicators/data.json)."""
    units, rows = [], []
    groups: dict[str, dict] = defaultdict(lambda: {"name": None, "units": set(), "status": [], "targets": []})
    for u, ev in enumerate(evaluations):
        units.append([ev.slug, ev.display_name, ev.year, ev.unit.kind])
        for ind in ev.indicators:
            status = metrics.indicator_status(ind)
            key = normalised_name(ind.name)
            rows.append(
                [
                    u,
                    ind.level1 or "",
                    ind.level2 or "",
                    ind.name,
                    ind.op,
                    ind.target,
                    ind.unit or "",
                    ind.actual,
                    status,
                    key,
                ]
            )
            g = groups[key]
            g["name"] = g["name"] or ind.name
            g["units"].add(u)
            g["status"].append(status)
            if isinstance(ind.target, (int, float)):
                g["targets"].append((ind.target, ind.unit or ""))
    shared = sorted(
        (g for g in groups.values() if len(g["units"]) > 1), key=lambda g: (-len(g["units"]), g["name"])
    )
    page = render(
        "explorer.md.j2",
        units=len(evaluations),
        total=len(rows),
        years=sorted({ev.year for ev in evaluations}, reverse=True),
        kinds=sorted({ev.unit.kind for ev in evaluations}),
        level1=sorted({r[1] for r in rows if r[1]}),
        level2=sorted({r[2] for r in rows if r[2]}),
        statuses=[s for s in metrics.STATUSES if any(r[8] == s for r in rows)],
        shared=[_group(g) for g in shared[:SHARED_ROWS]],
    )
    return page, json.dumps(_compact(units, rows), ensure_ascii=False, separators=(",", ":"))


# The columns of a row that always hold text (or None), by position: level1, level2, name, op, unit, status, key.
TEXT_COLUMNS = (1, 2, 3, 4, 6, 8, 9)


def _compact(units: list, rows: list[list]) -> dict:
    """The explorer's data with every text column as a number into one list of texts, most used first, and the
    grouping key left out where it is the name itself (explorer.js restores both). Every row repeats its level
    names, status and unit: at 20,000 unit-years the plain rows were ≈ 40 MB for a phone to download and parse;
    this is about a quarter of that."""
    uses = Counter(r[c] for r in rows for c in TEXT_COLUMNS if r[c] is not None)
    texts = [text for text, _ in uses.most_common()]
    number = {text: n for n, text in enumerate(texts)}
    compact = []
    for r in rows:
        row = [number.get(v) if c in TEXT_COLUMNS else v for c, v in enumerate(r)]
        compact.append(row if r[9] != r[3] else row[:9])
    return {"units": units, "texts": texts, "rows": compact}


def _group(g: dict) -> Group:
    statuses = g["status"]
    targets = sorted(g["targets"])
    span = ""
    if targets:
        lo, hi = targets[0], targets[-1]
        span = f"{num(lo[0])}{lo[1]}" if lo == hi else f"{num(lo[0])}{lo[1]}—{num(hi[0])}{hi[1]}"
    return Group(
        name=g["name"],
        units=len(g["units"]),
        met=statuses.count(metrics.MET),
        not_met=statuses.count(metrics.NOT_MET),
        other=len(statuses) - statuses.count(metrics.MET) - statuses.count(metrics.NOT_MET),
        range=span,
    )
