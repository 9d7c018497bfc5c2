"""Field paths: the one way to name a field of an evaluation, e.g. ``indicators[3].actual``.

A path is keys joined by dots; a list item is picked by its 序号 counted from 1 (``indicators[3]``) or by its name
(``indicators[村、社区劝导员人数]``, ``funds.execution_progress[6]`` picks the item whose month is 6 when the list
is keyed by month), and a mapping entry by its key (``staffing.authorized_by_type[行政]``). Readers, statements,
corrections, checks and pages all use these functions, so a clerk can copy a path from any message into a
correction and it means the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")
# Lists whose items are named by another field than ``name``.
KEYED_BY = {"execution_progress": "month"}


@dataclass(frozen=True)
class Step:
    """One step of a path: a mapping key, or a list selector (a 1-based position or a name)."""

    key: str | None = None
    position: int | None = None
    name: str | None = None

    def text(self) -> str:
        if self.key is not None:
            return self.key
        return f"[{self.position if self.position is not None else self.name}]"


def parse(path: str) -> list[Step]:
    """``a.b[3].c[名称]`` -> steps; a bracket holding only digits is a position counted from 1."""
    steps = []
    for key, selector in _STEP.findall(str(path)):
        if key:
            steps.append(Step(key=key.strip()))
        elif selector.strip().isdigit():
            steps.append(Step(position=int(selector)))
        else:
            steps.append(Step(name=selector))
    return steps


def join(*parts: str | int | None) -> str:
    """Build a path from keys (str) and 1-based positions (int): ``join("indicators", 3, "actual")``."""
    out = ""
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith("["):
            out += part
        else:
            out += f".{part}" if out else str(part)
    return out


def item(name_or_position: str | int) -> str:
    """A list selector to append to a path: ``item(3)`` -> ``[3]``, ``item("基本支出")`` -> ``[基本支出]``."""
    return f"[{name_or_position}]"


def _identity(list_name: str | None) -> str:
    return KEYED_BY.get(list_name or "", "name")


def _matches(entry: Any, field: str, name: str) -> bool:
    return isinstance(entry, dict) and str(entry.get(field)) == name


def _select(node: Any, step: Step, list_name: str | None) -> tuple[Any, Any]:
    """(container, key-or-index) for one step; raises LookupError with a clerk's explanation."""
    if step.key is not None:
        if not isinstance(node, dict):
            raise LookupError(f"{step.key} 不在一组字段中")
        return node, step.key
    if isinstance(node, dict):
        label = str(step.position if step.position is not None else step.name)
        if label not in node:
            raise LookupError(f"没有 {label}")
        return node, label
    if not isinstance(node, list):
        raise LookupError(f"{step.text()} 需要用在列表上")
    if step.position is not None:
        field = _identity(list_name)
        if field != "name":  # lists keyed by number (month): [6] names the month, not the sixth item
            hits = [i for i, e in enumerate(node) if _matches(e, field, str(step.position))]
            if len(hits) == 1:
                return node, hits[0]
        if not 1 <= step.position <= len(node):
            raise LookupError(f"序号 {step.position} 超出范围（共 {len(node)} 项，从 1 数起）")
        return node, step.position - 1
    field = _identity(list_name)
    hits = [i for i, e in enumerate(node) if _matches(e, field, step.name)]
    if len(hits) != 1:
        raise LookupError(f"名称为“{step.name}”的项有 {len(hits)} 个")
    return node, hits[0]


def pick(node: Any, step: Step, list_name: str | None = None) -> Any:
    """The value one step selects from ``node`` (``list_name`` tells how the list's items are named)."""
    container, key = _select(node, step, list_name)
    return container[key]


def locate(data: Any, path: str) -> tuple[Any, Any]:
    """The container holding the field at ``path`` and its key or index; LookupError if it is not there."""
    steps = parse(path)
    if not steps:
        raise LookupError("字段为空")
    node, list_name = data, None
    for step in steps[:-1]:
        container, key = _select(node, step, list_name)
        list_name = step.key if step.key is not None else list_name
        node = container[key]
    return _select(node, steps[-1], list_name)


def get(data: Any, path: str, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when any step is missing."""
    try:
        container, key = locate(data, path)
        return container[key]
    except (LookupError, TypeError):
        return default


def put(data: dict, path: str, value: Any, overwrite: bool = True) -> None:
    """Set the value at ``path``, creating mappings, and list items selected by name, on the way.

    ``put(d, "funds.by_source[一般公共预算].amount", 1.5)`` appends ``{"name": "一般公共预算"}`` to the list when
    no item has that name yet. With ``overwrite=False`` an existing value stays.
    """
    steps = parse(path)
    node, list_name = data, None
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        nxt = steps[i + 1] if not last else None
        if step.key is not None:
            if last:
                if overwrite or node.get(step.key) is None:
                    node[step.key] = value
                return
            default: Any = [] if nxt is not None and nxt.key is None and step.key not in _MAPS else {}
            node = node.setdefault(step.key, default)
            list_name = step.key
            continue
        label = str(step.position if step.position is not None else step.name)
        if isinstance(node, dict):  # a mapping keyed by name: authorized_by_type[行政]
            if last:
                if overwrite or node.get(label) is None:
                    node[label] = value
                return
            node = node.setdefault(label, {})
            continue
        field = _identity(list_name)
        wanted: Any = int(label) if field != "name" and label.isdigit() else label
        entry = next((e for e in node if _matches(e, field, str(wanted))), None)
        if entry is None and step.position is not None and field == "name" and step.position <= len(node):
            entry = node[step.position - 1]
        if entry is None:
            entry = {field: wanted}
            node.append(entry)
        if last:
            return
        node = entry


# Mappings whose entries are selected with brackets (not lists).
_MAPS = {"authorized_by_type"}


def is_mapping(key: object) -> bool:
    """Whether the field named ``key`` is a mapping keyed by name (its entries' keys are not positions)."""
    return key in _MAPS


def plain(path: str) -> str:
    """The path without selectors: ``indicators[3].actual`` -> ``indicators.actual``."""
    return ".".join(s.key for s in parse(path) if s.key is not None)


def starts_with(path: str, prefix: str) -> bool:
    """Whether ``path`` names ``prefix`` or something inside it (``indicators[3].actual`` in ``indicators``)."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def keys(paths: Iterable[str]) -> list[str]:
    return sorted(set(paths), key=lambda p: (p.count(".") + p.count("["), p))
