"""A document without aliases is counted as a tree (jixiao/yaml_input.py ``_tree_size``): the same count and the
same depth limit as the walk that follows aliases, so the same files are refused with the same message."""

from __future__ import annotations

import pytest
import yaml

from jixiao import limits
from jixiao.demo import write_demo
from jixiao.yaml_input import _expanded_size, _Loader, _tree_size, parse_yaml
from tests.conftest import DATA


def _node(text: str) -> yaml.Node:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _documents(demo) -> list[str]:
    write_demo(demo, units=3, years=[2024])
    paths = sorted([*DATA.rglob("*.yaml"), *demo.rglob("*.yaml")])
    texts = [t for t in (p.read_text(encoding="utf-8") for p in paths) if "*" not in t]
    assert len(texts) > 3 and max(map(len, texts)) > 5_000
    return [
        *texts,
        "a: 1",
        "[]",
        "{a: [1, 2, {b: c}], d: {e: [f, [g, h]]}}",
        "[" * 100 + "]" * 100,  # 100 levels below the root: allowed
    ]


def test_the_tree_count_is_the_walks(tmp_path):
    for text in _documents(tmp_path / "demo"):
        node = _node(text)
        assert _tree_size(node) == _expanded_size(node, {}), text[:80]


def test_too_deep_and_too_many_are_refused_as_before():
    with pytest.raises(yaml.YAMLError, match="嵌套超过 100 层"):
        parse_yaml("[" * 102 + "]" * 102)
    with pytest.raises(yaml.YAMLError, match="展开后超过"):
        parse_yaml("[" + "1," * limits.MAX_YAML_NODES + "]")
    node, data = parse_yaml("[" + "1," * (limits.MAX_YAML_NODES - 2) + "]")
    assert len(data) == limits.MAX_YAML_NODES - 2
