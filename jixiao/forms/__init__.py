"""Readers of the official forms: workbooks (.xlsx, .xls) and the Word report (.docx).

``import_files`` reads any number of files into one canonical dict. Tables win over what the report's text states;
the report's standard sentences fill the fields no table gives (and stay in ``report.stated`` for the checks).
Every problem of every file is collected; nothing half-imported is returned silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from jixiao import fieldpath
from jixiao.findings import Finding, InvalidData, problem
from jixiao.forms import parts, report_docx, workbook
from jixiao.forms.cells import parse_number, simplified
from jixiao.forms.document import read_grids
from jixiao.forms.input_file import FileRead, InputFile, Text, file_sha256, read_input, refuse_empty
from jixiao.forms.number_formats import percent_cells, show_percentages
from jixiao.forms.statements import statements_to_fields
from jixiao.forms.tables import Extract, header_cells
from jixiao.forms.workbook import Grid, grid_texts
from jixiao.location import Location, shorten

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et"}
REPORT_SUFFIXES = {".docx"}
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
LEGACY_WORD = {".doc", ".wps"}
READABLE = WORKBOOK_SUFFIXES | REPORT_SUFFIXES | PAGE_SUFFIXES | PDF_SUFFIXES | LEGACY_WORD
# Published as originals but not read: a reader can still download what the unit sent.
ORIGINAL_ONLY = {".zip", ".rar", ".jpg", ".png"}
# The kind of a source whose content could not be read (a scan, a .doc without LibreOffice): the personal-data
# rule for unscanned originals applies to it.
UNREAD_ORIGINAL = "原件（未读取内容）"
# Filled from the report's sentences only for checking, never as data: items need their 一级/二级 from the sheet.
NOT_FILLED_FROM_TEXT = {"items", "check"}


@dataclass
class Imported:
    data: dict = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    unscanned: dict[str, list[str]] = field(default_factory=dict)  # file name -> why it cannot be scanned


def import_files(paths: list[Path]) -> Imported:
    """Read every file; raise InvalidData listing every problem of every file when any is an error (warnings and
    infos about single cells or skipped tables come back with the data)."""
    imported = Imported()
    reports: list[tuple[dict, Location]] = []
    for path in paths:
        display = str(path)
        try:
            read = read_file(Path(path), display)
        except InvalidData as err:
            imported.findings.extend(err.findings)
            continue
        extracts, kinds = read.extracts, read.kinds
        imported.texts.extend(read.texts)
        imported.explain.extend(read.explain)
        if read.unscanned:
            imported.unscanned[Path(path).name] = read.unscanned
        source = {"file": Path(path).name, "sha256": read.sha256, "kind": "、".join(kinds) or None}
        notes = [n for ex in extracts for n in ex.notes]
        if notes:
            source["notes"] = notes
        imported.sources.append({k: v for k, v in source.items() if v is not None})
        for ex in extracts:
            imported.findings.extend(ex.findings)
            if "report" in ex.data:
                reports.append((ex.data["report"], ex.origins["report"]))
            _merge_tables(imported, ex)
    for report, where in reports:
        if "report" not in imported.data:
            imported.data["report"] = report
            imported.origins["report"] = where
        _fill_from_statements(imported, report.get("stated", []), where)
    if any(f.severity == "error" for f in imported.findings):
        raise InvalidData(imported.findings)
    return imported


_READERS = {}  # suffix -> reader, filled below the readers


def read_file(path: Path, display: str) -> FileRead:
    """The extracts of one file (one per recognised table or document), the kinds of form found, and its texts."""
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise InvalidData(
            [
                problem(
                    "unsupported-format",
                    display,
                    f"不能读取 {suffix or '无扩展名'} 文件：请提供 .xlsx、.xls、.docx、.doc、.pdf 或网页（.html）",
                )
            ]
        )
    file = read_input(path, display)
    return _cached(file, lambda: _guarded(file, _READERS[suffix]))


def read_original(path: Path, display: str) -> FileRead:
    """A file jixiao publishes without reading its content as data (a picture, an archive): only its texts. One
    that cannot be read (beyond the limits) is no data error: it is withheld, with the reason."""
    try:
        file = read_input(path, display)
    except InvalidData as err:
        return FileRead([], [], unscanned=[f.message for f in err.findings], sha256=file_sha256(path))

    def read() -> FileRead:
        try:
            return _guarded(file, lambda file: FileRead([], []))
        except InvalidData as err:
            return FileRead([], [], unscanned=[f.message for f in err.findings])

    return _cached(file, read)


def _guarded(file: InputFile, reader) -> FileRead:
    """``reader``'s result behind the input limits, with the texts of every part it does not read itself."""
    parts.precheck(file)
    with parts.quiet_stderr():  # a reader's Rust panic prints its backtrace itself; the clerk gets our line
        read = reader(file)
    found = parts.scan(file, {text for _, text in read.texts})
    read.texts.extend(found.texts)
    read.unscanned.extend(found.unscanned)
    return read


