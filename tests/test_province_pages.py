"""A province's hub pages stay light: a table of every unit longer than INLINE_ROWS (a year's ranking on its
overview, the comparison's table of every unit, the warnings on 数据核对) is a page of its own, linked from where it
was; the directory links to each kind's page rather than listing every unit again."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

import jixiao.render.overview as overview
from jixiao.build import build_site
from jixiao.demo import write_demo
from jixiao.site import forget
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    root = tmp_path_factory.mktemp("province")
    data, site = root / "data", root / "site"
    write_demo(data, units=6, years=[2023, 2024])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(overview, "INLINE_ROWS", 5)  # six units a year, twelve in all: both tables move out
        forget()
        build_site(data, site, ROOT / "mkdocs.yml")
    return site


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _links(html: str, page: str, site: Path) -> list[Path]:
    """The unit pages a page links to, as files of the site (each must exist)."""
    base = (site / page).resolve()
    found = []
    for href in re.findall(r'<th scope="row"><a href="([^"]+)"', html):
        target = (base / unquote(href.split("#")[0])).resolve() / "index.html"
        found.append(target)
    return found


def test_the_home_page_links_to_the_years_ranking_instead_of_listing_every_unit(province):
    home = _html(province, "")
    assert 'id="jx-ranking"' not in home
    assert '<a href="ranking/2024/">2024 年度单位排行（6 个单位' in home
    ranking = _html(province, "ranking/2024")
    assert "<h1" in ranking and "2024 年度单位排行" in ranking
    units = _links(ranking, "ranking/2024", province)
    assert len(units) == 6 and all(u.is_file() and "/2024/" in u.as_posix() for u in units)
    # An older year's overview links to its own ranking page.
    assert '<a href="../ranking/2023/">2023 年度单位排行' in _html(province, "2023")
    assert len(_links(_html(province, "ranking/2023"), "ranking/2023", province)) == 6


def test_the_comparison_links_to_the_table_of_every_unit_on_a_page_of_its_own(province):
    compare = _html(province, "compare")
    assert 'id="jx-compare-all"' not in compare and "jx-all-table" not in compare
    assert '<a href="all/">全部单位一览（12 份自评的主要指标' in compare
    assert "全部单位的同一组数字见" in compare  # what a reader without JavaScript is told
    table = _html(province, "compare/all")
    units = _links(table, "compare/all", province)
    assert len(units) == 12 and all(u.is_file() for u in units)
    assert 'id="jx-compare-all"' in table and "data-sortable" in table


def _warnings(html: str) -> list[str]:
    """The rows of a page's table of findings to check (unit and year, rule, message, place), as text."""
    table = re.search(r'<table[^>]*id="jx-findings".*?<tbody>(.*?)</tbody>', html, re.S)
    return re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []


def test_the_checks_page_lists_each_years_warnings_on_a_page_of_its_own(province, tmp_path):
    checks = _html(province, "checks")
    assert 'id="jx-findings"' not in checks
    listed = dict(re.findall(r'<a href="(\d{4})/">\d{4} 年度：需核对 (\d+) 条</a>', checks))
    assert set(listed) == {"2023", "2024"}
    total = int(re.search(r"需核对的发现共 (\d+) 条", checks).group(1))
    assert sum(map(int, listed.values())) == total > 5
    for year, count in listed.items():
        page = _html(province, f"checks/{year}")
        rows = _warnings(page)
        assert len(rows) == int(count) and all(f"{year}</a>" in row for row in rows)
        units = _links(page, f"checks/{year}", province)
        assert len(units) == len(rows) and all(u.is_file() and f"/{year}/" in u.as_posix() for u in units)
        assert 'class="jx-filter" data-table="jx-findings"' in page  # filterable, as on the one page
    # The rule counts stay on the one page.
    assert "各规则发现的数量" in checks


def test_the_directory_links_to_each_kinds_page_instead_of_listing_every_unit(province):
    directory = _html(province, "units")
    assert "jx-unit-list" not in directory
    assert "共 6 个单位，按类型分页列出" in directory  # the latest year of each unit
    kinds = re.findall(r'<li><a href="([^"/]+)/">[^<]+</a>（(\d+) 个）</li>', directory)
    assert sum(int(n) for _, n in kinds) == 6 and len(kinds) > 1
    for kind, count in kinds:
        page = _html(province, f"units/{unquote(kind)}")
        units = _links(page, f"units/{unquote(kind)}", province)
        assert len(units) == int(count) and all(u.is_file() for u in units)


def test_a_county_keeps_its_tables_on_the_hub_pages(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'id="jx-ranking"' in home and not (built_site / "ranking").exists()
    assert 'id="jx-compare-all"' in (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert not (built_site / "compare" / "all").exists()
    checks = (built_site / "checks" / "index.html").read_text(encoding="utf-8")
    assert 'id="jx-findings"' in checks and not list((built_site / "checks").glob("*/index.html"))
    assert "jx-unit-list" in (built_site / "units" / "index.html").read_text(encoding="utf-8")
