"""Load evaluations from the data directory: ``data/<year>/<unit>/``.

A unit folder holds the files as received (自评表.xlsx, 打分表.xls, 自评报告.docx, …) and/or one YAML file:
``evaluation.yaml`` (the whole evaluation, when there are no files) or ``unit.yaml`` (what the files lack, and
corrections). The path carries the identity: a file that repeats the year or the unit's short name is checked
against its folder. Every problem in every file is collected as a Finding; nothing stops at the first.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from jixiao import gate
from jixiao.findings import Finding, InvalidData, problem
from jixiao.forms import ORIGINAL_ONLY, READABLE, UNREAD_ORIGINAL, Text, import_files, read_original
from jixiao.location import Location
from jixiao.model import Evaluation
from jixiao.overlay import apply_corrections, apply_overlay, origin_of
from jixiao.privacy import may_hold
from jixiao.yaml_input import read_yaml, validation_finding

EVALUATION_FILE = "evaluation.yaml"
UNIT_FILE = "unit.yaml"
YAML_FILES = (EVALUATION_FILE, UNIT_FILE)


@dataclass
class Loaded:
    """One evaluation, the folder it came from, where each field came from, and what the checks found."""

    evaluation: Evaluation
    folder: Path
    origins: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Every text of every file with its place, read once with the files (personal-data scan); of the YAML fields,
    # those that may hold personal data (``yaml_texts``).
    texts: list[Text] = field(default_factory=list)
    # What the readers said about the files without refusing them (a cell not read, a table skipped).
    read_findings: list[Finding] = field(default_factory=list)


def find_unit_folders(data_dir: Path) -> list[Path]:
    """Every ``<year>/<unit>/`` folder holding an evaluation (YAML or official files), in a stable order.

    A folder that is a link is listed too, so that loading refuses it by name rather than skipping it silently."""
    return sorted(
        folder
        for folder in data_dir.glob("*/*")
        if folder.parent.name.isdigit() and (folder.is_symlink() or (folder.is_dir() and _candidates(folder)))
    )


def _candidates(folder: Path) -> list[Path]:
    """Entries named like files jixiao reads or publishes (no hidden or temp files), whatever they really are."""
    return [Path(entry.path) for entry in _candidate_entries(folder)]


_NAMES = READABLE | ORIGINAL_ONLY | {".yaml"}


def _candidate_entries(folder: Path) -> list[os.DirEntry]:
    """``_candidates`` as directory entries, in the same order (by name), each knowing whether it is a link."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return []
    return sorted(
        (e for e in entries if _suffix(e.name).lower() in _NAMES and not e.name.startswith((".", "~$"))),
        key=lambda e: e.name,
    )


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``: from the last dot, unless the name starts or ends with it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def unit_files(folder: Path, root: Path | None = None) -> list[Path]:
    """The files of a unit folder that jixiao reads or publishes, in a stable order; raise InvalidData for any that
    lies outside the data folder ``root`` (through a link) or is no regular file (a device, a pipe, a socket)."""
    files, problems = confined_files(Path(folder), root)
    if problems:
        raise InvalidData(problems)
    return files


def confined_files(folder: Path, root: Path | None = None) -> tuple[list[Path], list[Finding]]:
    """Only the data folder is read: links leading out of it and special files are refused, each by name."""
    real_root = (root or folder.parent.parent).resolve()
    if not folder.resolve().is_relative_to(real_root):
        return [], [problem("unsafe-file", str(folder), "单位目录是指向数据目录以外的链接，拒绝读取")]
    files, problems = [], []
    for entry in _candidate_entries(folder):
        path = folder / entry.name
        try:
            if entry.is_symlink():
                outside = not path.resolve(strict=True).is_relative_to(real_root)
                mode = path.stat().st_mode
            else:
                # Not a link, in a folder that resolves inside the root: inside too, and its type is known from
                # the listing without asking the file system for each file again.
                outside = False
                mode = (
                    stat.S_IFDIR
                    if entry.is_dir(follow_symlinks=False)
                    else stat.S_IFREG
                    if entry.is_file(follow_symlinks=False)
                    else entry.stat(follow_symlinks=False).st_mode
                )
        except (OSError, RuntimeError):  # a dangling or looping link
            problems.append(problem("unsafe-file", str(path), "链接失效或循环，无法读取"))
            continue
        if outside:
            problems.append(problem("unsafe-file", str(path), "是指向数据目录以外的链接，拒绝读取"))
        elif stat.S_ISDIR(mode):
            continue
        elif not stat.S_ISREG(mode):
            problems.append(problem("unsafe-file", str(path), "不是普通文件（设备、管道或套接字），拒绝读取"))
        else:
            files.append(path)
    return files, problems