def _read_word(file: InputFile) -> FileRead:
    ex, grids = report_docx.read_report(file.data, file.display)
    # Its texts, every part of the package, come from the publish gate's scan (jixiao.forms.parts).
    return _document(grids, file.display, report=ex)


def _read_legacy_word(file: InputFile) -> FileRead:
    """.doc and .wps through LibreOffice (``soffice --headless --convert-to docx``) when the machine has it."""
    from jixiao.forms.legacy import converted_to_docx

    display = file.display
    docx = converted_to_docx(file.data, file.suffix, display)
    if docx is None:
        ex = Extract()
        ex.problem(
            "legacy-word-unread",
            display,
            "旧版 Word/WPS 文件：本机没有 LibreOffice，无法读取内容（原件照常公开）；请另存为 .docx，"
            "或安装 LibreOffice 后重试",
            "info",
        )
        return FileRead([ex], [UNREAD_ORIGINAL])
    doc = report_docx.open_document(docx, display)
    ex, grids = report_docx.read_document(doc, display)
    return _document(grids, display, report=ex, texts=list(report_docx.document_texts(doc, display)))


def _read_page(file: InputFile) -> FileRead:
    from jixiao.forms.html_tables import read_page

    refuse_empty(file.data, file.display)
    grids, blocks, title = read_page(file.data, file.display)
    report = report_docx.report_from_blocks(blocks, file.display, title)
    return _document(grids, file.display, report=report, texts=_texts(grids, blocks, file.display))


def _read_pdf(file: InputFile) -> FileRead:
    from jixiao.forms.pdf_source import read_pdf

    display = file.display
    try:
        refuse_empty(file.data, display)
        read = read_pdf(file.data, display)
    except InvalidData as err:
        # A PDF was published as an original before jixiao read PDFs: one it cannot open is still published,
        # unread, with a warning (and the unscanned-original rule), never a stopped build.
        file.parsed = err  # the publish gate withholds it, with this reason
        ex = Extract()
        ex.findings.extend(Finding(f.rule, f.location, f.message, "warning") for f in err.findings)
        return FileRead([ex], [UNREAD_ORIGINAL])
    file.parsed = read  # its texts are the publish gate's too: the document is parsed once
    if read.scanned:
        ex = Extract()
        ex.problem(
            "pdf-without-text",
            display,
            f"PDF 没有文字层（扫描件，共 {read.pages} 页）：无法读取其中的表格和数字，也无法检查个人信息；"
            "请提供 Excel/Word 原件或可复制文字的 PDF",
            "warning",
        )
        return FileRead([ex], [UNREAD_ORIGINAL])
    report = report_docx.report_from_blocks(read.blocks, display, None)
    lead = read.blocks[0][1] if read.blocks else ""
    return _document(
        read.grids, display, report=report, texts=_texts(read.grids, read.blocks, display), lead=lead
    )


def _texts(grids: list[Grid], blocks: list[tuple], display: str) -> list[Text]:
    paragraphs = [(Location(display).in_part(f"第 {n} 段"), b[1]) for n, b in enumerate(blocks, start=1)]
    return list(grid_texts(grids)) + paragraphs


