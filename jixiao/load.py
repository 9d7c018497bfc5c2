"""Load evaluations from the data directory: ``data/<year>/<unit>/``.

A unit folder holds the files as received (自评表.xlsx, 打分表.xls, 自评报告.docx, …) and/or one YAML file:
``evaluation.yaml`` (the whole evaluation, when there are no files) or ``unit.yaml`` (what the files lack, and
corrections). The path carries the identity: a file that repeats the year or the unit's short name is checked
against its folder. Every problem in every file is collected as a Finding; nothing stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.findings import Finding, InvalidData
from jixiao.forms import ORIGINAL_ONLY, READABLE, import_files, sha256
from jixiao.model import Evaluation
from jixiao.overlay import apply_corrections, apply_overlay

EVALUATION_FILE = "evaluation.yaml"
UNIT_FILE = "unit.yaml"
YAML_FILES = (EVALUATION_FILE, UNIT_FILE)

# pydantic error type -> (rule id, Chinese message template)
_ERRORS = {
    "missing": ("missing-field", "缺少必填字段"),
    "extra_forbidden": ("unknown-field", "未知字段（是否拼写有误？）"),
    "float_parsing": ("invalid-number", "应为数字，实际为 {input!r}"),
    "float_type": ("invalid-number", "应为数字，实际为 {input!r}"),
    "int_parsing": ("invalid-number", "应为整数，实际为 {input!r}"),
    "int_type": ("invalid-number", "应为整数，实际为 {input!r}"),
    "int_from_float": ("invalid-number", "应为整数，实际为 {input!r}"),
    "greater_than_equal": ("out-of-range", "不能小于 {ge}，实际为 {input!r}"),
    "less_than_equal": ("out-of-range", "不能大于 {le}，实际为 {input!r}"),
    "literal_error": ("invalid-value", "应为 {expected} 之一，实际为 {input!r}"),
    "string_too_short": ("missing-field", "不能为空"),
    "string_type": ("invalid-value", "应为文字，实际为 {input!r}"),
    "list_type": ("invalid-value", "应为列表，实际为 {input!r}"),
    "model_type": ("invalid-value", "应为一组字段（映射），实际为 {input!r}"),
    "dict_type": ("invalid-value", "应为一组字段（映射），实际为 {input!r}"),
    "date_from_datetime_parsing": ("invalid-date", "应为日期（如 2024-07-09），实际为 {input!r}"),
    "date_parsing": ("invalid-date", "应为日期（如 2024-07-09），实际为 {input!r}"),
}


@dataclass
class Loaded:
    """One evaluation, the folder it came from, where each field came from, and what the checks found."""

    evaluation: Evaluation
    folder: Path
    origins: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def find_unit_folders(data_dir: Path) -> list[Path]:
    """Every ``<year>/<unit>/`` folder holding an evaluation (YAML or official files), in a stable order."""
    return sorted(
        folder
        for folder in data_dir.glob("*/*")
        if folder.is_dir() and folder.parent.name.isdigit() and unit_files(folder)
    )


def unit_files(folder: Path) -> list[Path]:
    """The files of a unit folder that jixiao reads or publishes, in a stable order (no hidden or temp files)."""
    names = READABLE | ORIGINAL_ONLY | {".yaml"}
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in names and not p.name.startswith((".", "~$"))
    )


def load_all(data_dir: Path) -> list[Loaded]:
    """Load every evaluation under ``data_dir``; raise InvalidData with all findings of all files."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InvalidData([Finding("no-data", str(data_dir), "数据目录不存在")])
    folders = find_unit_folders(data_dir)
    if not folders:
        raise InvalidData(
            [
                Finding(
                    "no-data",
                    str(data_dir),
                    "没有找到任何单位目录 <年度>/<单位>/（应含自评表文件或 evaluation.yaml）",
                )
            ]
        )
    loaded, findings = [], []
    for folder in folders:
        try:
            loaded.append(load_unit_with_origins(folder))
        except InvalidData as err:
            findings.extend(err.findings)
    if findings:
        raise InvalidData(findings)
    return loaded


def load_unit(folder: Path) -> Evaluation:
    """Load a unit folder: its files merged with its YAML, corrections applied, checked against the path."""
    return load_unit_with_origins(folder).evaluation


def load_unit_with_origins(folder: Path) -> Loaded:
    folder = Path(folder)
    data, origins, where, node = assemble(folder)
    try:
        evaluation = Evaluation.model_validate(data)
    except ValidationError as err:
        raise InvalidData([_finding(where, node, e, origins) for e in err.errors()]) from None
    mismatches = list(_identity_findings(folder, where, evaluation))
    if mismatches:
        raise InvalidData(mismatches)
    return Loaded(evaluation, folder, origins)


