"""Loading a unit folder costs less and gives what it gave: the same values, texts, files and refusals.

The one-walk YAML loading (jixiao/yaml_input.py ``parse_yaml``) gives what PyYAML's SafeLoader gives.

The reference is the loading as it was: libyaml's nodes with PyYAML's own resolver, the node count and depth limit,
then ``construct_document`` with the ``_timestamp`` rule. Compared on every YAML file of the repository and the
demo, and on seeded random documents built from YAML 1.1's tricky scalars (octal, 1_000, .5, +.inf, ~, yes/No/on,
2024-02-30, timestamps), quoted and plain, with explicit tags, anchors, aliases and merge keys: the same values
with the same types and key order, or the same error at the same line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import random
import stat
from pathlib import Path

import yaml

from jixiao import fieldpath, limits
from jixiao.demo import write_demo
from jixiao.forms import ORIGINAL_ONLY, READABLE
from jixiao.load import _candidates, confined_files, yaml_texts
from jixiao.location import Location
from jixiao.privacy import may_hold
from jixiao.yaml_input import _expanded_size, _Loader, _timestamp, _tree_size, parse_yaml
from tests.conftest import DATA, ROOT


class _Reference(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader as PyYAML ships it (its resolver, its constructor), with the ``_timestamp`` rule."""


_Reference.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _reference(text: str):
    loader = _Reference(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _tree_size(node) if "*" not in text else _expanded_size(node, {})
        if size > limits.MAX_YAML_NODES:
            raise yaml.YAMLError(f"锚点（&/*）展开后超过 {limits.MAX_YAML_NODES:,} 个值，疑为恶意文件")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _typed(value, seen=None):
    """A value with every type spelled out (1 vs 1.0 vs True vs "1"), dict order kept, NaN comparable."""
    seen = set() if seen is None else seen
    if isinstance(value, (dict, list, set, tuple)):
        if id(value) in seen:
            return ("recursive",)
        seen = seen | {id(value)}
    if isinstance(value, dict):
        return ("dict", [(_typed(k, seen), _typed(v, seen)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v, seen) for v in value])
    if isinstance(value, set):
        return ("set", sorted(repr(_typed(v, seen)) for v in value))
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, repr(value))


def _outcome(parse, text: str):
    try:
        return ("value", _typed(parse(text)))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return ("error", getattr(err, "problem", None) or str(err), mark.line if mark else None)
    except Exception as err:  # noqa: BLE001 (the reference's own tracebacks: KeyError for !!bool maybe)
        return ("crash", type(err).__name__)


def _compare(text: str) -> str:
    """The kind of outcome, after asserting both loaders agree on it."""
    mine = _outcome(lambda t: parse_yaml(t)[1], text)
    theirs = _outcome(_reference, text)
    if theirs[0] == "crash":
        # PyYAML raised a Python error (an integer of 5,000 digits, ``!!bool maybe``): a located YAML error now.
        assert mine[0] == "error" and mine[2] is not None, (text[:200], mine, theirs)
        return "crash"
    assert mine == theirs, text[:300]
    return theirs[0]


def test_every_yaml_file_of_the_repository_and_the_demo_loads_the_same(tmp_path):
    write_demo(tmp_path / "demo", units=4, years=[2023, 2024])
    paths = sorted(
        [*DATA.rglob("*.yaml"), *(ROOT / "tests").rglob("*.yaml"), *(tmp_path / "demo").rglob("*.yaml")]
    )
    kinds = [_compare(p.read_text(encoding="utf-8")) for p in paths]
    assert len(paths) > 20 and kinds.count("value") > 20


def _words(text: str) -> list[str]:
    return text.split()


