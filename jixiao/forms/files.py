"""One file, whatever its format: read once under the limits, parsed by its format's reader, every part the reader
does not look at scanned by the publish gate, the result cached by content hash.

Workbooks (.xlsx, .xls and the web pages finance systems save as .xls), saved web pages, PDFs with a text layer,
Word reports (.docx, and .doc/.wps through LibreOffice) all become grids of cells and prose blocks first; the forms
are then read from the grids (jixiao.forms.document) and the report from the prose (jixiao.forms.report_docx).
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.findings import Finding, InvalidData, problem
from jixiao.forms import parts, report_docx, workbook
from jixiao.forms.cache import cached
from jixiao.forms.cell_text import simplified
from jixiao.forms.cells import parse_number
from jixiao.forms.document import read_grids
from jixiao.forms.input_file import (
    OLE_MAGIC,
    FileRead,
    InputFile,
    Text,
    file_sha256,
    read_input,
    refuse_empty,
)
from jixiao.forms.number_formats import legacy_percent_cells, percent_cells, show_percentages
from jixiao.forms.tables import Extract, header_cells
from jixiao.forms.workbook import Grid, grid_texts
from jixiao.location import Location

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
    return cached(file, lambda: _guarded(file, _READERS[suffix]))


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

    return cached(file, read)


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
            "旧版 Word/WPS 文件：本机没有 LibreOffice，无法读取内容（原件是否公开，由个人信息检查决定）；请另存为 .docx，"
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
        read.grids,
        display,
        report=report,
        texts=_texts(read.grids, read.blocks, display),
        lead=lead,
        refused=read.refused,
    )


def _texts(grids: list[Grid], blocks: list[tuple], display: str) -> list[Text]:
    paragraphs = [(Location(display).in_part(f"第 {n} 段"), b[1]) for n, b in enumerate(blocks, start=1)]
    return list(grid_texts(grids)) + paragraphs


def _read_workbook(file: InputFile) -> FileRead:
    # Looked up on its module when called, so a test can count the parses.
    grids = workbook.read_workbook(file.data, file.display, file.suffix)
    if isinstance(file.parsed, parts.Package):
        show_percentages(grids, percent_cells(file.parsed))
    elif file.data[:8] == OLE_MAGIC:  # a binary .xls (an HTML page saved as .xls has no number formats)
        show_percentages(grids, legacy_percent_cells(file.data))
    return _document(grids, file.display, texts=list(grid_texts(grids)))


# Each format's reader (defined above), by the file name's ending.
_READERS = {
    **dict.fromkeys(REPORT_SUFFIXES, _read_word),
    **dict.fromkeys(LEGACY_WORD, _read_legacy_word),
    **dict.fromkeys(PAGE_SUFFIXES, _read_page),
    **dict.fromkeys(PDF_SUFFIXES, _read_pdf),
    **dict.fromkeys(WORKBOOK_SUFFIXES, _read_workbook),
}


def _document(
    grids: list[Grid],
    display: str,
    report: Extract | None = None,
    texts=None,
    lead: str = "",
    refused: list[Finding] = (),
) -> FileRead:
    """The forms in a file's grids, and its report when its prose has sections or stated figures; ``refused`` are
    tables its source could not turn into grids (an unruled PDF table whose cells wrap), reported like the
    evaluation-looking tables the readers could not map."""
    extracts, kinds, explain, skipped = read_grids(grids)
    skipped = [*refused, *skipped]
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