def assemble(folder: Path) -> tuple[dict, dict[str, str], Path, yaml.Node | None]:
    """The canonical dict of a unit folder before validation, where each part came from, and its YAML."""
    files = unit_files(folder)
    yamls = [p for p in files if p.name in YAML_FILES]
    if len(yamls) > 1:
        raise InvalidData([Finding("two-yaml", str(folder), "evaluation.yaml 与 unit.yaml 只能有一个")])
    stray = [p for p in files if p.suffix.lower() == ".yaml" and p.name not in YAML_FILES]
    if stray:
        raise InvalidData(
            [
                Finding("unknown-file", str(p), "不认识的 YAML 文件：应为 unit.yaml 或 evaluation.yaml")
                for p in stray
            ]
        )
    where = yamls[0] if yamls else folder / UNIT_FILE
    overlay, node = _read_yaml(yamls[0]) if yamls else ({}, None)
    readable = [p for p in files if p.suffix.lower() in READABLE]
    originals = [p for p in files if p.suffix.lower() in ORIGINAL_ONLY]

    data: dict = {}
    origins: dict[str, str] = {}
    findings: list[Finding] = []
    if readable:
        imported = import_files(readable)
        data, origins = imported.data, imported.origins
        data["sources"] = imported.sources
        findings += apply_overlay(data, overlay, str(where), origins)
    else:
        data = {k: v for k, v in overlay.items() if k != "corrections"}
    if originals:
        data.setdefault("sources", []).extend(
            {"file": p.name, "sha256": sha256(p), "kind": "原件（未读取内容）"} for p in originals
        )
    applied, problems = apply_corrections(data, overlay.get("corrections") or [], str(where))
    findings += problems
    if applied:
        data["corrections"] = applied
    if findings:
        raise InvalidData(findings)
    data.setdefault("year", int(folder.parent.name) if folder.parent.name.isdigit() else None)
    if isinstance(data.get("unit"), dict):
        data["unit"].setdefault("short_name", folder.name)
    return data, origins, where, node


# libyaml's parser when PyYAML was built with it (the wheels are): several times faster on 1,000 units.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers in errors) and the data built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _read_yaml(path: Path) -> tuple[dict, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InvalidData(
            [Finding("not-utf8", str(path), f"不是 UTF-8 编码的文本（第 {err.start} 字节）")]
        ) from None
    try:
        node, raw = parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise InvalidData([Finding("yaml-syntax", where, f"YAML 格式错误：{problem}")]) from None
    if raw is None and path.name == UNIT_FILE:
        return {}, node
    if not isinstance(raw, dict):
        raise InvalidData([Finding("invalid-value", str(path), "文件应为一组字段（映射），实际为空或列表")])
    return raw, node


def _identity_findings(folder: Path, where: Path, evaluation: Evaluation):
    unit_dir, year_dir = folder.name, folder.parent.name
    if str(evaluation.year) != year_dir:
        yield Finding("path-mismatch", f"{where}: year", f"年度 {evaluation.year} 与目录 {year_dir} 不一致")
    short = evaluation.unit.short_name
    if short is not None and short != unit_dir:
        yield Finding("path-mismatch", f"{where}: unit.short_name", f"简称“{short}”与目录“{unit_dir}”不一致")


def _finding(path: Path, node: yaml.Node | None, error: dict[str, Any], origins: dict[str, str]) -> Finding:
    """A validation error, placed in the file it came from: a workbook's cell, or the YAML's line."""
    from jixiao.overlay import origin_of

    loc = _clean_loc(error["loc"])
    rule, template = _ERRORS.get(error["type"], ("invalid-value", error["msg"]))
    context = {"input": _short(error.get("input")), **(error.get("ctx") or {})}
    try:
        message = template.format(**context)
    except (KeyError, IndexError, ValueError):
        message = error["msg"]
    dotted = ".".join(str(p) for p in loc if isinstance(p, str))
    if origins and any(dotted == k or dotted.startswith(k + ".") for k in origins):
        return Finding(rule, f"{origin_of(dotted, origins)}: {_dotted(loc)}", message)
    line = _line_of(node, loc)
    where = f"（第 {line} 行）" if line else ""
    return Finding(rule, f"{path}: {_dotted(loc)}", message + where)


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-member labels (``float``, ``str``) from a location."""
    cleaned = tuple(p for p in loc if not (isinstance(p, str) and p in {"float", "str", "int", "date"}))
    return cleaned


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(文件)"


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 40:
        return value[:40] + "…"
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return value


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """The 1-based line in the YAML file of the deepest node on ``loc`` that exists."""
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
            if node is None:
                # The key itself may be the problem (unknown field): point at it.
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line
