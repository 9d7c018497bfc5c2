"""Readers of the official forms: workbooks, web pages, PDFs and Word reports (jixiao.forms.files).

``import_files`` reads any number of files into one canonical dict. Tables win over what the report's text states;
the report's standard sentences fill the fields no table gives (and stay in ``report.stated`` for the checks).
Every problem of every file is collected; nothing half-imported is returned silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jixiao import fieldpath
from jixiao.findings import Finding, InvalidData, problem
from jixiao.forms.cache import cache_dir, reader_version
from jixiao.forms.files import (
    ORIGINAL_ONLY,
    READABLE,
    UNREAD_ORIGINAL,
    read_file,
    read_original,
)
from jixiao.forms.input_file import FileRead, Text
from jixiao.forms.statements import statements_to_fields
from jixiao.forms.tables import Extract
from jixiao.location import Location, shorten

__all__ = [
    "ORIGINAL_ONLY",
    "READABLE",
    "UNREAD_ORIGINAL",
    "FileRead",
    "Imported",
    "Text",
    "cache_dir",
    "import_files",
    "read_file",
    "read_original",
    "reader_version",
]

# Filled from the report's sentences only for checking, never as data: items need their 一级/二级 from the sheet.
NOT_FILLED_FROM_TEXT = {"items", "check"}


@dataclass
class Imported:
    data: dict = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    unscanned: dict[str, list[str]] = field(default_factory=dict)  # file name -> why it cannot be scanned


def import_files(paths: list[Path]) -> Imported:
    """Read every file; raise InvalidData listing every problem of every file when any is an error (warnings and
    infos about single cells or skipped tables come back with the data)."""
    imported = Imported()
    reports: list[tuple[dict, Location]] = []
    for path in paths:
        display = str(path)
        try:
            read = read_file(Path(path), display)
        except InvalidData as err:
            imported.findings.extend(err.findings)
            continue
        extracts, kinds = read.extracts, read.kinds
        imported.texts.extend(read.texts)
        imported.explain.extend(read.explain)
        if read.unscanned:
            imported.unscanned[Path(path).name] = read.unscanned
        source = {"file": Path(path).name, "sha256": read.sha256, "kind": "、".join(kinds) or None}
        notes = [n for ex in extracts for n in ex.notes]
        if notes:
            source["notes"] = notes
        imported.sources.append({k: v for k, v in source.items() if v is not None})
        for ex in extracts:
            imported.findings.extend(ex.findings)
            if "report" in ex.data:
                reports.append((ex.data["report"], ex.origins["report"]))
            _merge_tables(imported, ex)
    for report, where in reports:
        if "report" not in imported.data:
            imported.data["report"] = report
            imported.origins["report"] = where
        _fill_from_statements(imported, report.get("stated", []), where)
    if any(f.severity == "error" for f in imported.findings):
        raise InvalidData(imported.findings)
    return imported


def _merge_tables(imported: Imported, ex: Extract) -> None:
    """Tables from several files: the first value of a field stands; a different value later is a problem."""
    for key, where in ex.origins.items():
        if key == "projects":
            _merge_projects(imported, ex)
            continue
        if "[" in key:  # where one item of a list stands: kept only if the list itself is taken below
            continue
        value = fieldpath.get(ex.data, key)
        existing = fieldpath.get(imported.data, key)
        if existing is None:
            fieldpath.put(imported.data, key, value)
            imported.origins[key] = where
            imported.origins.update({k: v for k, v in ex.origins.items() if k.startswith(key + "[")})
        elif existing != value:
            imported.findings.append(
                problem(
                    "conflicting-files",
                    where.at(key),
                    f"此处为 {shorten(value)}，与 {imported.origins[key].terminal()} 的 {shorten(existing)} 不一致",
                )
            )


def _merge_projects(imported: Imported, ex: Extract) -> None:
    """Projects from several tables follow one another; each keeps the places of its parts, renumbered."""
    projects = imported.data.setdefault("projects", [])
    offset = len(projects)
    projects.extend(ex.data.get("projects", []))
    imported.origins.setdefault("projects", ex.origins["projects"])
    for key, where in ex.origins.items():
        if key.startswith("projects["):
            position, rest = key[len("projects[") :].split("]", 1)
            imported.origins[f"projects[{int(position) + offset}]{rest}"] = where


def _fill_from_statements(imported: Imported, statements: list[dict], where: Location) -> None:
    stated = statements_to_fields(statements)
    _fill(imported.data, stated, skip=NOT_FILLED_FROM_TEXT)
    for statement in statements:
        top = fieldpath.parse(statement["field"])[0].key
        imported.origins.setdefault(top, where)


def _fill(target: dict, source: dict, skip: set[str]) -> None:
    for key, value in source.items():
        if key in skip:
            continue
        if key not in target:
            target[key] = value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            _fill(target[key], value, skip)
