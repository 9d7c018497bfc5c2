"""Load evaluations from the data directory: ``data/<year>/<unit>/evaluation.yaml``.

The path carries the identity: a file that repeats the year or the unit's short name is checked against its
folder. Every problem in every file is collected as a Finding; nothing stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.findings import Finding, InvalidData
from jixiao.model import Evaluation

EVALUATION_FILE = "evaluation.yaml"

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


@dataclass(frozen=True)
class Loaded:
    """One evaluation and where it came from."""

    evaluation: Evaluation
    folder: Path


def find_unit_folders(data_dir: Path) -> list[Path]:
    """Every ``<year>/<unit>/`` folder holding an evaluation, in a stable order."""
    return sorted(p.parent for p in data_dir.glob(f"*/*/{EVALUATION_FILE}"))


def load_all(data_dir: Path) -> list[Loaded]:
    """Load every evaluation under ``data_dir``; raise InvalidData with all findings of all files."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InvalidData([Finding("no-data", str(data_dir), "数据目录不存在")])
    folders = find_unit_folders(data_dir)
    if not folders:
        raise InvalidData(
            [Finding("no-data", str(data_dir), f"没有找到任何 <年度>/<单位>/{EVALUATION_FILE}")]
        )
    loaded, findings = [], []
    for folder in folders:
        try:
            loaded.append(Loaded(load_unit(folder), folder))
        except InvalidData as err:
            findings.extend(err.findings)
    if findings:
        raise InvalidData(findings)
    return loaded


def load_unit(folder: Path) -> Evaluation:
    """Load and validate ``folder/evaluation.yaml``, checked against the folder's year and unit name."""
    path = folder / EVALUATION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InvalidData(
            [Finding("not-utf8", str(path), f"不是 UTF-8 编码的文本（第 {err.start} 字节）")]
        ) from None
    try:
        node = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise InvalidData([Finding("yaml-syntax", where, f"YAML 格式错误：{problem}")]) from None
    if not isinstance(raw, dict):
        raise InvalidData([Finding("invalid-value", str(path), "文件应为一组字段（映射），实际为空或列表")])
    try:
        evaluation = Evaluation.model_validate(raw)
    except ValidationError as err:
        raise InvalidData([_finding(path, node, e) for e in err.errors()]) from None
    mismatches = list(_identity_findings(path, evaluation))
    if mismatches:
        raise InvalidData(mismatches)
    if evaluation.unit.short_name is None:
        evaluation.unit.short_name = folder.name
    return evaluation


def _identity_findings(path: Path, evaluation: Evaluation):
    unit_dir, year_dir = path.parent.name, path.parent.parent.name
    if str(evaluation.year) != year_dir:
        yield Finding("path-mismatch", f"{path}: year", f"年度 {evaluation.year} 与目录 {year_dir} 不一致")
    short = evaluation.unit.short_name
    if short is not None and short != unit_dir:
        yield Finding("path-mismatch", f"{path}: unit.short_name", f"简称“{short}”与目录“{unit_dir}”不一致")


def _finding(path: Path, node: yaml.Node | None, error: dict[str, Any]) -> Finding:
    loc = _clean_loc(error["loc"], error["type"])
    rule, template = _ERRORS.get(error["type"], ("invalid-value", error["msg"]))
    context = {"input": _short(error.get("input")), **(error.get("ctx") or {})}
    try:
        message = template.format(**context)
    except (KeyError, IndexError, ValueError):
        message = error["msg"]
    line = _line_of(node, loc)
    where = f"（第 {line} 行）" if line else ""
    return Finding(rule, f"{path}: {_dotted(loc)}", message + where)


def _clean_loc(loc: tuple, error_type: str) -> tuple:
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
