"""Findings as readers see them: on the unit page (数据核对), the site-wide 数据核对 page, the rules on 说明."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.checks import RULES, SEVERITY_LABELS, rule_by_id
from jixiao.findings import Finding
from jixiao.render import overview
from jixiao.render.env import render
from jixiao.render.summary import section_of

SEVERITY_MARKS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


@dataclass(frozen=True)
class FindingView:
    rule: str
    title: str
    severity: str
    label: str
    mark: str
    place: str
    message: str
    section: str | None = None  # the unit page's section that shows the figures the finding speaks of


def view(finding: Finding, folder: Path | str | None = None, data: dict | None = None) -> FindingView:
    """A finding as readers see it: the place in words (file name, sheet, cell, the field by its Chinese titles;
    ``data`` names list items), never a path of the build machine or a code location."""
    rule = rule_by_id(finding.rule) if any(r.id == finding.rule for r in RULES) else None
    location = finding.location
    if folder and location.file and Path(location.file) == Path(folder):
        location = replace(location, file=None)  # the unit folder itself: the page is the unit's already
    place = location.words(data)
    return FindingView(
        rule=finding.rule,
        title=rule.title if rule else finding.rule,
        severity=finding.severity,
        label=SEVERITY_LABELS[finding.severity],
        mark=SEVERITY_MARKS[finding.severity],
        place=place,
        message=finding.message,
        section=section_of(location.field),
    )


def render_checks_pages(units: list[tuple[object, list[FindingView]]]) -> dict[str, str]:
    """The site-wide 数据核对 page (``checks/index.md``): how often each rule fired, and every warning of every
    unit, each unit with its findings as its page shows them. Beyond INLINE_ROWS warnings, a province's, each
    year's warnings are a page of their own (``checks/<year>/index.md``), linked from it.

    The many neutral infos are counted, and listed on each unit's page: this page stays light however many units.
    """
    rows = [(ev, v) for ev, views in units for v in views]
    per_rule = Counter(v.rule for _, v in rows)
    warnings = [row for row in rows if row[1].severity == "warning"]
    per_year = Counter(ev.year for ev, _ in warnings)
    split = len(warnings) > overview.INLINE_ROWS
    pages = {
        "checks/index.md": render(
            "checks.md.j2",
            warnings=warnings,
            by_year=sorted(per_year.items(), reverse=True) if split else [],
            prefix="../",
            infos=len(rows) - len(warnings),
            rules=RULES,
            per_rule=per_rule,
            fired=sum(1 for r in RULES if r.severity != "error" and per_rule[r.id]),
            labels=SEVERITY_LABELS,
            units=len(units),
        )
    }
    for year in per_year if split else []:
        pages[f"checks/{year}/index.md"] = render(
            "checks_year.md.j2",
            year=year,
            warnings=[row for row in warnings if row[0].year == year],
            units=sum(1 for ev, _ in units if ev.year == year),
            prefix="../../",
        )
    return pages


def render_rules_section() -> str:
    """The rule catalogue, appended to the 说明 page from the declaration in jixiao.checks."""
    return render("rules.md.j2", rules=RULES, labels=SEVERITY_LABELS)