# YAML 1.1 scalars that SafeLoader reads as something other than text, their near misses, and texts.
_SCALARS = _words("""
0 00 007 017 08 09 0o17 0x1F 0X1F 0x 0b101 0b -0b1 +12 -12 +0 -0 1_000 1__0 _1 0_7 190:20:30 -1:30 1:60
12345678901234567890 -9223372036854775809 4300
.5 -.5 +.5 1. 1.5 -1.5 +1.5 1e5 1E5 1.0e+5 1.0E-5 1.0e5 1.e+5 6.8523015e+5 685.230_15e+03 190:20:30.15 1_0.5
.inf -.Inf +.INF .NaN .nan NaN -.nan .5e+3 0.0 -0.0 1.e+400 -1.e+400 ._5 1.5.5 ..5 1.5e
yes Yes YES yEs no No NO true True TRUE tRue false False FALSE on On ON off Off OFF y Y n N
~ null Null NULL nUll nil
2024-07-09 2024-02-30 2024-7-9 2024-07-9 2024-07-09T10:00:00Z 2024-7-9t1:00:00.123456789+08:00
2024-07-09T10:00:00-5 2024-13-40T25:61:61 0000-00-00 9999-12-31T23:59:59.999999-23:59 2024-07-09T10:00:00.
中文 示例局 abc x-y 13912345678 139-1234-5678 a@b.cn 1,000 1.000,5 5% ¥12 ０１ ٣ ² <<< == =a <a
""")
_SPACED = ["2024-07-09 10:00:00", "2024-07-09  10:00:00 Z", "2024-07-09 1:00:00 +8", "a b", "1 000"]
_SPECIAL = ["", "<<", "=", "~", "!", "-", "?", ":"]
_TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!timestamp",
    "!!binary",
    "!",
    "!foo",
    "!!python/none",
]


def _scalar(rng: random.Random, key: bool = False) -> str:
    text = rng.choice(_SCALARS + _SPACED + _SPECIAL + [str(rng.randint(-(10**6), 10**6))])
    style = rng.random()
    if style < 0.6:
        out = text if text else "''"
    elif style < 0.75:
        out = "'" + text.replace("'", "''") + "'"
    elif style < 0.85:
        out = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        out = f"{rng.choice(_TAGS)} {text or chr(39) * 2}"
    return out


def _flow(rng: random.Random, depth: int, anchors: list[str]) -> str:
    roll = rng.random()
    if anchors and roll < 0.05:
        return "*" + rng.choice(anchors)
    if depth > 3 or roll < 0.55:
        return _scalar(rng)
    if roll < 0.75:
        body = ", ".join(_flow(rng, depth + 1, anchors) for _ in range(rng.randint(0, 4)))
        value = f"[{body}]"
    else:
        pairs = [
            f"{_key(rng, depth, anchors)}: {_flow(rng, depth + 1, anchors)}" for _ in range(rng.randint(0, 4))
        ]
        value = "{" + ", ".join(pairs) + "}"
    if rng.random() < 0.1:
        name = f"a{len(anchors)}"
        anchors.append(name)
        value = f"&{name} {value}"
    elif rng.random() < 0.05:
        value = f"{rng.choice(['!!seq', '!!map', '!!set', '!!omap', '!!pairs', '!bar'])} {value}"
    return value


def _key(rng: random.Random, depth: int, anchors: list[str]) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "<<"
    if roll < 0.08:
        return "? " + _flow(rng, depth + 1, anchors)
    return _scalar(rng, key=True)


def _block(rng: random.Random, indent: int, depth: int, anchors: list[str]) -> list[str]:
    """A block mapping or sequence at ``indent``, its values flow or nested blocks."""
    pad = " " * indent
    lines = []
    as_list = rng.random() < 0.35
    for _ in range(rng.randint(1, 5)):
        head = f"{pad}- " if as_list else f"{pad}{_key(rng, depth, anchors)}:"
        if depth < 4 and rng.random() < 0.35:
            lines.append(head.rstrip() if not as_list else f"{pad}-")
            lines += _block(rng, indent + 2, depth + 1, anchors)
        elif rng.random() < 0.05:
            lines += [f"{head} |", f"{pad}  {rng.choice(_SCALARS)}", f"{pad}  第二行"]
        else:
            lines.append(
                f"{head} {_flow(rng, depth, anchors)}"
                if not as_list
                else f"{head}{_flow(rng, depth, anchors)}"
            )
    return lines


def test_random_documents_load_the_same():
    rng = random.Random(20241128)
    kinds = []
    for n in range(3_000):
        anchors: list[str] = []
        text = "\n".join(_block(rng, 0, 0, anchors)) + "\n" if n % 3 else _flow(rng, 0, anchors)
        kinds.append(_compare(text))
    # The generator reaches every outcome: values, YAML errors, and PyYAML's own crashes (now located errors).
    assert kinds.count("value") > 1_000 and kinds.count("error") > 100 and kinds.count("crash") > 10, kinds


