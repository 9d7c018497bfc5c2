"""The built site: MkDocs --strict, no other host, relative links, downloads that open, escaping end to end."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import yaml

from jixiao.cli import main

from .conftest import FIXTURES, ROOT, SEED

UNIT = Path("2024") / "宝城镇"
# Elements that make the browser fetch: a <link rel="canonical"> names the page's public address (the site is
# built with one) and fetches nothing, so it is not counted.
EXTERNAL = re.compile(
    r"""<(?:script|link(?![^>]*rel="canonical")|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
    re.I,
)


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 4  # home, 说明, 数据格式, the unit, 404
    return pages


def test_mkdocs_strict_build_passes(tmp_path):
    # Not -q: quiet mode would hide the warnings that --strict turns into failures.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^(WARNING|ERROR)\s+-", result.stderr, re.M), result.stderr
    assert (tmp_path / "site" / UNIT / "index.html").is_file()


def test_no_page_loads_anything_from_another_host(built_site):
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css.read_text(encoding="utf-8")), css


def test_links_are_relative_so_the_site_works_under_a_sub_path(built_site):
    # 404.html is served at any address, so MkDocs makes its links absolute from site_url (`--site-url`).
    for page in html_pages(built_site):
        if page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        absolute = re.findall(r"""(?:href|src)=["'](/[^/"'][^"']*)""", text)
        assert absolute == [], (page, absolute[:3])


def test_plotly_loads_only_on_pages_with_charts(built_site):
    with_charts = [UNIT / "index.html", Path("compare/index.html")]
    without = [
        Path("index.html"),  # its score distribution is drawn at build time
        Path("about/index.html"),
        Path("checks/index.html"),
        Path("open-data/index.html"),
        Path("data-format/index.html"),
        Path("units/index.html"),
        Path("indicators/index.html"),
    ]
    for page in with_charts:
        assert "plotly-jixiao.min." in (built_site / page).read_text(encoding="utf-8"), page
    for page in without:
        assert "plotly-jixiao" not in (built_site / page).read_text(encoding="utf-8"), page
    assert (built_site / "assets" / "js" / "plotly-jixiao.min.js").is_file()


def test_assets_carry_their_content_hash_in_their_names(built_site):
    """A portal may cache assets/ for a year: each page asks for names that change whenever the file does."""
    checked = set()
    for page in (Path("index.html"), UNIT / "index.html", Path("compare/index.html"), Path("404.html")):
        html = (built_site / page).read_text(encoding="utf-8")
        # No script or style of jixiao's is asked for under its plain name.
        assert not re.search(r'assets/(js|css)/[\w.-]+?(?<!\.[0-9a-f]{8})\.(js|css)"', html), page
        for path, digest in re.findall(r'(assets/(?:js|css)/[\w.-]+\.([0-9a-f]{8})\.(?:js|css))"', html):
            content = (built_site / path).read_bytes()
            assert hashlib.sha256(content).hexdigest()[:8] == digest, path
            checked.add(path)
    assert {p.split("/")[-1].split(".")[0] for p in checked} >= {"jixiao", "charts", "plotly-jixiao"}
    assert (built_site / UNIT / "figures.json").is_file()


def test_unit_pages_are_linked_but_not_in_the_nav(built_site):
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', about, re.S).group(0)
    assert "宝城镇" not in nav
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="2024/%E5%AE%9D%E5%9F%8E%E9%95%87/"' in home or 'href="2024/宝城镇/"' in home


def test_page_reads_without_javascript(built_site):
    """Everything a chart says is in the HTML as text and tables; every indicator is a table row."""
    html = (built_site / UNIT / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="jx-table jx-stack jx-indicators".*?</table>', html, re.S).group(0)
    assert table.count("<tr>") == 1 + 49
    assert html.count('class="jx-chart-summary"') == 8
    assert html.count('<details class="jx-chart-data" open data-pagefind-ignore>') == 8
    assert "年初预算 1,354.29 万元，年中调整增加 245.09 万元，调整后预算 1,599.38 万元。" in html


def test_csv_downloads_open_in_excel(built_site):
    for name in ("indicators.csv", "scores.csv"):
        raw = (built_site / UNIT / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # the BOM Excel needs for UTF-8
    frame = pd.read_csv(built_site / UNIT / "indicators.csv", encoding="utf-8-sig")
    assert len(frame) == 49
    assert frame.loc[1, "三级指标"] == "村、社区劝导员人数" and frame.loc[1, "实际完成值"] == "30"


def test_xlsx_has_the_same_rows_as_the_json(built_site):
    data = json.loads((built_site / UNIT / "evaluation.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(io.BytesIO((built_site / UNIT / "evaluation.xlsx").read_bytes()))
    assert book.sheetnames == ["资金", "绩效指标", "自评打分", "年度主要任务"]
    rows = list(book["绩效指标"].iter_rows(values_only=True))
    assert len(rows) - 1 == len(data["indicators"]) == 49
    header = rows[0]
    for row, indicator in zip(rows[1:], data["indicators"], strict=True):
        record = dict(zip(header, row, strict=True))
        assert record["三级指标"] == indicator["name"]
        assert record["权重"] == indicator["weight"]
    scores = list(book["自评打分"].iter_rows(values_only=True))
    assert sum(r[scores[0].index("自评得分")] for r in scores[1:]) == data["scores"]["total"]


def test_json_download_is_the_canonical_evaluation(built_site):
    data = json.loads((built_site / UNIT / "evaluation.json").read_text(encoding="utf-8"))
    expected = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    assert data["indicators"] == expected["indicators"]
    assert data["funds"] == expected["funds"]
    assert [s["file"] for s in data["sources"]] == ["打分表.xls", "自评报告.docx", "自评表.xlsx"]


def test_original_files_are_published_byte_for_byte(built_site):
    for name in ("打分表.xls", "自评报告.docx", "自评表.xlsx"):
        assert (built_site / UNIT / "原始文件" / name).read_bytes() == (SEED / name).read_bytes()
    html = (built_site / UNIT / "index.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((SEED / "自评表.xlsx").read_bytes()).hexdigest()
    assert digest in html


def test_hostile_text_is_shown_as_text(tmp_path, capsys):
    evaluation = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    evaluation["unit"]["name"] = "<script>alert(1)</script>"
    evaluation["indicators"][0]["name"] = "<img src=x onerror=alert(2)>"
    evaluation["tasks"][0]["content"] = "</textarea><script>alert(3)</script>"
    folder = tmp_path / "data" / "2024" / "宝城镇"
    folder.mkdir(parents=True)
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(evaluation, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    assert (
        main(
            [
                "build",
                "--data",
                str(tmp_path / "data"),
                "--site",
                str(site),
                "--config",
                str(ROOT / "mkdocs.yml"),
            ]
        )
        == 0
    ), capsys.readouterr().err
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
    unit = (site / UNIT / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unit
    assert "&lt;img src=x onerror=alert(2)&gt;" in unit


def test_the_data_is_read_once_per_build_until_a_file_changes(tmp_path, monkeypatch):
    """The build asks for the data's fingerprint several times: a settled data folder is read once; a file written
    since, even to the same size, or written within the last two seconds, is read again."""
    import time

    import jixiao.site as site

    data = tmp_path / "data"
    (data / "2024" / "宝城镇").mkdir(parents=True)
    unit = data / "2024" / "宝城镇" / "evaluation.yaml"
    unit.write_text("year: 2024\n", encoding="utf-8")
    (data / "site.yaml").write_text("title: 示例\n", encoding="utf-8")
    reads: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or read_bytes(self))
    site.forget()
    first = site.fingerprint(data)
    assert len(reads) == 2 and site.fingerprint(data) == first and len(reads) == 4  # just written: read again
    later = time.time_ns() + 10_000_000_000
    monkeypatch.setattr(site.time, "time_ns", lambda: later)
    assert site.fingerprint(data) == first and len(reads) == 6
    assert site.fingerprint(data) == first and len(reads) == 6  # settled: not read again
    time.sleep(0.05)
    unit.write_text("year: 2023\n", encoding="utf-8")  # the same size
    assert site.fingerprint(data) != first and len(reads) == 8
