"""YAML read as hostile input (a size limit, UTF-8, safe loading, aliases that cannot expand without bound), and
a model's validation errors as findings at the line or cell the value came from.

Used for a unit's ``unit.yaml`` / ``evaluation.yaml`` and for ``site.yaml``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from jixiao import fieldpath, limits
from jixiao.findings import Finding, InvalidData, problem
from jixiao.location import Location, shorten
from jixiao.overlay import origin_of

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
    "date_from_datetime_inexact": ("invalid-date", "应为日期（如 2024-07-09），实际为 {input!r}"),
    "date_type": ("invalid-date", "应为日期（如 2024-07-09），实际为 {input!r}"),
    "finite_number": ("invalid-number", "不能是 NaN 或无穷大，实际为 {input!r}"),
    "value_error": ("invalid-value", "{error}"),
}


# libyaml's parser when PyYAML was built with it (the wheels are): several times faster on 1,000 units.
_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, SEQ, MAP = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


def _implicit_table(resolvers: dict) -> dict[str, tuple[re.Pattern, tuple[str, ...]]]:
    """PyYAML's implicit resolvers, one pattern per first character: the resolvers for that character as
    alternatives in PyYAML's order, so the first that matches wins, as in ``BaseResolver.resolve``."""
    table = {}
    for first, pairs in resolvers.items():
        if first is None:  # wildcard resolvers: SafeLoader has none, and the table could not hold them
            raise ValueError("PyYAML has wildcard implicit resolvers")
        parts = []
        for n, (_tag, regexp) in enumerate(pairs):
            flags = "x" if regexp.flags & re.X else ""
            parts.append(
                f"(?P<t{n}>(?{flags}:{regexp.pattern}))" if flags else f"(?P<t{n}>(?:{regexp.pattern}))"
            )
        table[first] = (re.compile("|".join(parts)), tuple(tag for tag, _ in pairs))
    return table


# Plain scalars already resolved, in this process (short ones, a bounded number): the tag depends on the text alone.
_RESOLVED: dict[str, str] = {}


class _Loader(_CLoader):
    """Safe loading, with an impossible date (2024-02-30) kept as the text written, for the model to reject by line.

    libyaml composes the nodes in C but asks Python for every node's tag: the resolver below gives PyYAML's own
    answer (its implicit resolvers, tried in its order) with one dictionary look-up and at most one match."""

    _implicit = _implicit_table(_CLoader.yaml_implicit_resolvers)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = _RESOLVED.get(value)  # keys and small figures recur in every unit
                if tag is None:
                    tag = STR
                    found = self._implicit.get(value[:1])  # "" for the empty scalar, as PyYAML looks it up
                    if found is not None:
                        match = found[0].match(value)
                        if match is not None:
                            tag = found[1][match.lastindex - 1]
                    if len(value) <= 40 and len(_RESOLVED) < 20_000:
                        _RESOLVED[value] = tag
                return tag
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP

    # Path resolvers (PyYAML's experimental add_path_resolver) are not used: nothing to track per node.
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


