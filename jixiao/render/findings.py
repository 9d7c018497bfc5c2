"""Findings as readers see them: on the unit page (数据核对), the site-wide 数据核对 page, the rules on 说明."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.checks import RULES, SEVERITY_LABELS, rule_by_id
from jixiao.findings import Finding
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


def render_checks_page(units: list[tuple[object, str, list[Finding], Path]]) -> str:
    """The site-wide 数据核对 page: how often each rule fired, and every warning of every unit.

    The many neutral infos are counted, and listed on each unit's page: this page stays light however many units.
    """
    rows = []
    for ev, href, findings, folder in units:
        data = (
            ev.canonical() if findings else None
        )  # list items named in the places: 第 10 项“辖区群众满意度”
        rows += [(ev, href, view(f, folder, data)) for f in findings]
    per_rule = {r.id: sum(1 for _, _, v in rows if v.rule == r.id) for r in RULES}
    warnings = [row for row in rows if row[2].severity == "warning"]
    infos = len(rows) - len(warnings)
    return render(
        "checks.md.j2",
        warnings=warnings,
        infos=infos,
        rules=RULES,
        per_rule=per_rule,
        fired=sum(1 for r in RULES if r.severity != "error" and per_rule[r.id]),
        labels=SEVERITY_LABELS,
        units=len(units),
    )


def render_rules_section() -> str:
    """The rule catalogue, appended to the 说明 page from the declaration in jixiao.checks."""
    return render("rules.md.j2", rules=RULES, labels=SEVERITY_LABELS)
