"""The open-data page and its files: the whole dataset as CSV (UTF-8 with BOM), XLSX (a sheet per table) and
JSON, a JSON Schema of evaluation.yaml, a data dictionary generated from the model, and every original file.

The dataset is every unit's rows in the units' order, so it is assembled from per-unit pieces (``unit_piece``),
made in the unit-file workers beside the unit's own downloads and kept with them: the parent only joins them, a
file at a time (``Bundle``), and a corrected unit remakes its own piece alone. The files are the same bytes as
tables made of all the rows at once would give (tests/test_bundle.py holds the two side by side).
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import struct
import tempfile
import time
from pathlib import Path

from jixiao.collection import UnitSummary
from jixiao.gate import published
from jixiao.incremental import read
from jixiao.model import Evaluation, Indicator, ScoreItem
from jixiao.render.downloads import (
    INDICATOR_COLUMNS,
    SCORE_COLUMNS,
    STATUS_COLUMN,
    UnitTables,
    indicators_table,
    scores_table,
)
from jixiao.render.env import render
from jixiao.render.findings import FindingView
from jixiao.render.tabular import SheetWriter, Table, csv_bytes, csv_lines, sheet_rows, xlsx_file
from jixiao.reproducible import ZIP_EPOCH, data_dates, source_date

UNIT_COLUMNS = {
    "单位": "预算单位全称",
    "简称": "单位简称（数据目录名）",
    "类型": "乡镇、街道、部门或其他",
    "年度": "自评年度",
    "调整后预算（万元）": "年初预算加中期调整后的全年预算",
    "决算支出（万元）": "全年实际支出",
    "预算执行率（%）": "决算支出 ÷ 调整后预算，本站计算",
    "自评得分": "部门预算绩效自评打分表的评价得分",
    "等级": "优 90—100，良 80—89.99，中 60—79.99，差 60 以下",
    "指标数": "年度绩效指标项数",
    "达成": "本站按指标性质判定为达成的指标数",
    "需核对": "数据核对中“需核对”的条数",
    "提示": "数据核对中“提示”的条数",
    "页面": "本站该单位该年度页面的相对地址",
}
FINDING_COLUMNS = {
    "单位": "预算单位全称",
    "年度": "自评年度",
    "规则": "核对规则名称",
    "规则编号": "核对规则编号",
    "级别": "需核对或提示",
    "说明": "核对结果：所述数字、按金额计算的数字与算式",
    "位置": "原始文件、工作表、单元格或字段",
}


def units_table(rows: list[UnitSummary]) -> Table:
    return Table(
        list(UNIT_COLUMNS),
        [
            (
                r.name,
                r.short,
                r.kind,
                r.year,
                r.budget,
                r.expenditure,
                None if r.execution is None else round(r.execution, 2),
                r.score,
                r.grade,
                r.total,
                r.met,
                r.warnings,
                r.infos,
                f"{r.slug}/",
            )
            for r in rows
        ],
    )


def finding_rows(ev: Evaluation, views: list[FindingView]) -> list[tuple]:
    return [(ev.unit.name, ev.year, v.title, v.rule, v.label, v.message, v.place) for v in views]


def findings_table(items: list[tuple[Evaluation, list[FindingView]]]) -> Table:
    return Table(list(FINDING_COLUMNS), [row for ev, views in items for row in finding_rows(ev, views)])


# The sheets of jixiao-data.xlsx and the CSV file of each, in order; the units' sheet is made whole, the others
# from the units' pieces.
SHEETS = {
    "单位": "units.csv",
    "绩效指标": "indicators.csv",
    "自评打分": "scores.csv",
    "数据核对": "findings.csv",
}
_HEADS = {
    "绩效指标": indicators_table([]).columns,
    "自评打分": scores_table([]).columns,
    "数据核对": list(FINDING_COLUMNS),
}


def unit_piece(ev: Evaluation, views: list[FindingView], tables: UnitTables | None = None) -> bytes:
    """The unit's part of the dataset but its two CSV downloads (the bundle's lines are theirs, see ``Bundle``):
    its findings' CSV lines, its rows of the three worksheets, and its evaluation's JSON; ``tables`` are those its
    downloads were made of, when they were."""
    tables = tables or UnitTables.of(ev)
    findings = finding_rows(ev, views)
    parts = [
        csv_lines(findings),
        tables.indicator_sheet.rows,
        tables.score_sheet.rows,
        sheet_rows(findings, len(FINDING_COLUMNS)),
        json.dumps(tables.canonical, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    ]
    return struct.pack(_PIECE_HEAD, *map(len, parts)) + b"".join(parts)


_PIECE_HEAD = "<5Q"  # the length of each part


def schema_json() -> bytes:
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=1).encode("utf-8")


class Bundle:
    """The dataset's files, written to ``folder`` as the units' pieces come, in the units' order: memory holds one
    unit's piece at a time, whatever the number of units."""

    def __init__(self, folder: Path):
        self.folder = folder
        # Open until finish(): the files grow a unit at a time.
        self._csv = {sheet: open(folder / SHEETS[sheet], "wb") for sheet in _HEADS}  # noqa: SIM115
        self._heads = {sheet: csv_bytes(Table(columns, [])) for sheet, columns in _HEADS.items()}
        for sheet, out in self._csv.items():
            out.write(self._heads[sheet])
        self._sheets = {
            sheet: SheetWriter(folder / f"sheet-{n}.part", columns)
            for n, (sheet, columns) in enumerate(_HEADS.items())
        }
        self._json = open(folder / "evaluations.json", "wb")  # noqa: SIM115
        self._json.write(b"[")
        self._units = 0

    def add(self, indicators_csv: bytes | Path, scores_csv: bytes | Path, piece: bytes | Path) -> None:
        """One unit: its indicators.csv and scores.csv downloads, and its ``unit_piece``."""
        for sheet, download in (("绩效指标", indicators_csv), ("自评打分", scores_csv)):
            data, head = memoryview(read(download)), self._heads[sheet]
            if data[: len(head)] != head:
                raise ValueError(f"{download}: not a CSV of the columns {list(_HEADS[sheet])}")
            self._csv[sheet].write(data[len(head) :])
        data = read(piece)
        parts, start = [], struct.calcsize(_PIECE_HEAD)
        for length in struct.unpack_from(_PIECE_HEAD, data):
            parts.append(data[start : start + length])
            start += length
        findings_csv, *rows, as_json = parts
        self._csv["数据核对"].write(findings_csv)
        for writer, piece_rows in zip(self._sheets.values(), rows, strict=True):
            writer.add(piece_rows)
        self._json.write(b"," + as_json if self._units else as_json)
        self._units += 1

    def finish(self, summaries: list[UnitSummary], when: dt.datetime = ZIP_EPOCH) -> dict[str, Path]:
        """Every file of the dataset: file name (in open-data/) -> the file that holds it."""
        for out in self._csv.values():
            out.close()
        self._json.write(b"]")
        self._json.close()
        units = units_table(summaries)
        (self.folder / "units.csv").write_bytes(csv_bytes(units))
        xlsx_file(self.folder / "jixiao-data.xlsx", {"单位": units, **self._sheets}, when)
        for writer in self._sheets.values():
            writer.path.unlink()
        (self.folder / "evaluation.schema.json").write_bytes(schema_json())
        names = [*SHEETS.values(), "jixiao-data.xlsx", "evaluations.json", "evaluation.schema.json"]
        return {name: self.folder / name for name in names}


