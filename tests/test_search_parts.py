"""A big site's search index comes in parts (jixiao/search_index.py): hub pages in the first, the unit pages spread
over the others by their folder; the search page merges them, so a reader searches one index. A corrected unit
re-indexes its own part and the hubs', and the site is the same as one built from nothing."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

import jixiao.search_index as search_index
from jixiao.build import build_site
from jixiao.demo import write_demo
from jixiao.site import forget
from tests.conftest import serve_under_subpath
from tests.test_browser import browser, visit  # noqa: F401, F811 (the browser tests' fixtures)

PARTS = 4


def _project(root: Path, per_part: int) -> Path:
    config = root / "mkdocs.yml"
    (root / "docs").mkdir(exist_ok=True)
    config.write_text(
        f"site_name: 分片索引\nplugins:\n  - jixiao:\n      search_part_units: {per_part}\n", encoding="utf-8"
    )
    return config


def _fragments(index: Path) -> list[dict]:
    found = []
    for f in sorted((index / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        found.append(json.loads(raw[raw.index(b"{") :]))
    return found


def _unit_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).parent.as_posix() + "/"
        for p in site.glob("20*/*/index.html")  # a unit's page, not its 公示卡 (card/index.html)
    )


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    data, site = root / "data", root / "site"
    write_demo(data, units=6, years=[2023, 2024])  # 12 unit pages, 3 to a part
    config = _project(root, per_part=3)
    forget()
    build_site(data, site, config)
    return data, site, config


def test_the_index_is_in_parts_that_hold_every_page_once(parted):
    _, site, _ = parted
    units = _unit_pages(site)
    assert len(units) == 12
    hubs = _fragments(site / "pagefind")
    parts = [_fragments(site / "pagefind" / f"part-{n}") for n in range(1, PARTS + 1)]
    urls = [unquote(f["url"]) for part in parts for f in part]
    # Every unit page is in exactly one part, and nothing else is in those parts.
    assert sorted(u.lstrip("/") for u in urls) == units
    assert all(part for part in parts)  # each part holds some of them
    # The hubs (home, years, directory, …) are the first part, without the unit pages.
    hub_urls = {unquote(f["url"]) for f in hubs}
    assert "/" in hub_urls and "/about/" in hub_urls and not hub_urls & set(urls)
    # The merged parts are the index alone: the search code and its WebAssembly are the first part's.
    assert (site / "pagefind" / "pagefind.js").is_file()
    for n in range(1, PARTS + 1):
        names = {p.name for p in (site / "pagefind" / f"part-{n}").iterdir() if p.is_file()}
        assert "pagefind-entry.json" in names and any(n.endswith(".pf_meta") for n in names)
        assert not [n for n in names if n.endswith((".js", ".css", ".pagefind"))], names
    assert not (site / "pagefind" / f"part-{PARTS + 1}").exists()


def test_the_search_page_names_the_parts_under_the_sites_address(parted):
    _, site, _ = parted
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    named = re.search(r'data-parts="([^"]*)"', html).group(1).split()
    assert named == [f"../pagefind/part-{n}/" for n in range(1, PARTS + 1)]


def test_a_site_within_one_part_has_one_index(tmp_path):
    data, site = tmp_path / "data", tmp_path / "site"
    write_demo(data, units=2, years=[2024])
    forget()
    build_site(data, site, _project(tmp_path, per_part=50))
    assert not list((site / "pagefind").glob("part-*"))
    assert "data-parts" not in (site / "search" / "index.html").read_text(encoding="utf-8")
    assert len(_fragments(site / "pagefind")) > 2  # the unit pages and the hubs, in the one index


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_a_corrected_unit_reindexes_only_the_parts_it_changed(tmp_path, monkeypatch):
    data, site, fresh = tmp_path / "data", tmp_path / "site", tmp_path / "fresh"
    write_demo(data, units=6, years=[2023, 2024])
    config = _project(tmp_path, per_part=3)
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    forget()
    build_site(data, site, config)
    before = _pages(site)
    runs: list[set[str]] = []  # the pages of each part Pagefind indexed
    original = search_index._index

    def counting(folder: Path, out: Path) -> int:
        runs.append({p.relative_to(folder).as_posix() for p in folder.rglob("*.html")})
        return original(folder, out)

    monkeypatch.setattr(search_index, "_index", counting)
    unit = sorted(data.glob("2024/*/evaluation.yaml"))[0]
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("示例县", "示例县（更正）", 1), encoding="utf-8")
    forget()
    build_site(data, site, config)
    after = _pages(site)
    changed = {p for p in after if before.get(p) != after[p]}
    assert f"2024/{unit.parent.name}/index.html" in changed
    # Pagefind is given only the pages it indexes (those that mark their body): not the unit's 公示卡.
    indexed = {p for p in changed if b"data-pagefind-body" in after[p]}
    assert f"2024/{unit.parent.name}/card/index.html" in changed - indexed
    assert all(b"data-pagefind-body" in after[p] for run in runs for p in run)
    # Pagefind ran only for the parts that hold a changed page it indexes, and for each of them.
    assert all(run & indexed for run in runs), runs
    assert set().union(*runs) >= indexed
    assert 2 <= len(runs) < PARTS + 1
    # The same site as one built from nothing.
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "empty-cache"))
    forget()
    build_site(data, fresh, config)
    index = {
        p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()
    }
    again = {
        p.relative_to(fresh).as_posix(): p.read_bytes()
        for p in (fresh / "pagefind").rglob("*")
        if p.is_file()
    }
    assert index == again


@pytest.fixture(scope="module")
def served_parted(parted, tmp_path_factory):
    yield from serve_under_subpath(parted[1], tmp_path_factory.mktemp("parts-portal"))


SEARCH_DONE = "/找到 \\d+ 个结果|没有找到/.test(document.querySelector('.jx-search-status')?.innerText || '')"


def test_a_search_finds_units_of_every_part_and_filters_them_as_one(visit, served_parted, parted):  # noqa: F811
    _, site, _ = parted
    v = visit(served_parted + "search/?q=" + quote("示例"), viewport={"width": 390, "height": 844})
    page = v.page
    page.wait_for_function(SEARCH_DONE, timeout=90000)
    status = page.locator(".jx-search-status").inner_text()
    total = int(re.search(r"找到 (\d+) 个结果", status).group(1))
    assert total >= 12, status  # every unit page (each names its county), from the four parts
    links = page.locator(".jx-result-link")
    while links.count() < total:  # five at a time: "显示更多结果" draws the next ones
        shown = links.count()
        page.locator(".jx-search-more").click()
        page.wait_for_function(
            f"document.querySelectorAll('.jx-result-link').length > {shown}", timeout=60000
        )
    hrefs = {unquote(h) for h in page.locator(".jx-result-link").evaluate_all("els => els.map(e => e.href)")}
    units = {served_parted + u for u in _unit_pages(site)}
    assert units <= hrefs, sorted(units - hrefs)  # at the site's own address, under its sub-path
    # The filters count the pages of every part: six units in each year.
    page.locator(".jx-search-filters summary").click()
    page.locator(".jx-search-filter legend", has_text="年度").wait_for(timeout=60000)
    counted = page.locator(".jx-search-filter", has_text="年度").inner_text()
    assert re.search(r"2023（6）", counted) and re.search(r"2024（6）", counted), counted


def test_a_part_size_below_one_is_a_configuration_error(tmp_path, capsys):
    from jixiao.cli import main

    data = tmp_path / "data"
    write_demo(data, units=1, years=[2024])
    config = _project(tmp_path, per_part=0)
    assert (
        main(["build", "-q", "--data", str(data), "--site", str(tmp_path / "site"), "--config", str(config)])
        == 1
    )
    err = capsys.readouterr().err
    assert "search_part_units" in err and "应为正整数，实际为 0" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()
