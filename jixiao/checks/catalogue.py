"""The rule catalogue, declared as data: id, Chinese title, severity, an explanation for citizens, the function.

Severity decides what happens: an ``error`` blocks publishing (the build stops), a ``warning`` and an ``info`` are
published on the unit page and the site-wide 数据核对 page. The 说明 pages list every rule from this declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jixiao.findings import Finding, Severity
from jixiao.location import Location

SEVERITY_LABELS = {"error": "错误", "warning": "需核对", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    explanation: str
    check: Callable[..., Iterator[tuple[str | Location, str]]]
    group: str


RULES: list[Rule] = []


def rule(id: str, title: str, severity: Severity, explanation: str, group: str):
    """Declare a rule; the decorated function yields (field, message) pairs, one per finding: ``field`` is a field
    path (placed where its value came from) or a Location (a place in a file, as the personal-data scan gives)."""

    def register(fn):
        RULES.append(Rule(id, title, severity, explanation, fn, group))
        return fn

    return register


def rule_by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def finding(rule: Rule, where: Location, message: str) -> Finding:
    return Finding(rule.id, where, message, rule.severity)
