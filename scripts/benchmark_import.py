"""Benchmark: importing official workbooks.

    .venv/bin/python scripts/benchmark_import.py [--copies 1000]

Reports the time to import one file of each format of the real-disclosure corpus (tests/fixtures/realdata: xlsx,
HTML ".xls" exports, saved portal pages, PDFs printed by Chromium, Word reports; median per file, no cache), the
time for one seed workbook (median of 20), the same for N copies (no cache, then a second pass served from the
content-hash cache), and how the two engines compare at reading a sheet's values: python-calamine (which jixiao
uses for values and merged ranges) against openpyxl. Not a test: it reports, it does not assert.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "tests" / "fixtures" / "seed"
CORPUS = ROOT / "tests" / "fixtures" / "realdata"
FORMATS = {
    ".xlsx": "xlsx",
    ".xls": "HTML .xls",
    ".html": "saved page",
    ".htm": "saved page",
    ".pdf": "PDF",
    ".docx": "Word",
}


def per_format() -> None:
    """Median time per file of each format of the corpus (PDFs printed first if missing)."""
    from jixiao.findings import InvalidData
    from jixiao.forms import import_files

    sys.path.insert(0, str(CORPUS))
    import build

    if Path("/usr/bin/chromium").exists():
        build.write_pdfs(build.DOCS)
    by_format: dict[str, list[float]] = {}
    for path in sorted((CORPUS / "files").iterdir()):
        if path.suffix not in FORMATS:
            continue

        def read(path=path):
            with contextlib.suppress(InvalidData):
                import_files([path])

        by_format.setdefault(FORMATS[path.suffix], []).append(median_time(read, runs=5))
    print("import time per file, by format (real-disclosure corpus, median of 5 runs per file, no cache):")
    for fmt, times in by_format.items():
        print(
            f"  {fmt:11} {len(times):2} files: median {statistics.median(times) * 1000:6.1f} ms, "
            f"slowest {max(times) * 1000:6.1f} ms"
        )


def median_time(fn, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1000)
    args = parser.parse_args()

    import openpyxl
    import python_calamine

    from jixiao.forms import import_files

    workbook = SEED / "自评表.xlsx"
    os.environ["JIXIAO_CACHE"] = "off"
    per_format()
    one = median_time(lambda: import_files([workbook]))
    print(
        f"import one workbook ({workbook.name}, 49 indicators): {one * 1000:.1f} ms (median of 20, no cache)"
    )

    def calamine_values():
        book = python_calamine.CalamineWorkbook.from_path(str(workbook))
        sheet = book.get_sheet_by_index(0)
        sheet.to_python(skip_empty_area=False)
        return sheet.merged_cell_ranges

    def openpyxl_values():
        book = openpyxl.load_workbook(workbook, data_only=True)
        sheet = book.worksheets[0]
        [[c.value for c in row] for row in sheet.iter_rows()]
        return sheet.merged_cells.ranges

    cal, opx = median_time(calamine_values), median_time(openpyxl_values)
    print(
        f"read values + merged ranges: calamine {cal * 1000:.2f} ms, openpyxl {opx * 1000:.2f} ms "
        f"(openpyxl / calamine = {opx / cal:.1f}×)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(args.copies):
            copy = Path(tmp) / f"{i:04d}.xlsx"
            shutil.copyfile(workbook, copy)
            copies.append(copy)
        started = time.perf_counter()
        import_files(copies)
        cold = time.perf_counter() - started
        print(
            f"import {args.copies} copies, no cache: {cold:.2f} s ({cold / args.copies * 1000:.1f} ms each, "
            f"{cold / args.copies / one:.2f}× one alone)"
        )

        os.environ["JIXIAO_CACHE"] = str(Path(tmp) / "cache")
        import_files(copies[:1])  # fill the cache: every copy has the same content hash
        started = time.perf_counter()
        import_files(copies)
        warm = time.perf_counter() - started
        print(
            f"import {args.copies} copies, from the content-hash cache: {warm:.2f} s "
            f"({cold / warm:.1f}× faster than parsing)"
        )


if __name__ == "__main__":
    main()
