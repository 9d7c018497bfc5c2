"""What a unit folder's YAML adds to the files: the fields the files lack, and corrections with their reasons.

A plain field in unit.yaml may only fill a gap. Changing a value the files give is a correction, which must be
written under ``corrections:`` with a reason; it is then shown on the unit page (更正记录). A correction is never
silent: a plain field that contradicts a file is an error.

Correction fields are field paths (``jixiao.fieldpath``); a list item is picked by its name or by its 序号 (from 1,
as on the page): ``funds.final_budget``, ``indicators[村、社区劝导员人数].actual``, ``scores.items[3].score``.
"""

from __future__ import annotations

from jixiao import fieldpath
from jixiao.findings import Finding, problem
from jixiao.location import Location, shorten

NOT_OVERLAID = {"corrections", "sources"}


def apply_overlay(data: dict, overlay: dict, where: Location, origins: dict[str, Location]) -> list[Finding]:
    """Fill ``data`` from ``overlay`` in place; return a finding for every value that contradicts the files."""
    findings: list[Finding] = []
    _fill(data, overlay, "", where, origins, findings)
    return findings


def _fill(data: dict, overlay: dict, prefix: str, where: Location, origins, findings) -> None:
    for key, value in overlay.items():
        if not prefix and key in NOT_OVERLAID:
            continue
        # An entry of a mapping keyed by name is written as readers record it: authorized_by_type[行政].
        inner = f"[{key}]" if fieldpath.is_mapping(prefix.rpartition(".")[2]) else str(key)
        path = fieldpath.join(prefix, inner) if prefix else inner
        if key not in data or data[key] is None:
            data[key] = value
        elif isinstance(value, dict) and isinstance(data[key], dict):
            _fill(data[key], value, path, where, origins, findings)
        elif not _same(data[key], value):
            findings.append(
                problem(
                    "silent-correction",
                    where.at(path),
                    f"原始文件中为 {shorten(data[key])}（{origin_of(path, origins).at(None).terminal()}），"
                    f"这里写为 {shorten(value)}；如需更正，请写在 corrections 下并说明理由",
                )
            )


def apply_corrections(
    data: dict, corrections: list[dict], where: Location
) -> tuple[list[dict], list[Finding]]:
    """Apply each correction; return the corrections with the file's original value filled in."""
    applied, findings = [], []
    for n, correction in enumerate(corrections or [], start=1):
        here = where.at(fieldpath.join("corrections", n))
        if not isinstance(correction, dict) or not {"field", "value", "reason"} <= correction.keys():
            findings.append(
                problem(
                    "invalid-correction",
                    here,
                    "每条更正须有 field（字段）、value（更正后的值）和 reason（理由）",
                )
            )
            continue
        try:
            parent, key = fieldpath.locate(data, str(correction["field"]))
        except LookupError as err:
            findings.append(
                problem("correction-target-missing", here, f"找不到要更正的字段 {correction['field']}：{err}")
            )
            continue
        original = parent.get(key) if isinstance(parent, dict) else parent[key]
        parent[key] = correction["value"]
        applied.append({**correction, "original": original})
    return applied, findings


def origin_of(path: str, origins: dict[str, Location]) -> Location:
    """The place a field came from: the longest recorded path that ``path`` lies in, speaking of ``path``.

    Readers record a list as a whole (``indicators``) and each item by its 序号 (``indicators[3]``).
    """
    plain = fieldpath.plain(path)
    for candidate in (path, plain):
        keys = [k for k in origins if fieldpath.starts_with(candidate, k)]
        if keys:
            return origins[max(keys, key=len)].at(path)
    return Location(field=path)


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b
