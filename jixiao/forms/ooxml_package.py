"""An .xlsx or .docx package opened safely: every part checked against the input limits (count, size, ratio,
DOCTYPE) and decompressed once, and every worksheet's extent checked before any reader expands it.

A published original is hostile input: a zip bomb, a part whose header lies about its size, an entity declaration
or a sheet claiming a million rows is refused here with a finding naming the part, before openpyxl or
python-docx sees the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from jixiao import limits
from jixiao.findings import InvalidData, problem
from jixiao.forms.addresses import column_number
from jixiao.location import Location

_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,8})"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]{1,4})([0-9]{1,8})(?::([A-Z]{1,4})([0-9]{1,8}))?"')


@dataclass
class Package:
    """The parts of a zip package, each checked against the limits and decompressed once."""

    display: str
    parts: dict[str, bytes] = field(default_factory=dict)


def open_package(data: bytes, display: str) -> Package:
    """Unzip with the limits on parts, sizes, ratio and DOCTYPEs; raise InvalidData naming the part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise InvalidData(
            [problem("unreadable-file", display, f"压缩包已损坏，无法读取：{err}"[:200])]
        ) from None
    if len(infos) > limits.MAX_ZIP_PARTS:
        raise _limit(display, None, f"压缩包有 {len(infos):,} 个部件，超过上限 {limits.MAX_ZIP_PARTS:,}")
    package, total = Package(display), 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if info.file_size > limits.MAX_PART_BYTES:
            raise _limit(display, name, f"解压后 {info.file_size // limits.MB} MB，超过上限")
        content = _read_part(archive, info, display)
        total += len(content)
        if total > limits.MAX_UNZIPPED_BYTES:
            raise _limit(display, name, f"解压后合计超过 {limits.MAX_UNZIPPED_BYTES // limits.MB} MB")
        if len(content) > limits.MB and len(content) > limits.MAX_RATIO * max(info.compress_size, 1):
            raise _limit(
                display,
                name,
                f"压缩比 {len(content) // max(info.compress_size, 1)} 倍，超过上限 {limits.MAX_RATIO}",
            )
        if is_xml(name) and (b"<!DOCTYPE" in content or b"<!ENTITY" in content):
            raise InvalidData(
                [
                    problem(
                        "unsafe-file",
                        Location(display, part=name),
                        "含 DOCTYPE 或实体声明：Office 文件不应有，疑为恶意文件",
                    )
                ]
            )
        package.parts[name] = content
    return package


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> bytes:
    """The part's bytes, read in chunks so a header that lies about the size cannot make it expand unbounded."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limits.MAX_PART_BYTES:
                    raise _limit(
                        display, info.filename, f"解压后超过 {limits.MAX_PART_BYTES // limits.MB} MB"
                    )
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ) as err:
        # RuntimeError: an encrypted part; NotImplementedError: an unknown compression method; zlib: damaged data.
        raise InvalidData(
            [problem("unreadable-file", Location(display, part=info.filename), f"部件无法解压：{err}"[:200])]
        ) from None
    return b"".join(chunks)


def _limit(display: str, part: str | None, message: str) -> InvalidData:
    where = Location(display, part=part) if part else Location(display)
    return InvalidData([problem("file-too-large", where, f"{message}（上限见 README“输入限制”）")])


def is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def check_sheet_sizes(package: Package, sheet_names: dict[str, str]) -> None:
    """Rows, columns and merged ranges of every worksheet within the limits, before any reader expands them."""
    for name, content in package.parts.items():
        if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
            continue
        sheet = sheet_names.get(name, name)
        rows = max((int(m.group(1)) for m in _ROW_REF.finditer(content)), default=0)
        cols = 0
        for m in _CELL_REF.finditer(content):
            rows, cols = max(rows, int(m.group(2))), max(cols, column_number(m.group(1)))
        merges = list(_MERGE.finditer(content))
        area = 0
        for m in merges:
            c0, r0 = column_number(m.group(1)), int(m.group(2))
            c1, r1 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
            rows, cols = max(rows, r1), max(cols, c1)
            area += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
        check_grid_size(package.display, sheet, rows, cols, len(merges), area)


def check_grid_size(
    display: str, sheet: str, rows: int, cols: int, merges: int = 0, merged_area: int = 0
) -> None:
    where = Location(display, sheet)
    if rows > limits.MAX_ROWS or cols > limits.MAX_COLUMNS or rows * cols > limits.MAX_CELLS:
        raise InvalidData(
            [
                problem(
                    "file-too-large",
                    where,
                    f"工作表范围 {rows:,} 行 × {cols:,} 列，超过上限 {limits.MAX_ROWS:,} 行、{limits.MAX_COLUMNS} 列、"
                    f"{limits.MAX_CELLS:,} 个单元格（上限见 README“输入限制”）",
                )
            ]
        )
    if merges > limits.MAX_MERGES or merged_area > limits.MAX_CELLS:
        raise InvalidData(
            [
                problem(
                    "file-too-large",
                    where,
                    f"{merges:,} 处合并单元格、共 {merged_area:,} 格，超过上限（上限见 README“输入限制”）",
                )
            ]
        )