def _read_workbook(file: InputFile) -> FileRead:
    # Looked up on its module when called, so a test can count the parses.
    grids = workbook.read_workbook(file.data, file.display, file.suffix)
    if isinstance(file.parsed, parts.Package):
        show_percentages(grids, percent_cells(file.parsed))
    return _document(grids, file.display, texts=list(grid_texts(grids)))


_READERS.update(
    {
        **dict.fromkeys(REPORT_SUFFIXES, _read_word),
        **dict.fromkeys(LEGACY_WORD, _read_legacy_word),
        **dict.fromkeys(PAGE_SUFFIXES, _read_page),
        **dict.fromkeys(PDF_SUFFIXES, _read_pdf),
        **dict.fromkeys(WORKBOOK_SUFFIXES, _read_workbook),
    }
)


def _document(
    grids: list[Grid], display: str, report: Extract | None = None, texts=None, lead: str = ""
) -> FileRead:
    """The forms in a file's grids, and its report when its prose has sections or stated figures."""
    extracts, kinds, explain, skipped = read_grids(grids)
    body = report.data.get("report", {}) if report is not None else {}
    if report is not None and (body.get("stated") or (body.get("sections") and not extracts)):
        extracts.append(report)
        kinds.append(report_docx.KIND)
    elif report is not None and report.findings and not extracts and not skipped:
        extracts.append(report)  # a Word file without headings: its finding stands
    if not extracts:
        raise InvalidData(skipped or [_nothing_found(grids, display)])
    if report is not None and not any("year" in ex.data for ex in extracts):
        extracts.append(_title_year(report, display, lead))
    # An evaluation-looking table that could not be read is an error on its own, a warning beside usable ones.
    extracts[0].findings.extend(Finding(f.rule, f.location, f.message, "warning") for f in skipped)
    return FileRead(extracts, kinds, texts or [], explain)


def _title_year(report: Extract, display: str, lead: str) -> Extract:
    """The year a page's, a PDF's or a Word report's title states ("…2023年度部门整体支出绩效自评报告"), or its
    first line when a PDF's title ran into the text below it, when no table gave one (a year in the tables wins)."""
    ex = Extract()
    title = report.data.get("report", {}).get("title") or ""
    match = re.search(r"((?:19|20)\d{2})\s*年度", simplified(title)) or re.search(
        r"((?:19|20)\d{2})\s*年度", simplified(lead[:60])
    )
    if match:
        ex.set("year", int(match.group(1)), Location(display).in_part("标题"))
    return ex


def _nothing_found(grids: list[Grid], display: str) -> Finding:
    found = list(dict.fromkeys(t for g in grids for t in header_cells(g, 12, 12) if parse_number(t) is None))
    return problem(
        "missing-headers",
        display,
        "没有认出任何自评表：应有“三级指标”“指标值”“实际完成值”（目标完成情况表、项目支出表）或"
        f"“三级指标”“指标分值”“自评得分”（打分表）；找到的是：{'、'.join(found[:24]) or '（空）'}",
    )


def _merge_tables(imported: Imported, ex: Extract) -> None:
    """Tables from several files: the first value of a field stands; a different value later is a problem."""
    for key, where in ex.origins.items():
        if key == "projects":
            _merge_projects(imported, ex)
            continue
        if "[" in key:  # where one item of a list stands: kept only if the list itself is taken below
            continue
        value = fieldpath.get(ex.data, key)
        existing = fieldpath.get(imported.data, key)
        if existing is None:
            fieldpath.put(imported.data, key, value)
            imported.origins[key] = where
            imported.origins.update({k: v for k, v in ex.origins.items() if k.startswith(key + "[")})
        elif existing != value:
            imported.findings.append(
                problem(
                    "conflicting-files",
                    where.at(key),
                    f"{key} 为 {shorten(value)}，与 {imported.origins[key].terminal()} 的 {shorten(existing)} 不一致",
                )
            )


def _merge_projects(imported: Imported, ex: Extract) -> None:
    """Projects from several tables follow one another; each keeps the places of its parts, renumbered."""
    projects = imported.data.setdefault("projects", [])
    offset = len(projects)
    projects.extend(ex.data.get("projects", []))
    imported.origins.setdefault("projects", ex.origins["projects"])
    for key, where in ex.origins.items():
        if key.startswith("projects["):
            position, rest = key[len("projects[") :].split("]", 1)
            imported.origins[f"projects[{int(position) + offset}]{rest}"] = where


