"""The 数据格式 page, generated from the model's declarations so documentation and code cannot drift."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel

from jixiao.model import Evaluation, SiteInfo
from jixiao.render.fmt import md_cell

_TYPE_NAMES = {float: "数字", int: "整数", str: "文字", bool: "是/否", object: "任意值"}


def _type_name(annotation) -> tuple[str, type[BaseModel] | None]:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names, nested = zip(*(_type_name(a) for a in args), strict=True)
        return " 或 ".join(dict.fromkeys(names)), next((n for n in nested if n), None)
    if origin is list:
        name, nested = _type_name(args[0])
        return f"{name}的列表", nested
    if origin is dict:
        return "名称→" + _type_name(args[1])[0], None
    if origin is typing.Literal:
        return "、".join(str(a) for a in typing.get_args(annotation)) + " 之一", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"见“{_heading(annotation)}”", annotation
    return _TYPE_NAMES.get(annotation, getattr(annotation, "__name__", str(annotation))), None


# Headings in Chinese: a part is named by the title of the field that holds it (Funds -> 资金收支).
ROOT_HEADINGS = {
    Evaluation: ("一份自评", "每个单位每年一份 evaluation.yaml，各部分如下。"),
    SiteInfo: ("网站设置", "数据目录顶层的 site.yaml（可选）：网站名称、所属县、网址等。"),
}


def _heading(model: type[BaseModel]) -> str:
    if model in ROOT_HEADINGS:
        return ROOT_HEADINGS[model][0]
    return _part_titles().get(model, model.__name__)


def _part_titles() -> dict:
    titles: dict = {}
    queue = [Evaluation]
    while queue:
        model = queue.pop(0)
        for field in model.model_fields.values():
            nested = _nested(field.annotation)
            if nested and nested not in titles and nested is not Evaluation:
                titles[nested] = field.title or nested.__name__
                queue.append(nested)
    return titles


def _nested(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested(arg)
        if found:
            return found
    return None


def _unit(annotation) -> str:
    """The unit declared on a field's type, e.g. 万元 on ``Money`` inside ``Money | None``."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            extra = getattr(meta, "json_schema_extra", None)
            if isinstance(extra, dict) and "unit" in extra:
                return extra["unit"]
    return next((u for a in typing.get_args(annotation) if (u := _unit(a))), "")


def _constraints(field) -> str:
    parts = []
    for meta in field.metadata:
        for attr, label in (("ge", "≥"), ("le", "≤"), ("min_length", "最短"), ("pattern", "格式")):
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(f"{label} {value}")
    return "，".join(parts)


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen, queue = [], [root]
    while queue:
        model = queue.pop(0)
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            nested = _type_name(field.annotation)[1]
            if nested:
                queue.append(nested)
    return seen


def render_data_format_page() -> str:
    lines = [
        "---",
        "title: 数据格式",
        "---",
        "",
        "# 数据格式",
        "",
        "每个单位每年一份 `data/<年度>/<单位简称>/evaluation.yaml`，与 `jixiao import` 输出的 JSON 结构相同。"
        "金额单位为万元，比率为百分数（45.9 表示 45.9%）。未列出的字段会被视为错误（防止拼写错误被悄悄忽略）；"
        "“必填”以外的字段可以省略。本页由程序根据数据模型的声明自动生成。",
        "",
    ]
    for model in [*_models(Evaluation), SiteInfo]:
        lines += [f"## {_heading(model)}", ""]
        if model in ROOT_HEADINGS:
            lines += [ROOT_HEADINGS[model][1], ""]
        lines += ["| 字段 | 名称 | 类型 | 单位 | 必填 | 约束 | 说明 |", "|---|---|---|---|---|---|---|"]
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            cells = [
                f"`{name}`",
                md_cell(field.title or ""),
                md_cell(_type_name(field.annotation)[0]),
                md_cell(extra.get("unit") or _unit(field.annotation)),
                "是" if field.is_required() else "",
                md_cell(_constraints(field)),
                md_cell(field.description or ""),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
