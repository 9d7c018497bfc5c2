"""The home page: the county overview of every unit. Pure: evaluations in, Markdown out."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao import metrics
from jixiao.model import Evaluation
from jixiao.render.env import render


@dataclass(frozen=True)
class UnitRow:
    href: str
    name: str
    kind: str
    year: int
    score: float | None
    grade: str | None
    budget: float
    execution: float | None
    met: int
    total: int

    @property
    def met_share(self) -> float | None:
        return self.met / self.total * 100 if self.total else None


def unit_row(ev: Evaluation) -> UnitRow:
    counts = metrics.indicator_counts(ev)
    score = ev.scores.total if ev.scores else None
    return UnitRow(
        href=f"{ev.slug}/",
        name=ev.unit.name,
        kind=ev.unit.kind,
        year=ev.year,
        score=score,
        grade=metrics.grade(score) if score is not None else None,
        budget=ev.funds.final_budget,
        execution=metrics.execution_rate(ev),
        met=counts.met,
        total=counts.total,
    )


def render_home_page(evaluations: list[Evaluation]) -> str:
    rows = sorted((unit_row(ev) for ev in evaluations), key=lambda r: (-r.year, r.name))
    years = sorted({ev.year for ev in evaluations}, reverse=True)
    latest = years[0] if years else None
    counties = {ev.unit.county for ev in evaluations if ev.unit.county}
    county = counties.pop() if len(counties) == 1 else None
    title = f"{county or ''}预算绩效自评公开"
    return render(
        "home.md.j2",
        title=title,
        county=county,
        rows=rows,
        years=[str(y) for y in years],
        latest_year=latest,
        budget_total=sum(ev.funds.final_budget for ev in evaluations if ev.year == latest),
    )
