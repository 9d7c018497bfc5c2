"""What a unit folder's YAML adds to the files: the fields the files lack, and corrections with their reasons.

A plain field in unit.yaml may only fill a gap. Changing a value the files give is a correction, which must be
written under ``corrections:`` with a reason; it is then shown on the unit page (更正记录). A correction is never
silent: a plain field that contradicts a file is an error.

Correction fields are dotted paths; a list item is picked by its name or by its 序号 (from 1, as on the page):
``funds.final_budget``, ``indicators[村、社区劝导员人数].actual``, ``scores.items[3].score``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jixiao.findings import Finding

NOT_OVERLAID = {"corrections", "sources"}
_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def apply_overlay(data: dict, overlay: dict, where: str, origins: dict[str, str]) -> list[Finding]:
    """Fill ``data`` from ``overlay`` in place; return a finding for every value that contradicts the files."""
    findings: list[Finding] = []
    _fill(data, overlay, "", where, origins, findings)
    return findings


def _fill(data: dict, overlay: dict, prefix: str, where: str, origins, findings) -> None:
    for key, value in overlay.items():
        if not prefix and key in NOT_OVERLAID:
            continue
        path = f"{prefix}{key}"
        if key not in data or data[key] is None:
            data[key] = value
        elif isinstance(value, dict) and isinstance(data[key], dict):
            _fill(data[key], value, f"{path}.", where, origins, findings)
        elif not _same(data[key], value):
            findings.append(
                Finding(
                    "silent-correction",
                    f"{where}: {path}",
                    f"原始文件中为 {_show(data[key])}（{origin_of(path, origins)}），这里写为 {_show(value)}；"
                    "如需更正，请写在 corrections 下并说明理由",
                )
            )


def apply_corrections(data: dict, corrections: list[dict], where: str) -> tuple[list[dict], list[Finding]]:
    """Apply each correction; return the corrections with the file's original value filled in."""
    applied, findings = [], []
    for i, correction in enumerate(corrections or []):
        here = f"{where}: corrections[{i}]"
        if not isinstance(correction, dict) or not {"field", "value", "reason"} <= correction.keys():
            findings.append(
                Finding(
                    "invalid-correction",
                    here,
                    "每条更正须有 field（字段）、value（更正后的值）和 reason（理由）",
                )
            )
            continue
        try:
            parent, last = _resolve(data, str(correction["field"]))
        except LookupError as err:
            findings.append(
                Finding("correction-target-missing", here, f"找不到要更正的字段 {correction['field']}：{err}")
            )
            continue
        original = parent.get(last) if isinstance(parent, dict) else parent[last]
        parent[last] = correction["value"]
        applied.append({**correction, "original": original})
    return applied, findings


def _resolve(data: Any, path: str) -> tuple[Any, Any]:
    steps = [name or selector for name, selector in _STEP.findall(path)]
    kinds = ["key" if name else "item" for name, _ in _STEP.findall(path)]
    if not steps:
        raise LookupError("字段为空")
    node = data
    for step, kind in list(zip(steps, kinds, strict=True))[:-1]:
        node = _step(node, step, kind)
    last, kind = steps[-1], kinds[-1]
    if kind == "key":
        if not isinstance(node, dict):
            raise LookupError(f"{last} 不在一组字段中")
        return node, last
    items = node
    index = _index(items, last)
    return items, index


def _step(node: Any, step: str, kind: str) -> Any:
    if kind == "key":
        if not isinstance(node, dict) or step not in node:
            raise LookupError(f"没有 {step}")
        return node[step]
    return node[_index(node, step)]


def _index(items: Any, selector: str) -> int:
    if not isinstance(items, list):
        raise LookupError(f"[{selector}] 需要用在列表上")
    if selector.isdigit():
        position = int(selector)
        if not 1 <= position <= len(items):
            raise LookupError(f"序号 {position} 超出范围（共 {len(items)} 项，从 1 数起）")
        return position - 1
    matches = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get("name") == selector]
    if len(matches) != 1:
        raise LookupError(f"名称为“{selector}”的项有 {len(matches)} 个")
    return matches[0]


def origin_of(path: str, origins: dict[str, str]) -> str:
    """The file (and cell) a field came from: the longest recorded key that the path starts with.

    Readers record a list as a whole (``indicators``) and each item by its 序号 (``indicators[3]``).
    """
    plain = re.sub(r"\[[^\]]*\]", "", path)
    for candidate in (path, plain):
        keys = [k for k in origins if candidate == k or candidate.startswith((k + ".", k + "["))]
        if keys:
            return origins[max(keys, key=len)]
    return "原始文件"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:40] + "…"