def _fill_from_statements(imported: Imported, statements: list[dict], where: Location) -> None:
    stated = statements_to_fields(statements)
    _fill(imported.data, stated, skip=NOT_FILLED_FROM_TEXT)
    for statement in statements:
        top = fieldpath.parse(statement["field"])[0].key
        imported.origins.setdefault(top, where)


def _fill(target: dict, source: dict, skip: set[str]) -> None:
    for key, value in source.items():
        if key in skip:
            continue
        if key not in target:
            target[key] = value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            _fill(target[key], value, skip)


# Cache of parsed files, keyed by content hash, by the readers' own source and by the versions of the libraries
# that read the files, so an unchanged workbook is not parsed twice and a changed reader never serves stale results.
def cache_dir() -> Path:
    """JIXIAO_CACHE names the folder (or "off"); by default the user's cache folder, never the current one."""
    configured = os.environ.get("JIXIAO_CACHE")
    if configured and configured != "off":
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("jixiao", appauthor=False) / "parsed"


READER_LIBRARIES = (
    "python-calamine",
    "python-docx",
    "xlrd",
    "openpyxl",
    "lxml",
    "pdfplumber",
    "pdfminer.six",
    "opencc",
)
_VERSION: list[str] = []


def reader_version() -> str:
    if not _VERSION:
        digest = hashlib.sha256()
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(module.read_bytes())
        for module in ("fieldpath.py", "location.py", "findings.py"):
            digest.update((Path(__file__).parent.parent / module).read_bytes())
        for library in READER_LIBRARIES:
            try:
                digest.update(f"{library}={metadata.version(library)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{library}=-".encode())
        _VERSION.append(digest.hexdigest()[:16])
    return _VERSION[0]


def _cached(file: InputFile, read) -> FileRead:
    enabled = os.environ.get("JIXIAO_CACHE") != "off"
    stored = cache_dir() / f"{file.sha256}-{reader_version()}.json"
    result = _load(stored, file.display) if enabled else None
    if result is None:
        result = read()
        if enabled:
            _store(stored, result, file.display)
    result.sha256 = file.sha256
    return result


def _load(stored: Path, display: str) -> FileRead | None:
    try:
        return _thaw(json.loads(stored.read_text(encoding="utf-8")), display)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not cached yet, or written by a jixiao that stored it otherwise


def _store(stored: Path, result: FileRead, display: str) -> None:
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps(_freeze(result, display), ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still builds, just without the cache


def _freeze(result: FileRead, display: str) -> dict:
    return {
        "display": display,
        "kinds": result.kinds,
        "extracts": [
            {
                "data": ex.data,
                "origins": {k: v.to_dict() for k, v in ex.origins.items()},
                "notes": ex.notes,
                "findings": [f.to_dict() for f in ex.findings],
            }
            for ex in result.extracts
        ],
        "texts": [[where.to_dict(), text] for where, text in result.texts],
        "explain": result.explain,
        "unscanned": result.unscanned,
    }


def _thaw(stored: dict, display: str) -> FileRead:
    """A cached file names itself as it was first read; name it as it is read now."""
    old = stored["display"]

    def here(where: dict) -> Location:
        location = Location.from_dict(where)
        return location.in_file(display) if location.file == old else location

    def note(text: str) -> str:
        return display + text[len(old) :] if text.startswith(old) else text

    extracts = [
        Extract(
            data=e["data"],
            origins={k: here(v) for k, v in e["origins"].items()},
            findings=[
                Finding(f["rule"], here(f["location"]), f["message"], f["severity"]) for f in e["findings"]
            ],
            notes=[note(n) for n in e["notes"]],
        )
        for e in stored["extracts"]
    ]
    explain = [note(line) for line in stored.get("explain", [])]
    return FileRead(
        extracts,
        stored["kinds"],
        [(here(w), t) for w, t in stored["texts"]],
        explain,
        stored.get("unscanned", []),
    )
