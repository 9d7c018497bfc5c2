"""The real-disclosure corpus: every fixture of tests/fixtures/realdata through ``jixiao import``, per format.

Each fixture is one of the 23 disclosures of shared/realdata, laid out as it was published and saved in the formats
units publish (``tests/fixtures/realdata/build.py`` rebuilds them). Its expected values were written by hand from the
transcription (``expected/<key>.yaml``). For each format the test prints how many expected fields were read
correctly, and asserts at least 99% and no invented rows (an indicator, project, scoring item or stated figure the
file does not hold).

    .venv/bin/pytest -q -s tests/test_realdata.py      # prints the field-match figure per format
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from jixiao.cli import main

CORPUS = Path(__file__).parent / "fixtures" / "realdata"
FORMATS = {
    ".xlsx": "xlsx",
    ".xls": "html-xls",
    ".html": "saved page",
    ".htm": "saved page",
    ".shtml": "saved page",
    ".pdf": "PDF",
    ".docx": "docx",
}
ROWS = ("projects", "indicators", "items", "stated", "by_source", "by_nature", "deductions", "tasks")


def fixtures() -> list[Path]:
    return sorted(p for p in (CORPUS / "files").iterdir() if p.suffix in FORMATS)


def as_read(path: Path, capsys) -> tuple[int, dict, str]:
    """What ``jixiao import`` prints: its exit status, the data (report figures as ``stated``; {"refused": …} when
    it refused the file, counted as nothing read) and the findings it told the clerk about."""
    code = main(["import", str(path)])
    out, err = capsys.readouterr()
    if code != 0:
        return code, {"refused": err}, err
    data = json.loads(out)
    data.pop("sources", None)
    report = data.pop("report", {})
    if report.get("stated"):
        data["stated"] = {s["field"]: s["value"] for s in report["stated"]}
    return code, data, err


def imported(path: Path, capsys, strict: bool = True) -> dict:
    code, data, err = as_read(path, capsys)
    assert not strict or code == 0, f"{path.name}: {err}"
    return data


def leaves(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, list):
        for n, value in enumerate(node, start=1):
            yield from leaves(value, f"{prefix}[{n}]")
    else:
        yield prefix, node


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-6 * max(1, abs(a))
    return a == b


def for_format(expected: dict, path: Path) -> dict:
    """The expected values of one file: ``not_in: {xls: [year]}`` drops fields that layout does not print (an
    export without the title line has no year)."""
    absent = (expected.pop("not_in", None) or {}).get(path.suffix.lstrip("."), [])
    return {k: v for k, v in expected.items() if k not in absent}


def invented(expected, actual, path="") -> list[str]:
    """What the file does not hold: list items beyond the expected ones, fields and stated figures not expected."""
    out = []
    if isinstance(actual, dict):
        for key, value in actual.items():
            want = expected.get(key) if isinstance(expected, dict) else None
            if key == "stated" and isinstance(value, dict):
                out += [
                    f"stated {k}={v}" for k, v in value.items() if not isinstance(want, dict) or k not in want
                ]
                continue
            where = f"{path}.{key}" if path else key
            if key == "report":
                continue  # the report's text and tables are kept whole; its figures are the statements above
            if want is None and not isinstance(value, (dict, list)):
                out.append(f"{where}={value!r}")  # a figure the file does not hold, or one nobody expected
                continue
            out += invented(want, value, where)
    elif isinstance(actual, list) and path.split(".")[-1] in ROWS:
        want = expected if isinstance(expected, list) else []
        out += [f"{path}[{n}]" for n in range(len(want) + 1, len(actual) + 1)]
        for n, item in enumerate(actual[: len(want)]):
            out += invented(want[n], item, f"{path}[{n + 1}]")
    return out


def test_every_fixture_is_read_with_its_expected_values(capsys, printed_pdfs):
    files = fixtures()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # format -> [matched, expected]
    rows: dict[str, list[str]] = defaultdict(list)
    misses: list[str] = []
    for path in files:
        expected = for_format(
            yaml.safe_load((CORPUS / "expected" / f"{path.stem}.yaml").read_text(encoding="utf-8")), path
        )
        want = dict(leaves(expected))
        data = imported(path, capsys, strict=False)
        if "refused" in data:
            misses.append(f"{path.name} refused: {data['refused'][:300]}")
        got = dict(leaves(data))
        fmt = FORMATS[path.suffix]
        for key, value in want.items():
            totals[fmt][1] += 1
            if key in got and same(got[key], value):
                totals[fmt][0] += 1
            else:
                misses.append(f"{path.name} {key}: expected {value!r}, read {got.get(key)!r}")
        rows[fmt] += [f"{path.name} {r}" for r in invented(expected, data) if "refused" not in data]
    with capsys.disabled():
        print("\nfield match per format (real-disclosure corpus):")
        for fmt, (matched, total) in sorted(totals.items()):
            count = sum(1 for p in files if FORMATS[p.suffix] == fmt)
            print(
                f"  {fmt:11} {matched}/{total} fields = {matched / total:.1%} ({count} files), "
                f"invented rows: {len(rows[fmt])}"
            )
        shown: dict[str, int] = defaultdict(int)
        for miss in misses:  # the first few of each file: enough to see what kind of input fails
            file = miss.split(" ", 1)[0]
            shown[file] += 1
            if shown[file] <= 4:
                print("  miss:", miss[:240])
        for fmt in rows:
            for row in rows[fmt][:20]:
                print("  invented:", row)
    formats = set(FORMATS.values()) - (set() if printed_pdfs else {"PDF"})
    assert set(totals) >= formats, "every format has fixtures"
    assert all(total > 0 for _, total in totals.values())
    for fmt, (matched, total) in totals.items():
        assert matched / total >= 0.99, f"{fmt}: {matched}/{total}"
    assert not any(rows.values())


@pytest.mark.parametrize("path", [p for p in fixtures() if p.suffix != ".pdf"], ids=lambda p: p.name)
def test_fixture_imports_cleanly(path, capsys):
    """Each file alone: imported without error (its figures are judged above)."""
    assert imported(path, capsys)