def _size(content: bytes | Path) -> int:
    return content.stat().st_size if isinstance(content, Path) else len(content)


def bundle_folder() -> Path:
    """An empty folder for this build's dataset, in the build cache (the files are large: not in a /tmp that may
    be memory). The files are published from there, so it stays until the next build of this process replaces it
    or the process ends."""
    from jixiao.forms import cache_dir

    release()
    folder = None
    if os.environ.get("JIXIAO_CACHE") != "off":
        try:
            parent = cache_dir() / "open-data"
            parent.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(parent)
            folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))
        except OSError:
            pass  # a read-only cache: a temporary folder instead
    folder = folder or Path(tempfile.mkdtemp(prefix="jixiao-open-data-"))
    _folders.append(folder)
    return folder


def _remove_leftovers(parent: Path) -> None:
    """The folders of builds that were stopped before they could remove their own (a province's is 300 MB): a
    day old and their process gone, so that no build still running, here or sharing the cache, loses its files."""
    stale = time.time() - 86_400
    for folder in parent.iterdir():
        pid = folder.name.partition("-")[0]
        try:
            if folder.stat().st_mtime > stale or not pid.isdigit() or _alive(int(pid)):
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a number a process can have: left alone
    return True


def release() -> None:
    """Remove this process's dataset folders, once the site has its copies. Called at exit, and by the forked
    process that builds a big site's pages (jixiao.build), which leaves without running exit handlers."""
    for folder in _folders:
        shutil.rmtree(folder, ignore_errors=True)
    _folders.clear()


