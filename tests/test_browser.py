"""The built site in a real browser: Debian's Chromium driven by Playwright, served under a sub-path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
UNIT_PATH = "2024/" + quote("宝城镇") + "/"

if not os.path.exists(CHROMIUM):
    if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
        raise RuntimeError("JIXIAO_REQUIRE_BROWSER is set but Debian's chromium is not installed")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
    # In CI a missing Playwright is a failure, never a skip.
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """A page with every console error and every request that tried to leave localhost recorded."""

    def __init__(self, browser, **context_options):
        # These tests inject axe and evaluate predicates, which the site's own Content-Security-Policy refuses;
        # the policy itself is held in tests/test_browser_security.py, which visits every page without bypassing it.
        context_options.setdefault("bypass_csp", True)
        self.context = browser.new_context(**context_options)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    visits = []

    def open_(url, **options):
        v = Visit(browser, **options)
        visits.append(v)
        v.page.goto(url)
        return v

    yield open_
    for v in visits:
        v.close()


def test_unit_page_charts_render(visit, served_site):
    v = visit(served_site + UNIT_PATH, viewport={"width": 390, "height": 844})
    page = v.page
    charts = page.locator(".jx-chart[data-figure]")
    assert charts.count() == 8
    page.wait_for_function(
        "document.querySelectorAll('.jx-chart[data-rendered]').length === "
        "document.querySelectorAll('.jx-chart[data-figure]').length",
        timeout=15000,
    )
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("svg.main-svg").count() >= 1, chart.get_attribute("data-figure")
        assert chart.locator(".bars, .scatterlayer .trace, .waterfalllayer").count() >= 1
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 150
    # The bar labels carry the numbers: the waterfall says 1,599.38 in text, not only as a bar's height.
    assert "1,599.38" in page.locator("#fig-budget").inner_text()
    assert v.errors == [] and v.foreign == []


def test_indicator_filter_and_sort(visit, served_site):
    v = visit(served_site + UNIT_PATH, viewport={"width": 1280, "height": 900})
    page = v.page
    rows = page.locator("#jx-indicators tbody tr")
    visible = page.locator("#jx-indicators tbody tr:not([hidden])")
    assert rows.count() == 49 and visible.count() == 49
    page.fill(".jx-filter-text", "劝导员")
    assert visible.count() == 2
    assert page.locator(".jx-filter-count").inner_text() == "显示 2 / 49 项"
    page.fill(".jx-filter-text", "")
    page.select_option(".jx-filter-select[data-column='6']", "质量指标")
    assert visible.count() == 14
    page.select_option(".jx-filter-select[data-column='6']", "")
    page.select_option(".jx-filter-select[data-column='1']", "定性")
    assert visible.count() == 5
    page.select_option(".jx-filter-select[data-column='1']", "")
    # Sort by 实际完成值, descending: numbers numerically (2,000 > 1,059.39 > 762), words after numbers.
    header = page.locator("#jx-indicators thead th").nth(3).locator("button")
    header.click()
    header.click()
    assert page.locator("#jx-indicators thead th").nth(3).get_attribute("aria-sort") == "descending"
    top = [rows.nth(i).locator("th").inner_text() for i in range(3)]
    assert top == ["环境维护、治理面积", "人员经费", "接待群众来访人数"]
    assert rows.nth(48).locator(":scope > *").nth(3).inner_text() in {
        "提高",
        "提升",
        "持续改善",
        "减少",
        "健全",
    }
    # Sort by 三级指标 with Chinese collation (pinyin order): 案例警示教育… first.
    page.locator("#jx-indicators thead th").nth(0).locator("button").click()
    assert rows.nth(0).locator("th").inner_text().startswith("案例警示教育")
    assert v.errors == [] and v.foreign == []


@pytest.mark.parametrize("query", ["劝导员", "三公经费", "宝城镇", "评价"])
def test_site_search_finds_the_unit(visit, served_site, query):
    """Search from the header box of a page with charts: the search page lists the unit page."""
    v = visit(served_site + UNIT_PATH, viewport={"width": 1280, "height": 900})
    page = v.page
    page.fill("#jx-header-q", query)
    page.press("#jx-header-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(UNIT_PATH in (h or "") or "2024/宝城镇/" in (h or "") for h in hrefs), (query, hrefs)
    assert v.errors == [] and v.foreign == []


def test_search_index_is_chunked_and_light(visit, served_site):
    """The first search downloads Pagefind's code and only the index chunks the query needs."""
    v = visit(served_site + "search/", viewport={"width": 1280, "height": 900})
    page = v.page
    sizes: list[int] = []
    page.on("response", lambda r: "/pagefind/" in r.url and sizes.append(len(r.body())))
    page.fill(".pagefind-ui__search-input", "劝导员")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    assert 0 < sum(sizes) < 1024 * 1024
    assert v.errors == [] and v.foreign == []


def test_every_page_asks_only_localhost(visit, served_site):
    for path in ("", "about/", "data-format/", "checks/", "search/?q=" + quote("劝导员"), UNIT_PATH):
        v = visit(served_site + path)
        v.page.wait_for_load_state("networkidle")
        assert v.foreign == [], (path, v.foreign)
        assert v.errors == [], (path, v.errors)


