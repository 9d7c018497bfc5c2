"""Readers of the official forms: workbooks (.xlsx, .xls) and the Word report (.docx).

``import_files`` reads any number of files into one canonical dict. Tables win over what the report's text states;
the report's standard sentences fill the fields no table gives (and stay in ``report.stated`` for the checks).
Every problem of every file is collected; nothing half-imported is returned silently.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.findings import Finding, InvalidData
from jixiao.forms import project_sheet, report_docx, scoring_sheet, target_sheet
from jixiao.forms.cells import parse_number
from jixiao.forms.statements import statements_to_fields
from jixiao.forms.tables import Extract, labels
from jixiao.forms.workbook import Grid, read_workbook

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
REPORT_SUFFIXES = {".docx"}
READABLE = WORKBOOK_SUFFIXES | REPORT_SUFFIXES
# Published as originals but not read: a reader can still download what the unit sent.
ORIGINAL_ONLY = {".pdf", ".doc", ".wps", ".et", ".zip", ".rar", ".jpg", ".png"}
# Filled from the report's sentences only for checking, never as data: items need their 一级/二级 from the sheet.
NOT_FILLED_FROM_TEXT = {"items", "check"}


@dataclass
class Imported:
    data: dict = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def import_files(paths: list[Path], display_root: Path | None = None) -> Imported:
    """Read every file; raise InvalidData listing every problem of every file."""
    imported = Imported()
    texts: list[tuple[dict, str]] = []
    for path in paths:
        display = str(path)
        try:
            extracts, kinds = read_file(Path(path), display)
        except InvalidData as err:
            imported.findings.extend(err.findings)
            continue
        source = {"file": Path(path).name, "sha256": sha256(Path(path)), "kind": "、".join(kinds) or None}
        notes = [n for ex in extracts for n in ex.notes]
        if notes:
            source["notes"] = notes
        imported.sources.append({k: v for k, v in source.items() if v is not None})
        for ex in extracts:
            imported.findings.extend(ex.findings)
            if "report" in ex.data:
                texts.append((ex.data["report"], ex.origins["report"]))
            _merge_tables(imported, ex)
    for report, where in texts:
        if "report" not in imported.data:
            imported.data["report"] = report
            imported.origins["report"] = where
        _fill_from_statements(imported, report.get("stated", []), where)
    if imported.findings:
        raise InvalidData(imported.findings)
    return imported


def read_file(path: Path, display: str) -> tuple[list[Extract], list[str]]:
    """The extracts of one file (one per recognised sheet) and the kinds of form found in it."""
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return _cached(path, display, lambda: ([report_docx.read_report(path, display)], [report_docx.KIND]))
    if suffix not in WORKBOOK_SUFFIXES:
        raise InvalidData(
            [
                Finding(
                    "unsupported-format",
                    display,
                    f"不能读取 {suffix or '无扩展名'} 文件：请提供 .xlsx、.xls 或 .docx",
                )
            ]
        )
    return _cached(path, display, lambda: read_workbook_forms(read_workbook(path, display)))


def read_workbook_forms(grids: list[Grid]) -> tuple[list[Extract], list[str]]:
    extracts, kinds = [], []
    for grid in grids:
        if not any(any(v is not None for v in row) for row in grid.rows):
            continue  # an empty sheet ("Sheet2", "Sheet3") is no form
        for kind, looks_like, read in READERS:
            if looks_like(grid):
                extracts.extend(read(grid))
                kinds.append(kind)
                break
    if not extracts and grids:
        found = list(
            dict.fromkeys(
                t
                for g in grids
                for r in range(min(g.height, 12))
                for t in labels(g, r)
                if t and len(t) <= 12 and parse_number(t) is None
            )
        )
        raise InvalidData(
            [
                Finding(
                    "missing-headers",
                    grids[0].file,
                    "没有认出任何自评表：应有“三级指标”“指标值”“实际完成值”（目标完成情况表、项目支出表）或"
                    f"“三级指标”“指标分值”“自评得分”（打分表）；找到的是：{'、'.join(found[:24]) or '（空）'}",
                )
            ]
        )
    return extracts, kinds


# Most specific first: a project table also has 三级指标, 分值 and 得分, like the scoring sheet.
READERS = [
    (project_sheet.KIND, project_sheet.looks_like, project_sheet.read_project_sheet),
    (scoring_sheet.KIND, scoring_sheet.looks_like, lambda g: [scoring_sheet.read_scoring_sheet(g)]),
    (target_sheet.KIND, target_sheet.looks_like, lambda g: [target_sheet.read_target_sheet(g)]),
]


def _merge_tables(imported: Imported, ex: Extract) -> None:
    """Tables from several files: the first value of a field stands; a different value later is a problem."""
    for key, where in ex.origins.items():
        if "[" in key:  # where one item of a list stands: kept only if the list itself is taken below
            continue
        value = _get(ex.data, key)
        if key == "projects":
            imported.data.setdefault("projects", []).extend(value)
            continue
        existing = _get(imported.data, key)
        if existing is None:
            _set(imported.data, key, value)
            imported.origins[key] = where
            imported.origins.update({k: v for k, v in ex.origins.items() if k.startswith(key + "[")})
        elif existing != value:
            imported.findings.append(
                Finding(
                    "conflicting-files",
                    where,
                    f"{key} 为 {_short(value)}，与 {imported.origins[key]} 的 {_short(existing)} 不一致",
                )
            )


def _fill_from_statements(imported: Imported, statements: list[dict], where: str) -> None:
    stated = statements_to_fields(statements)
    _fill(imported.data, stated, skip=NOT_FILLED_FROM_TEXT)
    for statement in statements:
        top = statement["field"].split(".")[0].split("[")[0]
        imported.origins.setdefault(top, where)


def _fill(target: dict, source: dict, skip: set[str]) -> None:
    for key, value in source.items():
        if key in skip:
            continue
        if key not in target:
            target[key] = value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            _fill(target[key], value, skip)


def _get(data: dict, key: str):
    node = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(data: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# Cache of parsed files, keyed by content hash and by the readers' own source, so an unchanged workbook is not
# parsed twice and a changed reader never serves stale results.
def cache_dir() -> Path:
    return Path(os.environ.get("JIXIAO_CACHE", ".jixiao-cache"))


_VERSION: list[str] = []


def _reader_version() -> str:
    if not _VERSION:
        digest = hashlib.sha256()
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(module.read_bytes())
        _VERSION.append(digest.hexdigest()[:16])
    return _VERSION[0]


def _cached(path: Path, display: str, read) -> tuple[list[Extract], list[str]]:
    enabled = os.environ.get("JIXIAO_CACHE") != "off"
    file = cache_dir() / f"{sha256(path)}-{_reader_version()}.json"
    if enabled:
        try:
            hit = json.loads(file.read_text(encoding="utf-8"))
            return [_thaw(e, hit["display"], display) for e in hit["extracts"]], hit["kinds"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    extracts, kinds = read()
    if enabled:
        frozen = {"display": display, "kinds": kinds, "extracts": [_freeze(e) for e in extracts]}
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(frozen, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a read-only checkout still builds, just without the cache
    return extracts, kinds


def _freeze(ex: Extract) -> dict:
    return {
        "data": ex.data,
        "origins": ex.origins,
        "notes": ex.notes,
        "findings": [vars(f) for f in ex.findings],
    }


def _thaw(stored: dict, old: str, new: str) -> Extract:
    """A cached extract names the file as it was first read; name it as it is read now."""

    def here(text: str) -> str:
        return new + text[len(old) :] if text.startswith(old) else text

    return Extract(
        data=stored["data"],
        origins={k: here(v) for k, v in stored["origins"].items()},
        findings=[
            Finding(f["rule"], here(f["location"]), f["message"], f["severity"]) for f in stored["findings"]
        ],
        notes=[here(n) for n in stored["notes"]],
    )