def _timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor(TIMESTAMP, _timestamp)


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers in errors) and the data built from it."""
    with _no_collection():
        return _parse(text)


def load_yaml(text: str) -> Any:
    """The data alone: the node tree is let go at once (``yaml_nodes`` composes it again for an error's line)."""
    with _no_collection():
        return _parse(text)[1]


def yaml_nodes(text: str) -> yaml.Node | None:
    """The node tree of a text ``load_yaml`` has read (for the lines of validation errors)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


@contextmanager
def _no_collection():
    """No cyclic garbage collection while libyaml makes thousands of nodes (each node, its two marks and their
    attributes are tracked objects): they form no cycles (aliases aside, and those are collected afterwards), and
    letting each collection walk them cost more than the loading itself on a unit's evaluation.yaml."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if "*" not in text:  # no alias: the nodes are a tree, built in one walk
            try:
                return node, _built(node, loader)
            except _Unusual:
                pass
        # Aliases, merge keys, explicit tags, a key that is a list: PyYAML's own construction, after the same
        # limits (counted with aliases expanded: "billion laughs" stays small as nodes).
        size = _tree_size(node) if "*" not in text else _expanded_size(node, {})
        if size > limits.MAX_YAML_NODES:
            raise _too_many()
        try:
            return node, loader.construct_document(node)
        except yaml.YAMLError:
            raise
        except Exception:  # noqa: BLE001 (a scalar its tag's constructor cannot read: the line, no traceback)
            raise _unreadable(node, loader) from None
    finally:
        loader.dispose()


_TOO_DEEP = "嵌套超过 100 层"


def _too_many() -> yaml.YAMLError:
    return yaml.YAMLError(f"锚点（&/*）展开后超过 {limits.MAX_YAML_NODES:,} 个值，疑为恶意文件")


class _Unusual(Exception):
    """What the one-walk construction leaves to PyYAML's constructor (which then gives PyYAML's value or error)."""


def _built(root: yaml.Node, loader) -> Any:
    """The document's data, as SafeLoader (with ``_timestamp``) builds it from a node tree without aliases, with
    the same limits: a node more than 100 levels below the root, or more than MAX_YAML_NODES nodes, is refused
    with the same message. Mapping keys, plain text and decimal numbers (nearly every node) are built here; any
    other scalar goes through PyYAML's constructor for its tag; anything else raises _Unusual."""
    size = 1  # nodes counted as containers are entered: every node once, as _tree_size counts
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode

    def value_of(node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == STR:
            return node.value
        text = node.value
        try:
            if tag == INT and text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1):
                return int(text)  # decimal, as construct_yaml_int reads it: no sign, "_", 0b/0x/octal or ":"
            if tag == FLOAT and _DECIMAL.fullmatch(text):
                return float(text)  # construct_yaml_float's sign * float(value): no "_", ":" or .inf/.nan
            return _SCALARS[tag](loader, node)
        except Exception:  # noqa: BLE001 (an unknown tag, !!bool maybe, 5,000 digits: PyYAML's path reports it)
            raise _Unusual from None

    def build(node: yaml.Node, depth: int) -> Any:
        nonlocal size
        items = node.value
        if items and depth >= 100:
            raise yaml.YAMLError(_TOO_DEEP)
        if node.__class__ is mapping:
            if node.tag != MAP:
                raise _Unusual
            size += 2 * len(items)
            out = {}
            for key_node, value_node in items:
                if key_node.__class__ is not scalar or key_node.tag not in _KEYS:
                    raise _Unusual  # a merge key (<<), "=", a list as key: SafeConstructor's rules
                key = key_node.value if key_node.tag == STR else value_of(key_node)
                out[key] = (
                    value_of(value_node) if value_node.__class__ is scalar else build(value_node, depth + 1)
                )
            return out
        if node.tag != SEQ:
            raise _Unusual
        size += len(items)
        return [value_of(v) if v.__class__ is scalar else build(v, depth + 1) for v in items]

    data = value_of(root) if root.__class__ is scalar else build(root, 0)
    if size > limits.MAX_YAML_NODES:
        raise _too_many()
    return data


_C = yaml.constructor.SafeConstructor
_SCALARS = {
    STR: _C.construct_yaml_str,
    INT: _C.construct_yaml_int,
    FLOAT: _C.construct_yaml_float,
    BOOL: _C.construct_yaml_bool,
    NULL: _C.construct_yaml_null,
    TIMESTAMP: _timestamp,
}
_KEYS = set(_SCALARS)
# A float as PyYAML's float resolver accepts it, that Python's float() reads the same: digits, one point, an
# optional exponent with its sign (no "_", no sexagesimal ":", no .inf/.nan).
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")


_KINDS = {INT: "整数", FLOAT: "数字", BOOL: "是/否（true/false）", NULL: "空值", TIMESTAMP: "日期"}


def _unreadable(root: yaml.Node, loader) -> yaml.YAMLError:
    """PyYAML's constructor failed with a Python error (an integer longer than Python reads, ``!!bool maybe``):
    the first scalar it cannot read, at its line."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag in _KINDS:
            try:
                _SCALARS[node.tag](loader, node)
            except Exception:  # noqa: BLE001 (the one being looked for)
                problem = f"“{shorten(node.value)}”无法读作{_KINDS[node.tag]}"
                return yaml.MarkedYAMLError(problem=problem, problem_mark=node.start_mark)
        elif isinstance(node, yaml.MappingNode):
            stack += [n for pair in reversed(node.value) for n in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return yaml.YAMLError("有无法读取的值")


def _expanded_size(node: yaml.Node, seen: dict[int, int], depth: int = 0) -> int:
    """How many values the document holds once every alias is expanded ("billion laughs" stays small as nodes).

    A node reached again while it is still being counted contains itself (``&a [*a]``): refused at its line, as
    the data built from it would hold itself and every walk over a unit's data after loading would never end."""
    known = seen.get(id(node))
    if known is not None:
        if known == 0:
            raise yaml.MarkedYAMLError(
                problem="锚点（&/*）的值包含它自己（循环引用），无法读取", problem_mark=node.start_mark
            )
        return known
    if depth > 100:
        raise yaml.YAMLError("嵌套超过 100 层")
    seen[id(node)] = 0  # being counted
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(
            _expanded_size(k, seen, depth + 1) + _expanded_size(v, seen, depth + 1) for k, v in node.value
        )
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, seen, depth + 1) for v in node.value)
    else:
        size = 1
    seen[id(node)] = min(size, limits.MAX_YAML_NODES + 1)
    return seen[id(node)]


