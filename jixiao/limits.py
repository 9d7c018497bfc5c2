"""Hard limits on hostile input: beyond any of them a file is refused at once with a located error.

Real disclosures are far inside every limit (the seed's workbooks are 30 rows by 12 columns, its report 40 KB);
the limits exist so that a broken or hostile file ends in a clear message within seconds instead of a hang, an
exhausted memory or an aborted process. The README states them; the fuzz tests push past each one.
"""

from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 20 * MB  # any input file
MAX_YAML_BYTES = 1 * MB  # unit.yaml, evaluation.yaml, site.yaml
MAX_YAML_NODES = 200_000  # a YAML document's values with anchors expanded ("billion laughs")
MAX_ROWS = 10_000  # rows of one sheet or HTML table
MAX_COLUMNS = 256  # columns of one sheet or HTML table (a form has 8–20)
MAX_CELLS = 1_000_000  # rows × columns of one sheet, merged ranges expanded
MAX_MERGES = 20_000  # merged ranges in one sheet
MAX_SPAN = 1_000  # an HTML cell's rowspan or colspan
MAX_ZIP_PARTS = 5_000  # parts in an .xlsx/.docx package
MAX_PART_BYTES = 100 * MB  # one part, decompressed
MAX_UNZIPPED_BYTES = 200 * MB  # all parts together, decompressed
MAX_RATIO = 200  # decompressed ÷ compressed size of a part larger than 1 MB (XML compresses 10–30 times)
MAX_NESTING = 100  # depth of XML elements, of HTML tables in tables
MAX_PDF_PAGES = 2_000
MAX_AMOUNT = 1e8  # 万元: one trillion yuan, beyond any county unit's budget
MAX_NUMBER = 1e12  # any other figure (an indicator's target or actual)
SECONDS_PER_FILE = 60  # a PDF still being read after this long is given up


def describe() -> list[tuple[str, str]]:
    """The limits in words, for the README and the data-format page."""
    return [
        ("单个文件大小", f"{MAX_FILE_BYTES // MB} MB"),
        ("unit.yaml 等 YAML 文件", f"{MAX_YAML_BYTES // MB} MB，展开锚点后不超过 {MAX_YAML_NODES:,} 个值"),
        (
            "工作表或网页表格",
            f"{MAX_ROWS:,} 行、{MAX_COLUMNS} 列、共 {MAX_CELLS:,} 个单元格（含合并单元格展开）",
        ),
        ("合并单元格", f"每个工作表 {MAX_MERGES:,} 处"),
        ("网页表格的 rowspan/colspan", f"{MAX_SPAN:,}"),
        (
            "xlsx/docx 压缩包",
            f"{MAX_ZIP_PARTS:,} 个部件；单个部件解压后 {MAX_PART_BYTES // MB} MB，合计 {MAX_UNZIPPED_BYTES // MB} MB；"
            f"压缩比 {MAX_RATIO} 倍",
        ),
        ("XML 或网页表格嵌套", f"{MAX_NESTING} 层；不得含 DOCTYPE 或实体声明"),
        ("PDF", f"{MAX_PDF_PAGES:,} 页，读取时间 {SECONDS_PER_FILE} 秒"),
        ("金额", f"{MAX_AMOUNT:,.0f} 万元；其他数值 {MAX_NUMBER:,.0f}；不得为 NaN 或无穷大"),
    ]
