"""Where a value or a problem stands: the one location model shared by readers, overlay, checks and pages.

A ``Location`` names a file and a place in it (a sheet and cell or row, a line, a part such as a header or a
document property) and/or a field of the evaluation (a path from ``jixiao.fieldpath``, items counted from 1). It is
formatted in one place, two ways:

- for the terminal, compiler-style: ``data/2024/宝城镇/自评表.xlsx:Sheet1!H20: indicators[3].actual``;
- for readers, in words: ``自评表.xlsx › 工作表“Sheet1” › H20 单元格 › 年度绩效指标 › 第 3 项 › 实际完成值``.

File and sheet names come from the people who send files: long digit runs in them (a mobile number used as a
file name) are masked wherever a location is shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from pathlib import PurePath
from typing import Any, get_args, get_origin

from jixiao import fieldpath
from jixiao.privacy import halfwidth, masked

SHORT = 40
_LONG_DIGITS = re.compile(r"\d[\d\s\-.]{9,}\d")


def shorten(value: object, limit: int = SHORT) -> str:
    """A value as a message quotes it: whole if short, else cut with "…"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 120, as the sheet shows it, not Python's 120.0
    text = value if isinstance(value, str) else _json(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def masked_name(text: str) -> str:
    """A file or sheet name with its personal data masked (``13912345678报表`` -> ``139****5678报表``, also
    ``１３９ １２３４ ５６７８``, ``zhang@example.com``), and any other long digit run too, to be safe."""

    def mask(m: re.Match) -> str:
        digits = re.sub(r"\D", "", halfwidth(m.group(0)))
        if len(digits) < 11:
            return m.group(0)
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]

    return _LONG_DIGITS.sub(mask, masked(text))


@dataclass(frozen=True)
class Location:
    file: str | None = None
    sheet: str | None = None  # a worksheet, an HTML table ("表2"), a PDF page ("第 3 页")
    cell: str | None = None  # "H20"
    row: int | None = None  # 1-based, when the place is a whole row of a sheet
    line: int | None = None  # 1-based line of a text file (YAML)
    part: str | None = None  # a part without cells: "第 12 段", "第 1 节页眉", "文档属性 creator"
    field: str | None = None  # a field path, items counted from 1: "indicators[3].actual"

    # Building ----------------------------------------------------------------------------------------------
    def at(self, field: str | None) -> Location:
        """The same place, speaking about ``field``."""
        return replace(self, field=field)

    def in_file(self, file: str) -> Location:
        return replace(self, file=file)

    def in_part(self, part: str) -> Location:
        return replace(self, part=part)

    # Formatting --------------------------------------------------------------------------------------------
    def terminal(self) -> str:
        """``path:sheet!C12: part: field`` — what a clerk sees in the terminal, findings.csv and logs."""
        head = masked_name(self.file) if self.file else ""
        if self.sheet is not None:
            head += f":{masked_name(self.sheet)}"
            if self.cell:
                head += f"!{self.cell}"
            elif self.row is not None:
                head += f"!{self.row}"
        elif self.line is not None:
            head += f":{self.line}"
        elif self.row is not None:
            head += f":第 {self.row} 行"
        # A part's title and a field path may carry what a file holds (an unknown key written as a name and mobile):
        # masked as file names are.
        parts = [head, *(masked_name(p) for p in (self.part, self.field) if p)]
        parts = [p for p in parts if p]
        return ": ".join(parts) or "（未知位置）"

    __str__ = terminal

    def words(self, data: dict | None = None, with_file: bool = True) -> str:
        """The place in words for a reader: file name, sheet, cell or row, then the field by its Chinese titles.

        ``data`` (the evaluation's canonical dict) lets a list item be named: 第 3 项“便民服务中心入驻人数”.
        """
        out = []
        if with_file and self.file:
            out.append(masked_name(PurePath(self.file).name))
        if self.sheet is not None:
            sheet = masked_name(self.sheet)
            out.append(sheet if re.match(r"^(表\s*\d+|第\s*\d+\s*页)$", sheet) else f"工作表“{sheet}”")
        if self.cell:
            out.append(f"{self.cell} 单元格")
        elif self.row is not None:
            out.append(f"第 {self.row} 行")
        if self.line is not None:
            out.append(f"第 {self.line} 行")
        if self.part:
            out.append(masked_name(self.part))
        if self.field:
            out.append(masked_name(field_words(self.field, data)))
        return " › ".join(out) or "—"

    # Storage (the parse cache) -----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, stored: dict) -> Location:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in stored.items() if k in names})


def field_words(path: str, data: dict | None = None) -> str:
    """``funds.execution_progress[6].rate`` -> ``资金收支 › 支出执行进度 › 1—6 月 › 所述执行率``."""
    from jixiao.model import Evaluation

    words: list[str] = []
    model: Any = Evaluation
    node: Any = data
    list_name = None
    for step in fieldpath.parse(path):
        if step.key is not None:
            title, model = _title(model, step.key)
            words.append(title)
            node = node.get(step.key) if isinstance(node, dict) else None
            list_name = step.key
            continue
        try:
            entry = fieldpath.pick(node, step, list_name) if isinstance(node, list) else None
        except LookupError:
            entry = None
        if list_name == "execution_progress" and step.position is not None:
            words.append(f"1—{step.position} 月")
        elif step.position is not None:
            name = entry.get("name") if isinstance(entry, dict) else None
            words.append(f"第 {step.position} 项" + (f"“{shorten(name, 24)}”" if name else ""))
        else:
            words.append(f"“{shorten(step.name, 24)}”")
        node = entry
    return " › ".join(words)


@cache
def _fields_of(model: Any) -> dict:
    return getattr(model, "model_fields", {}) or {}


def _title(model: Any, key: str) -> tuple[str, Any]:
    """The Chinese title of ``key`` on ``model`` and the model of its value (items of a list)."""
    info = _fields_of(model).get(key) if model is not None else None
    if info is None:
        return key, None
    return info.title or key, _inner_model(info.annotation)


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside ``list[X]``, ``X | None``, ``dict[str, X]``; None for plain values."""
    if hasattr(annotation, "model_fields"):
        return annotation
    if get_origin(annotation) is not None or get_args(annotation):
        for arg in get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
