"""The whole dataset at once: one summary per evaluation, peers, histories across years, shared indicators.

Everything here costs O(n log n) in the number of units, so pages that depend on the whole collection stay cheap
as a county grows from 30 to 1,000 units.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from jixiao import metrics
from jixiao.findings import Finding
from jixiao.model import Evaluation

PEERS = 3


@dataclass
class UnitSummary:
    slug: str
    name: str
    short: str
    kind: str
    year: int
    budget: float
    expenditure: float | None
    execution: float | None
    score: float | None
    grade: str | None
    met: int
    judged: int
    total: int
    warnings: int
    infos: int
    funded: int | None
    dims: list[dict] = field(default_factory=list)
    structure: dict[str, float] = field(default_factory=dict)
    progress: list[dict] = field(default_factory=list)

    @property
    def met_share(self) -> float | None:
        return self.met / self.total * 100 if self.total else None

    @property
    def per_person(self) -> float | None:
        spent = self.expenditure if self.expenditure is not None else self.budget
        return spent / self.funded if self.funded else None

    @property
    def label(self) -> str:
        return f"{self.short}（{self.year}）"

    def as_json(self) -> dict:
        """What the comparison page fetches for one unit (summary.json beside the unit page)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "short": self.short,
            "kind": self.kind,
            "year": self.year,
            "budget": self.budget,
            "expenditure": self.expenditure,
            "execution": _r(self.execution),
            "score": self.score,
            "grade": self.grade,
            "met": self.met,
            "total": self.total,
            "met_share": _r(self.met_share),
            "funded": self.funded,
            "per_person": _r(self.per_person),
            "dims": self.dims,
            "structure": self.structure,
            "progress": self.progress,
        }


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def summarise(ev: Evaluation, findings: list[Finding] = ()) -> UnitSummary:
    counts = metrics.indicator_counts(ev)
    score = ev.scores.total if ev.scores else None
    f = ev.funds
    return UnitSummary(
        slug=ev.slug,
        name=ev.unit.name,
        short=ev.display_name,
        kind=ev.unit.kind,
        year=ev.year,
        budget=f.final_budget,
        expenditure=f.expenditure,
        execution=metrics.execution_rate(ev),
        score=score,
        grade=metrics.grade(score) if score is not None else None,
        met=counts.met,
        judged=counts.judged,
        total=counts.total,
        warnings=sum(1 for x in findings if x.severity == "warning"),
        infos=sum(1 for x in findings if x.severity == "info"),
        funded=ev.staffing.funded if ev.staffing else None,
        dims=[
            {
                "name": d.name,
                "max": d.max,
                "score": d.score,
                "share": round(d.score / d.max * 100, 1) if d.max else None,
            }
            for d in metrics.score_dimensions(ev)
        ],
        structure={a.name: a.amount for a in f.by_economic},
        progress=[
            {"month": p.month, "rate": round(p.amount / f.final_budget * 100, 2)}
            for p in sorted(f.execution_progress, key=lambda p: p.month)
        ]
        if f.final_budget
        else [],
    )


def peers(summaries: list[UnitSummary], count: int = PEERS) -> dict[str, list[UnitSummary]]:
    """For each unit, the ``count`` most similar: same year and kind, nearest final budget."""
    groups: dict[tuple[int, str], list[UnitSummary]] = defaultdict(list)
    for s in summaries:
        groups[(s.year, s.kind)].append(s)
    out: dict[str, list[UnitSummary]] = {}
    for group in groups.values():
        group.sort(key=lambda s: (s.budget, s.slug))
        for i, s in enumerate(group):
            # Sorted by budget, the nearest budgets lie within ``count`` places on either side.
            window = group[max(0, i - count) : i] + group[i + 1 : i + count + 1]
            window.sort(key=lambda g: (abs(g.budget - s.budget), g.slug))
            out[s.slug] = window[:count]
    return out


def histories(summaries: list[UnitSummary]) -> dict[str, list[UnitSummary]]:
    """Each unit (by its folder name) across years, oldest first."""
    by_unit: dict[str, list[UnitSummary]] = defaultdict(list)
    for s in summaries:
        by_unit[s.short].append(s)
    return {k: sorted(v, key=lambda s: s.year) for k, v in by_unit.items()}


def compare_href(slugs: list[str], prefix: str) -> str:
    """A link to the comparison page with these units selected (the selection lives in the URL)."""
    return f"{prefix}compare/?" + "&".join(f"u={quote(slug)}" for slug in slugs)


_NOT_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


def normalised_name(name: str) -> str:
    """Indicator names that differ only in punctuation or spacing group together: 村、社区劝导员人数 = 村社区劝导员人数."""
    return _NOT_WORD.sub("", name.replace("（", "(").replace("）", ")"))


def latest_by_unit(summaries: list[UnitSummary]) -> list[UnitSummary]:
    latest = {}
    for s in summaries:
        if s.short not in latest or s.year > latest[s.short].year:
            latest[s.short] = s
    return sorted(latest.values(), key=lambda s: (s.kind, s.short))