def test_every_scalar_resolves_to_pyyaml_tag():
    """The resolver (one look-up and one match) names the tag PyYAML's resolver names, for every scalar above
    and for random strings of the characters the implicit types are made of."""
    mine, theirs = _Loader(""), _Reference("")
    rng = random.Random(11)
    alphabet = "0123456789.-+_:eExXbBoOtTyYnNaAlLsSuUfFiI~<=! \tZz"
    values = _SCALARS + _SPACED + _SPECIAL
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    for value in values + values:  # the second time from the resolver's memory
        for implicit in ((True, False), (False, True), (False, False)):
            assert mine.resolve(yaml.ScalarNode, value, implicit) == theirs.resolve(
                yaml.ScalarNode, value, implicit
            ), value
    assert {mine.resolve(yaml.ScalarNode, v, (True, False)) for v in values} >= {
        f"tag:yaml.org,2002:{t}"
        for t in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value")
    }
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert mine.resolve(kind, None, True) == theirs.resolve(kind, None, True)
    mine.dispose()
    theirs.dispose()


def test_limits_hold_in_the_one_walk(monkeypatch):
    """Depth 100 and MAX_YAML_NODES: the same refusals, with and without aliases, whichever comes first."""
    monkeypatch.setattr(
        limits, "MAX_YAML_NODES", 5_000
    )  # the count is the same at any limit; 200,000 is slow
    assert _compare("[" * 101 + "]" * 101) == "value"
    assert _compare("[" * 102 + "]" * 102) == "error"
    assert _compare("a:\n" + "".join("  " * i + "- \n" for i in range(1, 103))) in {"value", "error"}
    assert _compare("{a: " * 101 + "1" + "}" * 101) == "error"
    assert _compare("[" + "1," * (limits.MAX_YAML_NODES - 1) + "]") == "value"
    assert _compare("[" + "1," * limits.MAX_YAML_NODES + "]") == "error"
    assert _compare("{" + ", ".join(f"k{i}: {i}" for i in range(limits.MAX_YAML_NODES // 2)) + "}") == "error"
    assert (
        _compare("{" + ", ".join(f"k{i}: {i}" for i in range(limits.MAX_YAML_NODES // 2 - 1)) + "}")
        == "value"
    )
    deep = "[" * 102 + "]" * 102
    assert _compare(f"[{deep}, !!bool maybe]") == "error"
    assert _compare(f"[!!bool maybe, {deep}]") == "error"
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    assert _compare(laughs) == "error"


def test_hostile_scalars_are_located_errors_not_tracebacks():
    for text, line in [
        ("a: 1\nb: " + "1" * 5_000 + "\n", 2),
        ("a:\n  - !!bool maybe\n", 2),
        ("a: &x 1\nb: [*x, !!int 1x]\n", 2),
    ]:
        try:
            parse_yaml(text)
        except yaml.YAMLError as err:
            assert err.problem_mark.line + 1 == line and "无法读作" in err.problem
        else:
            raise AssertionError(text)


def test_dates_and_types_as_safeloader_reads_them():
    node, data = parse_yaml(
        "a: 2024-02-30\nb: 2024-07-09\nc: 2024-07-09 10:00:00\nd: 0o17\ne: 017\nf: 1_000\ng: .5\nh: ~\ni: No\n"
    )
    assert data == {
        "a": "2024-02-30",
        "b": dt.date(2024, 7, 9),
        "c": dt.datetime(2024, 7, 9, 10),
        "d": "0o17",
        "e": 15,
        "f": 1000,
        "g": 0.5,
        "h": None,
        "i": False,
    }
    assert isinstance(node, yaml.MappingNode) and node.value[4][1].start_mark.line == 4


def _texts_before(found: list, file: str, node, prefix: str) -> None:
    """load._yaml_texts as it was: every text of every field, its path made with fieldpath.join."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "personal_data_allowed":
                _texts_before(found, file, value, fieldpath.join(prefix, str(key)) if prefix else str(key))
    elif isinstance(node, list):
        for n, value in enumerate(node, start=1):
            _texts_before(found, file, value, fieldpath.join(prefix, n))
    elif node is not None:
        found.append((Location(file, field=prefix), str(node)))


def test_yaml_texts_are_the_ones_the_scan_looked_at(tmp_path):
    """Only the texts ``may_hold`` lets through are kept (the scan asks it first), each at the same field path."""
    write_demo(tmp_path / "demo", units=2, years=[2024])
    paths = sorted(
        [*DATA.rglob("*.yaml"), *(ROOT / "tests").rglob("*.yaml"), *(tmp_path / "demo").rglob("*.yaml")]
    )
    documents = [parse_yaml(p.read_text(encoding="utf-8"))[1] for p in paths]
    documents.append(
        {
            "": {"": [1, {"[x]": "13912345678", 3: ["a@b.cn", None, [["13812345678"]]]}]},
            "personal_data_allowed": [{"value": "13912345678"}],
            "unit": {"personal_data_allowed": "13912345678", "tel": 13912345678, "at": "＠"},
            True: {"x.y": "联系 139 1234 5678", "": "13712345678"},
        }
    )
    documents += [["13912345678", [{"a": "a@b"}]], "13912345678", 13912345678, None]
    rng = random.Random(3)
    for _ in range(500):
        with contextlib.suppress(yaml.YAMLError):
            documents.append(parse_yaml(_flow(rng, 0, []))[1])
    kept = 0
    for document in documents:
        before: list = []
        _texts_before(before, "u/unit.yaml", document, "")
        after = yaml_texts(Path("u/unit.yaml"), document)
        assert after == [(where, text) for where, text in before if may_hold(text)], document
        kept += len(after)
    assert kept > 20


def _confined_before(folder: Path, root: Path) -> tuple[list[Path], list]:
    """load.confined_files as it was: every candidate resolved and stat'ed through pathlib."""
    names = READABLE | ORIGINAL_ONLY | {".yaml"}
    real_root = root.resolve()
    if not folder.resolve().is_relative_to(real_root):
        return [], [("unsafe-file", str(folder))]
    candidates = sorted(
        p for p in folder.iterdir() if p.suffix.lower() in names and not p.name.startswith((".", "~$"))
    )
    files, problems = [], []
    for path in candidates:
        try:
            outside = not path.resolve(strict=True).is_relative_to(real_root)
            mode = path.stat().st_mode
        except (OSError, RuntimeError):
            problems.append(("dangling", str(path)))
            continue
        if outside:
            problems.append(("outside", str(path)))
        elif stat.S_ISDIR(mode):
            continue
        elif not stat.S_ISREG(mode):
            problems.append(("special", str(path)))
        else:
            files.append(path)
    return files, problems


def test_a_unit_folder_lists_the_same_files_and_refusals(tmp_path):
    """Links (inside, outside, dangling, looping), a pipe, folders named like files, hidden and temp files, odd
    suffixes: the same files in the same order, the same refusals, as when every entry was resolved."""
    root = tmp_path / "data"
    unit, other = root / "2024" / "u", root / "2024" / "v"
    unit.mkdir(parents=True)
    other.mkdir(parents=True)
    (other / "a.xlsx").write_bytes(b"x")
    (tmp_path / "secret.xlsx").write_bytes(b"x")
    for name in [
        "evaluation.yaml",
        "B.XLSX",
        "c.Docx",
        "d.pdf",
        ".hidden.xlsx",
        "~$lock.xlsx",
        "x.",
        "e.txt",
        "f",
    ]:
        (unit / name).write_bytes(b"x")
    (unit / "dir.xlsx").mkdir()
    os.mkfifo(unit / "pipe.xlsx")
    (unit / "in.xlsx").symlink_to(other / "a.xlsx")
    (unit / "out.xlsx").symlink_to(tmp_path / "secret.xlsx")
    (unit / "gone.xlsx").symlink_to(tmp_path / "nothing.xlsx")
    (unit / "loop.xlsx").symlink_to(unit / "loop.xlsx")
    (unit / "linked-dir.docx").symlink_to(other)
    linked_unit = root / "2024" / "w"
    linked_unit.symlink_to(unit)
    outside_unit = root / "2024" / "z"
    outside_unit.symlink_to(tmp_path)
    messages = {"链接失效或循环，无法读取": "dangling", "是指向数据目录以外的链接，拒绝读取": "outside"}
    messages |= {
        "不是普通文件（设备、管道或套接字），拒绝读取": "special",
        "单位目录是指向数据目录以外的链接，拒绝读取": "unsafe-file",
    }
    checked = 0
    for folder in (unit, linked_unit, outside_unit, other):
        files, problems = confined_files(folder, root)
        before = _confined_before(folder, root)
        assert (files, [(messages[p.message], str(p.location.file)) for p in problems]) == before, folder
        assert _candidates(folder) == sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in READABLE | ORIGINAL_ONLY | {".yaml"} and not p.name.startswith((".", "~$"))
        )
        checked += len(files) + len(problems)
    assert checked > 12