def unit_folders(data_dir: Path) -> list[Path]:
    """The unit folders under ``data_dir``; InvalidData when there is no such directory or none in it."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InvalidData([problem("no-data", str(data_dir), "数据目录不存在")])
    folders = find_unit_folders(data_dir)
    if not folders:
        raise InvalidData(
            [
                problem(
                    "no-data",
                    str(data_dir),
                    "没有找到任何单位目录 <年度>/<单位>/（应含自评表文件或 evaluation.yaml）",
                )
            ]
        )
    return folders


def load_unit(folder: Path) -> Evaluation:
    """Load a unit folder: its files merged with its YAML, corrections applied, checked against the path."""
    return load_unit_with_origins(folder).evaluation


def load_unit_with_origins(folder: Path, root: Path | None = None) -> Loaded:
    folder = Path(folder)
    notices: list[Finding] = []
    data, origins, where, nodes, texts = assemble(folder, notices, root)
    try:
        evaluation = Evaluation.model_validate(data)
    except ValidationError as err:
        raise InvalidData([validation_finding(where, nodes(), e, origins) for e in err.errors()]) from None
    mismatches = list(_identity_findings(folder, where, evaluation, origins))
    if mismatches:
        raise InvalidData(mismatches)
    return Loaded(evaluation, folder, origins, texts=texts, read_findings=notices)


def assemble(
    folder: Path, notices: list[Finding] | None = None, root: Path | None = None
) -> tuple[dict, dict[str, Location], Path, Callable[[], yaml.Node | None], list[Text]]:
    """The canonical dict of a unit folder before validation, where each part came from, how to get its YAML's
    node tree (for the lines of validation errors) and its texts; the readers' warnings and infos are added to
    ``notices``."""
    files = unit_files(folder, root)
    yamls = [p for p in files if p.name in YAML_FILES]
    if len(yamls) > 1:
        raise InvalidData([problem("two-yaml", str(folder), "evaluation.yaml 与 unit.yaml 只能有一个")])
    stray = [p for p in files if p.suffix.lower() == ".yaml" and p.name not in YAML_FILES]
    if stray:
        raise InvalidData(
            [
                problem("unknown-file", str(p), "不认识的 YAML 文件：应为 unit.yaml 或 evaluation.yaml")
                for p in stray
            ]
        )
    where = yamls[0] if yamls else folder / UNIT_FILE
    overlay, nodes = read_yaml(yamls[0], empty_ok=yamls[0].name == UNIT_FILE) if yamls else ({}, _no_nodes)
    readable = [p for p in files if p.suffix.lower() in READABLE]
    originals = [p for p in files if p.suffix.lower() in ORIGINAL_ONLY]

    data: dict = {}
    origins: dict[str, Location] = {}
    findings: list[Finding] = []
    # File names are texts too: a mobile number used as a file name is found like one in a cell.
    texts: list[Text] = [(Location(str(p), part="文件名"), p.name) for p in files]
    texts += yaml_texts(where, overlay) if yamls else []
    unscanned: dict[str, list[str]] = {}
    if readable:
        imported = import_files(readable)
        data, origins = imported.data, imported.origins
        if notices is not None:
            notices.extend(imported.findings)
        texts = imported.texts + texts
        unscanned.update(imported.unscanned)
        data["sources"] = imported.sources
        findings += apply_overlay(data, overlay, Location(str(where)), origins)
    else:
        data = {k: v for k, v in overlay.items() if k != "corrections"}
    for path in originals:
        read = read_original(path, str(path))
        texts += read.texts
        unscanned[path.name] = read.unscanned
        data.setdefault("sources", []).append(
            {"file": path.name, "sha256": read.sha256, "kind": UNREAD_ORIGINAL}
        )
    findings += gate.decide(
        data.get("sources") or [], unscanned, overlay.get("released_files") or [], Location(str(where))
    )
    applied, problems = apply_corrections(data, overlay.get("corrections") or [], Location(str(where)))
    findings += problems
    if applied:
        data["corrections"] = applied
    if findings:
        raise InvalidData(findings)
    data.setdefault("year", int(folder.parent.name) if folder.parent.name.isdigit() else None)
    if isinstance(data.get("unit"), dict):
        data["unit"].setdefault("short_name", folder.name)
    return data, origins, where, nodes, texts


def _no_nodes() -> None:
    return None


def yaml_texts(path: Path, node, prefix: str = "") -> list[Text]:
    """The texts of a unit's YAML that may hold personal data, with their field (items from 1), for the scan.

    A text ``privacy.may_hold`` turns away can hold nothing the scan finds, and the scan asks ``may_hold`` first:
    a unit has thousands of texts (every key's value, every figure), and only the few others get a place."""
    found: list[Text] = []
    _yaml_texts(found, str(path), node, prefix)
    return found


def _yaml_texts(found: list[Text], file: str, node, prefix: str) -> None:
    # Into one list: nested generators handed every text up through every level. A field's path (as
    # fieldpath.join writes it) is made only for the containers walked into and the texts kept.
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "personal_data_allowed":
                continue
            if isinstance(value, (dict, list)):
                _yaml_texts(found, file, value, _key_path(prefix, key))
            elif value is not None:
                text = str(value)
                if may_hold(text):
                    found.append((Location(file, field=_key_path(prefix, key)), text))
    elif isinstance(node, list):
        for n, value in enumerate(node, start=1):
            if isinstance(value, (dict, list)):
                _yaml_texts(found, file, value, f"{prefix}[{n}]")
            elif value is not None:
                text = str(value)
                if may_hold(text):
                    found.append((Location(file, field=f"{prefix}[{n}]"), text))
    elif node is not None:
        text = str(node)
        if may_hold(text):
            found.append((Location(file, field=prefix), text))


def _key_path(prefix: str, key) -> str:
    """``fieldpath.join(prefix, str(key))``, and the key alone at the top."""
    key = str(key)
    if not prefix:
        return key
    if not key:
        return prefix
    return prefix + key if key.startswith("[") else f"{prefix}.{key}"


def _identity_findings(folder: Path, where: Path, evaluation: Evaluation, origins: dict[str, Location]):
    """The year and short name must match the folder; the finding stands where the value came from."""
    unit_dir, year_dir = folder.name, folder.parent.name

    def place(path: str) -> Location:
        origin = origin_of(path, origins)
        return origin if origin.file else Location(str(where), field=path)

    if str(evaluation.year) != year_dir:
        yield problem("path-mismatch", place("year"), f"年度 {evaluation.year} 与目录 {year_dir} 不一致")
    short = evaluation.unit.short_name
    if short is not None and short != unit_dir:
        yield problem("path-mismatch", place("unit.short_name"), f"简称“{short}”与目录“{unit_dir}”不一致")
