"""Checks: pure functions from an evaluation to findings, declared in one catalogue (``RULES``).

``check_evaluation`` runs every rule; the CLI and the build decide what to do with the findings (errors stop
publishing; warnings and info are published on the unit page and the site-wide 数据核对 page).
"""

from __future__ import annotations

from jixiao.checks import arithmetic, arithmetic_counts, indicators, personal, quality, report  # noqa: F401  (registers the rules)
from jixiao.checks.catalogue import RULES, SEVERITY_LABELS, Rule, finding, rule_by_id
from jixiao.checks.context import Context
from jixiao.findings import Finding
from jixiao.location import Location

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

__all__ = ["RULES", "SEVERITY_LABELS", "Context", "Rule", "check_evaluation", "rule_by_id"]


def check_evaluation(ctx: Context) -> list[Finding]:
    """Every finding of every rule, errors first, then in catalogue order."""
    found = []
    for rule in RULES:
        for field, message in rule.check(ctx):
            where = field if isinstance(field, Location) else ctx.where(field)
            found.append(finding(rule, where, message))
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def check_loaded(item) -> list[Finding]:
    """Every finding for a loaded unit folder; its files' texts (read once, by the loader) are scanned too."""
    ctx = Context(item.evaluation, str(item.folder), item.origins, texts=item.texts)
    found = check_evaluation(ctx) + list(getattr(item, "read_findings", []))
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def counts(findings: list[Finding]) -> dict[str, int]:
    return {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITY_ORDER}


def summary(findings: list[Finding]) -> str:
    c = counts(findings)
    return f"{c['error']} 处错误，{c['warning']} 处需核对，{c['info']} 条提示"