def _tree_size(node: yaml.Node) -> int:
    """``_expanded_size`` of a document without aliases: every node once, at most 100 levels below the root."""
    size, level = 0, [node]
    for _depth in range(101):
        size += len(level)
        below: list[yaml.Node] = []
        for each in level:
            if isinstance(each, yaml.MappingNode):
                for pair in each.value:
                    below += pair
            elif isinstance(each, yaml.SequenceNode):
                below += each.value
        if not below:
            return size
        level = below
    raise yaml.YAMLError("嵌套超过 100 层")


def read_yaml_text(path: Path) -> str:
    """A YAML file's text: a regular file within the size limit, UTF-8."""
    if path.stat().st_size > limits.MAX_YAML_BYTES:
        raise InvalidData(
            [problem("file-too-large", str(path), f"YAML 文件超过 {limits.MAX_YAML_BYTES // limits.MB} MB")]
        )
    return path.read_text(encoding="utf-8")


def read_yaml(path: Path, empty_ok: bool = False) -> tuple[dict, Callable[[], yaml.Node | None]]:
    """A YAML file's mapping, and how to get its node tree (composed again, only for a validation error's line);
    an empty file is no fields when ``empty_ok`` (unit.yaml, site.yaml), and an error naming the file otherwise (an
    empty evaluation.yaml holds no evaluation)."""
    try:
        text = read_yaml_text(path)
    except UnicodeDecodeError as err:
        raise InvalidData(
            [problem("not-utf8", str(path), f"不是 UTF-8 编码的文本（第 {err.start} 字节）")]
        ) from None
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = Location(str(path), line=mark.line + 1 if mark else None)
        reason = getattr(err, "problem", None) or str(err)
        raise InvalidData([problem("yaml-syntax", where, f"YAML 格式错误：{reason}")]) from None
    nodes = cache(lambda: yaml_nodes(text))
    if raw is None and empty_ok:
        return {}, nodes
    if not isinstance(raw, dict):
        raise InvalidData([problem("invalid-value", str(path), "文件应为一组字段（映射），实际为空或列表")])
    return raw, nodes


def read_settings(path: Path, model: type[BaseModel]) -> BaseModel:
    """A small settings file (site.yaml) validated against ``model``: every problem at its line, or defaults
    when the file is empty."""
    raw, nodes = read_yaml(path, empty_ok=True)
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        raise InvalidData([validation_finding(path, nodes(), e, {}) for e in err.errors()]) from None


def validation_finding(
    path: Path, node: yaml.Node | None, error: dict[str, Any], origins: dict[str, Location]
) -> Finding:
    """A validation error, placed in the file it came from: a workbook's cell, or the YAML's line."""
    field = _field_path(error["loc"])
    rule, template = _ERRORS.get(error["type"], ("invalid-value", error["msg"]))
    context = {"input": _short(error.get("input")), **(error.get("ctx") or {})}
    try:
        message = template.format(**context)
    except (KeyError, IndexError, ValueError):
        message = error["msg"]
    origin = origin_of(field, origins) if origins else Location(field=field)
    if origin.file:
        return problem(rule, origin, message)
    return problem(
        rule, Location(str(path), line=_line_of(node, _clean_loc(error["loc"])), field=field), message
    )


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-member labels (``float``, ``str``) from a location."""
    return tuple(p for p in loc if not (isinstance(p, str) and p in {"float", "str", "int"}))


def _field_path(loc: tuple) -> str:
    """A pydantic location (list positions from 0) as a field path (items counted from 1). In a mapping keyed by
    name (authorized_by_type) an integer is the key as written, not a position: ``[2024]``; pydantic's ``[key]``
    marker (the key itself is wrong) points at the same entry."""
    parts: list[str | int] = []
    after = None
    for p in _clean_loc(loc):
        if p == "[key]":
            continue
        if fieldpath.is_mapping(after):
            parts.append(f"[{p}]")
        else:
            parts.append(p + 1 if isinstance(p, int) else p)
        after = p
    return fieldpath.join(*parts) or "（文件）"


def _short(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return shorten(value) if isinstance(value, str) else value


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