_folders: list[Path] = []
atexit.register(release)


def dataset_files(
    evaluations: list[Evaluation],
    rows: list[UnitSummary],
    findings: list[tuple[Evaluation, list[FindingView]]],
) -> dict[str, bytes]:
    """File name (in open-data/) -> content, made here from every unit (the site makes the pieces in its
    workers: jixiao.site)."""
    from jixiao.render.downloads import unit_downloads

    views = {id(ev): found for ev, found in findings}
    with tempfile.TemporaryDirectory(prefix="jixiao-open-data-") as folder:
        bundle = Bundle(Path(folder))
        for ev in evaluations:
            tables = UnitTables.of(ev)
            own = unit_downloads(ev, tables)
            bundle.add(
                own["indicators.csv"], own["scores.csv"], unit_piece(ev, views.get(id(ev), []), tables)
            )
        files = bundle.finish(rows, source_date(data_dates(evaluations)))
        return {name: path.read_bytes() for name, path in files.items()}


def _model_dictionary(columns: dict[str, str], model) -> list[tuple[str, str]]:
    out = [("单位", "预算单位全称"), ("年度", "自评年度")]
    for field, header in columns.items():
        info = model.model_fields[field]
        out.append((header, "；".join(x for x in (info.title, info.description) if x)))
    return out


def render_open_data_page(
    evaluations: list[Evaluation],
    files: dict[str, bytes | Path],
    title: str,
    licence: str | None,
    county: str | None,
    data_date: str | None = None,
    site_url: str | None = None,
) -> str:
    originals = [(ev, s) for ev in evaluations for s in ev.sources if published(s)]
    dictionary = {
        "units.csv": list(UNIT_COLUMNS.items()),
        "indicators.csv": [
            *_model_dictionary(INDICATOR_COLUMNS, Indicator),
            (STATUS_COLUMN, "达成、未达成、定性或无法判定"),
        ],
        "scores.csv": _model_dictionary(SCORE_COLUMNS, ScoreItem),
        "findings.csv": list(FINDING_COLUMNS.items()),
    }
    return render(
        "open_data.md.j2",
        title=title,
        county=county,
        files={name: _size(content) for name, content in files.items()},
        dictionary=dictionary,
        originals=originals,
        units=len(evaluations),
        licence=licence
        or "本站数据来自各预算单位依法主动公开的政府信息（《中华人民共和国政府信息公开条例》），可自由复制、使用和再发布，请注明来源。",
        # The data's date (SOURCE_DATE_EPOCH, else the data's own), never the clock: a rebuild is identical.
        today=data_date or source_date(data_dates(evaluations)).date().isoformat(),
        site_url=site_url,
    )