def test_unit_page_without_javascript(visit, served_site):
    v = visit(served_site + UNIT_PATH, java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = v.page
    assert page.locator("#jx-indicators tbody tr:visible").count() == 49
    # With no chart drawn, the summary sentence and the open data table stand in for each chart.
    assert page.locator(".jx-chart-fallback:visible").count() == 8
    assert page.locator("details.jx-chart-data[open]").count() == 8
    assert page.locator(".jx-filter").is_hidden()  # the filter needs the script, so it stays out of the way
    assert "93.8 分" in page.locator(".jx-cards").inner_text()


def test_keyboard_reaches_the_sort_buttons(visit, served_site):
    v = visit(served_site + UNIT_PATH, viewport={"width": 1280, "height": 900})
    page = v.page
    button = page.locator("#jx-indicators thead th").nth(4).locator("button")
    # Reach it as a keyboard user does: Tab from the top of the page until the sort button has focus.
    page.locator("body").focus()
    for _ in range(400):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the 权重 sort button")
    page.keyboard.press("Enter")
    assert page.locator("#jx-indicators thead th").nth(4).get_attribute("aria-sort") == "ascending"


def test_comparison_selected_in_the_url_renders_side_by_side(visit, served_demo):
    units = ["2024/示例镇01", "2024/示例街道02", "2023/示例镇01"]
    query = "&".join("u=" + quote(u) for u in units)
    v = visit(served_demo + "compare/?" + query, viewport={"width": 1280, "height": 900})
    page = v.page
    page.wait_for_function(
        "document.querySelectorAll('#jx-compare .jx-chart[data-rendered]').length === 5", timeout=15000
    )
    cards = page.locator("#jx-compare .jx-card")
    assert cards.count() == 3
    assert cards.nth(0).inner_text().startswith("示例镇01（2024）")
    for i in range(5):
        assert page.locator("#jx-compare .jx-chart").nth(i).locator("svg.main-svg").count() >= 1
    # The picker shows the selection, and the data tables carry the same numbers as text.
    assert page.locator("select[name=u]").nth(1).input_value() == "2024/示例街道02"
    assert page.locator("#fig-compare-met table tbody tr").count() == 3
    assert v.errors == [] and v.foreign == []


def test_comparison_picker_puts_the_selection_in_the_url(visit, served_demo):
    v = visit(served_demo + "compare/", viewport={"width": 1280, "height": 900})
    page = v.page
    page.wait_for_selector(".jx-compare-form:not([hidden])")
    page.select_option("select[data-slot='0']", "2024/示例镇01")
    page.select_option("select[data-slot='1']", "2024/示例局03")
    page.click(".jx-compare-form button[type=submit]")
    page.wait_for_function(
        "document.querySelectorAll('#jx-compare .jx-chart[data-rendered]').length === 5", timeout=15000
    )
    assert "u=2024%2F%E7%A4%BA%E4%BE%8B%E9%95%8701" in page.url
    assert v.errors == [] and v.foreign == []


def test_indicator_explorer_filters(visit, served_demo):
    v = visit(served_demo + "indicators/", viewport={"width": 1280, "height": 900})
    page = v.page
    page.wait_for_selector(".jx-explorer-form:not([hidden])")
    rows = page.locator("#jx-explorer-results tbody tr")
    everything = rows.count()
    assert everything > 20
    page.fill(".jx-explorer-form input[name=q]", "满意度")
    assert 0 < rows.count() < everything
    assert all("满意度" in rows.nth(i).inner_text() for i in range(rows.count()))
    page.fill(".jx-explorer-form input[name=q]", "")
    page.select_option(".jx-explorer-form select[name=year]", "2023")
    assert all(rows.nth(i).locator("td").nth(0).inner_text() == "2023" for i in range(min(rows.count(), 30)))
    page.check(".jx-explorer-form input[name=group]")
    assert "按名称分为" in page.locator(".jx-explorer-count").inner_text()
    page.locator("#jx-explorer-results tbody tr button.jx-link").first.click()
    assert page.locator(".jx-explorer-form input[name=group]").is_checked() is False
    assert rows.count() >= 1
    assert v.errors == [] and v.foreign == []


def test_demo_pages_ask_only_localhost(visit, served_demo):
    for path in (
        "",
        "2023/",
        "units/",
        "units/乡镇/",
        "compare/",
        "indicators/",
        "open-data/",
        "2024/示例镇01/",
    ):
        v = visit(served_demo + quote(path))
        v.page.wait_for_load_state("networkidle")
        assert v.foreign == [] and v.errors == [], (path, v.foreign, v.errors)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.mark.parametrize(
    ("site", "path"),
    [
        ("real", ""),
        ("real", UNIT_PATH),
        ("real", "checks/"),
        ("real", "about/"),
        ("real", "search/?q=" + quote("劝导员")),
        ("demo", "compare/?u=" + quote("2024/示例镇01") + "&u=" + quote("2024/示例局03")),
        ("demo", "indicators/"),
        ("demo", "open-data/"),
        ("demo", "units/"),
    ],
)
def test_pages_pass_automated_accessibility_checks(visit, served_site, served_demo, site, path):
    """axe-core's WCAG 2 A and AA rules on the rendered pages, charts and scripts included."""
    base = served_site if site == "real" else served_demo
    v = visit(base + path, viewport={"width": 1280, "height": 900})
    v.page.wait_for_load_state("networkidle")
    v.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = v.page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(x => x.id + ': ' + x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []
