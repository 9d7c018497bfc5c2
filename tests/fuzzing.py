"""A mutation corpus from the seed files, and a harness that reads each case in a child process of its own.

Cases: truncations at many offsets, byte flips, zip bombs (by ratio, by part count, by a lying size), huge and sparse
sheets, giant merges and HTML spans, XXE and billion laughs, encrypted workbooks, wrong types. Each is read by
``jixiao.forms.read_file`` (or ``read_original``) in a forked child with a memory cap and a time limit; the outcome
is one of: ``ok`` (read), ``located`` (InvalidData, every finding naming the file), ``unlocated`` (an error that does
not say where), ``traceback`` (any other exception), ``crash`` (the child died: an abort, a signal), ``hang``.

``python scripts/fuzz.py`` prints the figures; tests/test_fuzz.py requires no traceback, crash or hang.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import signal
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import planting

SEEDS = Path(__file__).parent / "fixtures" / "seed"
SEED_FILES = ["自评表.xlsx", "打分表.xlsx", "打分表.xls", "自评表.xls", "自评报告.docx"]
OLE_HEAD = bytes.fromhex("d0cf11e0a1b11ae1")
TIME_LIMIT = 20  # seconds per case: far above what any case takes when read with the limits in force
MEMORY_LIMIT = 3 << 30  # bytes of address space per child: a runaway allocation fails instead of swapping


@dataclass(frozen=True)
class Case:
    name: str  # what was done, for the report
    file: str  # the file name (its suffix decides the reader)
    content: bytes


def corpus(seed: int = 9, flips: int = 10, cuts: int = 14) -> Iterator[Case]:
    rng = random.Random(seed)
    for name in SEED_FILES:
        data = (SEEDS / name).read_bytes()
        offsets = sorted(
            {1, 8, 64, 512, len(data) // 2, len(data) - 1, *(rng.randrange(len(data)) for _ in range(cuts))}
        )
        for at in offsets:
            yield Case(f"{name} cut at {at}", name, data[:at])
        for k in range(flips):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 16)):
                mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
            yield Case(f"{name} flips #{k + 1}", name, bytes(mutated))
        if name.endswith((".xlsx", ".docx")):
            yield from _package_cases(name, data, rng)
    yield from _crafted(rng)


def _rezip(data: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts = change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in parts.items():
            z.writestr(n, content)
    return out.getvalue()


def _package_cases(name: str, data: bytes, rng: random.Random) -> Iterator[Case]:
    main = "xl/worksheets/sheet1.xml" if name.endswith(".xlsx") else "word/document.xml"

    def edit(old: bytes, new: bytes):
        return lambda parts: {**parts, main: parts[main].replace(old, new, 1)}

    laughs = (
        b'<!DOCTYPE x [<!ENTITY a "haha">'
        + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
        + b"]>"
    )

    def prolog(doctype: bytes):
        def change(parts):
            head, mark, rest = parts[main].partition(b"?>")
            parts[main] = head + mark + doctype + rest if mark else doctype + head
            return parts

        return change

    cases = {
        "billion laughs": prolog(laughs),
        "XXE": prolog(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
        "ratio bomb": lambda p: {**p, "xl/zeros.xml": b"<z>" + b"0" * (8 << 20) + b"</z>"},
        "many parts": lambda p: {**p, **{f"customXml/item{i}.xml": b"<a/>" for i in range(6000)}},
        "deep nesting": lambda p: {**p, "docProps/custom.xml": b"<a>" * 300 + b"</a>" * 300},
        "part not XML": lambda p: {**p, main: rng.randbytes(2000)},
        "part missing": lambda p: {k: v for k, v in p.items() if k != main},
    }
    if name.endswith(".xlsx"):
        cases |= {
            "sparse to XFD1048576": edit(
                b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
            ),
            "giant merge": edit(
                b"</sheetData>",
                b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
            ),
            "many merges": edit(
                b"</sheetData>",
                b"</sheetData><mergeCells>"
                + b"".join(f'<mergeCell ref="A{i}:B{i}"/>'.encode() for i in range(1, 20_100))
                + b"</mergeCells>",
            ),
            "11,000 rows": edit(
                b"</sheetData>",
                b"".join(
                    f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
                    for i in range(100, 11_100)
                )
                + b"</sheetData>",
            ),
            "text where a number is": edit(b"<v>", b"<v>NaN</v><v>"),
            "dimension that lies": edit(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'),
        }
    for label, change in cases.items():
        try:
            yield Case(f"{name} {label}", name, _rezip(data, change))
        except KeyError:
            continue


def _crafted(rng: random.Random) -> Iterator[Case]:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    xlsx = (SEEDS / "自评表.xlsx").read_bytes()
    docx = (SEEDS / "自评报告.docx").read_bytes()
    encrypted = planting.compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200, "EncryptedPackage": rng.randbytes(5000)}
    )
    yield Case("encrypted xlsx (OLE EncryptedPackage)", "加密.xlsx", encrypted)
    yield Case("encrypted docx (OLE EncryptedPackage)", "加密.docx", encrypted)
    yield Case("OLE with no workbook, named .xls", "空.xls", planting.compound_file({"Other": b"x" * 5000}))
    yield Case("PNG named .xlsx", "图.xlsx", png)
    yield Case("docx named .xlsx", "报告.xlsx", docx)
    yield Case("xlsx named .docx", "表.docx", xlsx)
    yield Case("PDF named .xls", "表.xls", planting.simple_pdf(["x"]))
    yield Case("plain text named .xls", "表.xls", "单位,金额\n宝城镇,1\n".encode())
    yield Case("empty .xlsx", "空.xlsx", b"")
    yield Case("random bytes .docx", "乱.docx", rng.randbytes(4096))
    yield Case("zip of nothing .xlsx", "空包.xlsx", _empty_zip())
    yield Case(
        "HTML rowspan 1e8 colspan 1e5",
        "跨行.xls",
        b'<html><table><tr><td rowspan="100000000" colspan="100000">x</td></tr></table></html>',
    )
    yield Case(
        "HTML 100,000 rows of colspan 16384",
        "跨列.xls",
        b"<html><table>" + b'<tr><td colspan="16384">x</td></tr>' * 100_000 + b"</table></html>",
    )
    yield Case(
        "HTML tables nested 500 deep",
        "嵌套.xls",
        b"<html>" + b"<table><tr><td>" * 500 + b"</td></tr></table>" * 500,
    )
    yield Case("HTML with no table", "无表.xls", b"<html><body><p>13800001111</p></body></html>")
    yield Case(
        "saved page with a span beyond the limit",
        "公告.html",
        b'<html><body><article><table><tr><td colspan="5000">x</td></tr></table></article></body></html>',
    )
    yield Case("saved page of garbage", "公告.html", b"<html>" + rng.randbytes(3000))
    yield Case("old Word file of garbage", "报告.doc", OLE_HEAD + rng.randbytes(3000))
    yield Case(
        "HTML in GB18030 with NULs",
        "乱码.xls",
        "<html><table><tr><td>单位\x00名称</td></tr></table></html>".encode("gb18030"),
    )
    yield Case("PDF truncated", "附件.pdf", planting.simple_pdf(["Page"])[:200])
    yield Case("PDF of garbage", "附件.pdf", b"%PDF-1.4\n" + rng.randbytes(3000))
    yield Case("PDF with 3 pages", "附件.pdf", planting.simple_pdf(["a", "b", "c"]))
    yield Case("picture", "照片.jpg", b"\xff\xd8\xff\xe0" + rng.randbytes(500))
    yield Case(
        "zip archive with a bomb inside", "附件.zip", _rezip(xlsx, lambda p: {"big.txt": b"0" * (50 << 20)})
    )


def _empty_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w"):
        pass
    return out.getvalue()


# --- the harness --------------------------------------------------------------------------------------------


def run_case(case: Case, folder: Path) -> tuple[str, str]:
    """(outcome, detail) of reading ``case`` in a child process."""
    path = folder / case.file
    path.write_bytes(case.content)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read the file, report, exit without running the parent's cleanup
        os.close(read)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            outcome = _read(path)
        except BaseException as err:  # noqa: BLE001 — everything a reader lets out is a finding of this fuzzer
            outcome = ("traceback", f"{type(err).__name__}: {str(err)[:200]}")
        os.write(write, json.dumps(outcome, ensure_ascii=False).encode())
        os._exit(0)
    os.close(write)
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return "hang", f"more than {TIME_LIMIT} s"
    finally:
        signal.alarm(0)
        os.close(read)
        path.unlink()
    if not chunks:
        return "crash", f"child ended with status {status}"
    outcome, detail = json.loads(b"".join(chunks))
    return outcome, detail


def _alarm(signum, frame):
    raise TimeoutError


def _read(path: Path) -> tuple[str, str]:
    from jixiao.findings import InvalidData
    from jixiao.forms import ORIGINAL_ONLY, read_file, read_original

    reader = read_original if path.suffix.lower() in ORIGINAL_ONLY else read_file
    try:
        reader(path, str(path))
    except InvalidData as err:
        lines = [f.line() for f in err.findings]
        located = err.findings and all(f.location.file == str(path) for f in err.findings)
        return ("located" if located else "unlocated"), " | ".join(lines)[:300]
    # Read: then the whole way a build goes, in a unit folder with the seed's other files, to the checks.
    return _load(path)


def _load(path: Path) -> tuple[str, str]:
    import shutil

    from jixiao.checks import check_loaded
    from jixiao.findings import InvalidData
    from jixiao.load import load_unit_with_origins

    root = path.parent / "unit"
    folder = root / "2024" / "宝城镇"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(Path(__file__).parent.parent / "data" / "2024" / "宝城镇", folder)
    shutil.copy(path, folder / path.name)
    try:
        findings = check_loaded(load_unit_with_origins(folder))
    except InvalidData as err:
        located = err.findings and all(f.location.file or f.location.field for f in err.findings)
        return ("located" if located else "unlocated"), " | ".join(f.line() for f in err.findings)[:300]
    errors = [f.line() for f in findings if f.severity == "error"]
    return ("located", " | ".join(errors)[:300]) if errors else ("ok", f"{len(findings)} findings")


def run_all(cases, folder: Path) -> dict[str, list[tuple[str, str]]]:
    outcomes: dict[str, list[tuple[str, str]]] = {}
    # The seed's own files are parsed once and cached for the loads that follow a case read well.
    previous = os.environ.get("JIXIAO_CACHE")
    os.environ["JIXIAO_CACHE"] = str(folder / "cache")
    try:
        for case in cases:
            outcome, detail = run_case(case, folder)
            outcomes.setdefault(outcome, []).append((case.name, detail))
    finally:
        if previous is None:
            os.environ.pop("JIXIAO_CACHE", None)
        else:
            os.environ["JIXIAO_CACHE"] = previous
    return outcomes
