"""The built site in a real browser: Debian's Chromium driven by Playwright, served under a sub-path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

from .conftest import SITE_URL, SUBPATH, serve_under_subpath

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
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        self.requests.append(route.request.url)
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

    def open_(url, init_script=None, **options):
        v = Visit(browser, **options)
        visits.append(v)
        if init_script:
            v.page.add_init_script(init_script)
        v.page.goto(url)
        return v

    yield open_
    for v in visits:
        v.close()


def scroll_to_every(page, selector: str, count: int) -> None:
    """Charts are drawn as they come near the screen: bring each one there, then wait until all are drawn."""
    page.wait_for_function(f"document.querySelectorAll({selector!r}).length === {count}", timeout=15000)
    page.mouse.move(5, 5)  # charts wait until the reader does something with the page
    for i in range(count):
        page.locator(selector).nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        f"Array.from(document.querySelectorAll({selector!r})).every(n => n.hasAttribute('data-rendered'))",
        timeout=15000,
    )


def test_unit_page_charts_render(visit, served_site):
    v = visit(served_site + UNIT_PATH, viewport={"width": 390, "height": 844})
    page = v.page
    charts = page.locator(".jx-chart[data-figure]")
    assert charts.count() == 8
    scroll_to_every(page, ".jx-chart[data-figure]", 8)
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("svg.main-svg").count() >= 1, chart.get_attribute("data-figure")
        assert chart.locator(".bars, .scatterlayer .trace, .waterfalllayer").count() >= 1
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 150
    # The bar labels carry the numbers: the waterfall says 1,599.38 in text, not only as a bar's height.
    assert "1,599.38" in page.locator("#fig-budget").inner_text()
    assert v.errors == [] and v.foreign == []


def test_every_drawn_chart_keeps_its_visible_text_summary(visit, served_site, built_site):
    """With JavaScript on, each chart's one-sentence summary stays on screen beside the picture: it is the chart's
    text alternative (aria-describedby) for everyone, not only for readers without scripts."""
    html = (built_site / "2024" / "宝城镇" / "index.html").read_text(encoding="utf-8")
    written = re.findall(r'<p class="jx-chart-summary" id="sum-([\w-]+)">([^<]+)</p>', html)
    assert len(written) == 8
    v = visit(served_site + UNIT_PATH, viewport={"width": 390, "height": 844})
    page = v.page
    scroll_to_every(page, ".jx-chart[data-figure]", 8)
    figures = page.locator("figure.jx-figure:has(.jx-chart[data-figure])")
    assert figures.count() == 8
    for i, (chart_id, sentence) in enumerate(written):
        figure = figures.nth(i)
        chart, summary = figure.locator(".jx-chart"), figure.locator(".jx-chart-summary")
        assert chart.get_attribute("data-rendered") is not None and chart.locator("svg.main-svg").count() >= 1
        assert chart.get_attribute("aria-describedby") == summary.get_attribute("id") == f"sum-{chart_id}"
        assert summary.is_visible(), chart_id
        assert summary.inner_text() == sentence.strip()
        box = summary.bounding_box()
        assert box["height"] >= 12 and box["width"] > 200, (
            chart_id,
            box,
        )  # on screen, not a clipped sr-only box
    # The crumbs above the heading read as a path, the separators drawn by the style sheet.
    crumbs = page.locator("nav.jx-crumbs li")
    separators = crumbs.evaluate_all(
        "items => items.map(li => getComputedStyle(li, '::before').content.replace(/\"/g, ''))"
    )
    words = [crumbs.nth(i).inner_text() for i in range(crumbs.count())]
    assert "".join(
        s if s != "none" else "" for pair in zip(separators, words, strict=True) for s in pair
    ) == ("首页›单位目录›乡镇›宝城镇›2024")
    assert v.errors == [] and v.foreign == []


def test_charts_are_drawn_as_they_come_near_the_screen(visit, served_site):
    """A phone downloads and draws a chart only when the reader gets near it; the home page needs no library."""
    v = visit(served_site + UNIT_PATH, viewport={"width": 390, "height": 844})
    page = v.page
    page.wait_for_load_state("networkidle")
    # The first view is text and tables: no chart library before the reader does something with the page.
    assert page.locator(".jx-chart[data-rendered]").count() == 0
    assert not [url for url in v.requests if "plotly-jixiao" in url]
    page.mouse.move(5, 5)
    first = page.locator(".jx-chart[data-figure]").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.jx-chart[data-figure]').hasAttribute('data-rendered')")
    last = page.locator(".jx-chart[data-figure]").last
    assert last.get_attribute("data-rendered") is None  # far down the page: not drawn yet
    last.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelectorAll('.jx-chart[data-figure]')[7].hasAttribute('data-rendered')", timeout=15000
    )
    assert any("plotly-jixiao.min." in url for url in v.requests)
    # Before printing (and for a test that looks at every chart at once) all are drawn, wherever they are.
    page.evaluate("window.jixiaoCharts.drawAll()")
    page.wait_for_function(
        "[...document.querySelectorAll('.jx-chart[data-figure]')].every(n => n.hasAttribute('data-rendered'))",
        timeout=15000,
    )

    home = visit(served_site, viewport={"width": 390, "height": 844})
    home.page.wait_for_load_state("networkidle")
    assert home.page.locator(".jx-hbars li").count() == 10  # the score distribution, drawn at build time
    assert not [url for url in home.requests if "plotly" in url or "figures.json" in url]
    assert v.errors == home.errors == [] and v.foreign == home.foreign == []


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


def _search_from_header(page, query: str) -> None:
    """The query typed into the header's box and Enter pressed: the search page, once it has drawn its results (the
    status line is written once the results it announces are drawn)."""
    page.fill("#jx-header-q", query)
    page.press("#jx-header-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_function(SEARCH_DONE, timeout=60000)


@pytest.mark.parametrize("query", ["劝导员", "三公经费", "宝城镇", "评价"])
def test_site_search_finds_the_unit(visit, served_site, query):
    """Search from the header box of a page with charts: the search page lists the unit page."""
    v = visit(served_site + UNIT_PATH, viewport={"width": 1280, "height": 900})
    page = v.page
    _search_from_header(page, query)
    results = page.locator(".jx-result-link")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(UNIT_PATH in (h or "") or "2024/宝城镇/" in (h or "") for h in hrefs), (query, hrefs)
    assert v.errors == [] and v.foreign == []


SEARCH_FILES = ("search.", "search-worker.", "pagefind-jixiao.js", "wasm.unknown.pagefind")


def _search_files(urls) -> list[str]:
    return [u for u in urls if unquote(u).rsplit("/", 1)[-1].startswith(SEARCH_FILES)]


def _entries(site: Path) -> dict:
    return json.loads((site / "pagefind" / "jixiao-entries.json").read_text(encoding="utf-8"))


def test_a_reader_in_the_header_box_gets_the_search_pages_files_while_typing(browser, built_site, tmp_path):
    """The search page's scripts and Pagefind's WebAssembly come while the reader types in the header's box (not
    before: a reader who does not search downloads none of it), and the search page then takes them from the
    browser's cache rather than the line."""
    # A site published yesterday: its server dates each file (Last-Modified), and the browser reuses a file for a
    # tenth of its age without asking again (the first minutes after publishing, it asks).
    serving = serve_under_subpath(built_site, tmp_path)
    served_site = next(serving)
    yesterday = time.time() - 86400
    for file in (tmp_path / SUBPATH).rglob("*"):
        os.utime(file, (yesterday, yesterday))
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    fetched: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: fetched.append(e["request"]["url"]))
    try:
        page.goto(served_site + UNIT_PATH, wait_until="load")
        page.wait_for_timeout(300)
        assert _search_files(fetched) == []
        page.focus("#jx-header-q")  # passing the box with the Tab key is no search
        page.wait_for_timeout(300)
        assert page.locator("link[rel=prefetch]").count() == 0
        page.click("#jx-header-q")
        # The four files, and the meta of the site's one index, named in the entries
        page.wait_for_function("document.querySelectorAll('link[rel=prefetch]').length === 5")
        links = page.locator("link[rel=prefetch]").evaluate_all("els => els.map(e => e.href)")
        for href in links:  # each exists on the site, under its address
            assert href.startswith(served_site) and context.request.get(href).status == 200, href
        prefetched = _search_files(links)
        assert len(prefetched) == 4
        assert [h for h in links if h not in prefetched] == [
            served_site
            + "pagefind/pagefind."
            + _entries(built_site)[""]["languages"]["zh"]["hash"]
            + ".pf_meta"
        ]
        page.wait_for_function(
            "hrefs => hrefs.every(h => performance.getEntriesByName(h).length)", arg=prefetched, timeout=15000
        )
        _search_from_header(page, "劝导员")
        assert page.locator(".jx-result-link").count() > 0
        # The search page names the same files (a renamed one would be prefetched for nothing)…
        script = page.locator("script[data-pagefind]")
        named = page.evaluate(
            """s => [s.src, new URL(s.dataset.worker, document.baseURI).href,
                     new URL("pagefind-jixiao.js", new URL(s.dataset.pagefind, document.baseURI)).href,
                     new URL(s.dataset.wasm, document.baseURI).href]""",
            script.element_handle(),
        )
        assert sorted(named) == sorted(prefetched)
        # …and its own script and the WebAssembly it fetches come from the cache, not the line.
        search_js, wasm = named[0], named[3]
        page_loaded = page.evaluate(
            "hrefs => hrefs.map(h => performance.getEntriesByName(h).map(e => e.transferSize))",
            [search_js, wasm],
        )
        assert page_loaded == [[0], [0]], page_loaded  # transferSize 0: served from the browser's cache
        # The index's entries were fetched once, by the unit page while the reader typed: the search page took them
        # from the tab's session storage (once: they are gone from it).
        assert len([u for u in fetched if "jixiao-entries.json" in u]) == 1, fetched
        assert page.evaluate("sessionStorage.length") == 0
    finally:
        context.close()
        next(serving, None)  # the server stops


@pytest.mark.parametrize(
    "stored",
    [
        {"age": 200_000, "text": '{"": {"languages": {"zh": {"hash": "zh_gone"}}}}'},
        {"age": 0, "text": "not what jixiao.js writes"},
    ],
    ids=["too old", "not entries"],  # older than two minutes; not what jixiao.js writes
)
def test_entries_left_in_the_tab_are_used_only_while_fresh_and_whole(visit, served_site, stored):
    v = visit(served_site + "about/")
    v.page.evaluate(
        """([key, age, text]) => sessionStorage.setItem(key, JSON.stringify({ at: Date.now() - age, text }))""",
        [f"jixiao-entries {served_site}pagefind/jixiao-entries.json", stored["age"], stored["text"]],
    )
    v.page.goto(served_site + "search/?q=" + quote("劝导员"))
    v.page.wait_for_function(SEARCH_DONE, timeout=60000)
    assert v.page.locator(".jx-result-link").count() > 0
    assert v.page.evaluate("sessionStorage.length") == 0
    assert v.errors == [] and v.foreign == []


def test_without_the_entries_file_the_header_box_stores_nothing_and_the_search_still_works(
    visit, served_site
):
    v = visit(served_site + UNIT_PATH)
    v.context.route("**/jixiao-entries.json*", lambda route: route.fulfill(status=404, body=""))
    v.page.wait_for_load_state("load")
    v.page.click("#jx-header-q")
    v.page.wait_for_function("document.querySelectorAll('link[rel=prefetch]').length === 4")
    v.page.wait_for_function(
        "performance.getEntriesByType('resource').some(e => /jixiao-entries/.test(e.name))"
    )
    v.page.wait_for_timeout(200)
    assert v.page.locator("link[rel=prefetch]").count() == 4  # the files, and no meta: none is named
    assert v.page.evaluate("sessionStorage.length") == 0
    _search_from_header(v.page, "劝导员")
    assert v.page.locator(".jx-result-link").count() > 0


def test_a_phone_that_saves_data_fetches_nothing_ahead(visit, served_site):
    v = visit(
        served_site + UNIT_PATH,
        init_script="Object.defineProperty(navigator, 'connection', { value: { saveData: true } });",
    )
    v.page.wait_for_load_state("load")
    v.page.click("#jx-header-q")
    v.page.type("#jx-header-q", "a")
    v.page.wait_for_timeout(500)
    assert v.page.locator("link[rel=prefetch]").count() == 0
    assert _search_files(v.requests) == [] and not [u for u in v.requests if "jixiao-entries" in u]


def test_search_index_is_chunked_and_light(visit, served_site):
    """The first search downloads Pagefind's code and only the index chunks the query needs."""
    v = visit(served_site + "search/", viewport={"width": 1280, "height": 900})
    page = v.page
    sizes: list[int] = []
    names: list[str] = []
    page.on(
        "response", lambda r: "/pagefind/" in r.url and (sizes.append(len(r.body())), names.append(r.url))
    )
    page.get_by_label("搜索单位、指标或任意文字").fill("劝导员")
    page.wait_for_function(SEARCH_DONE, timeout=60000)
    assert page.locator(".jx-result-link").count() > 0
    assert 0 < sum(sizes) < 1024 * 1024
    # Neither Pagefind's own interface nor any filter index: those grow with the site and are not needed yet.
    assert not [n for n in names if "pagefind-ui" in n or "/filter/" in n], names
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
    assert page.locator(".jx-chart-summary:visible").count() == 8
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
    scroll_to_every(page, "#jx-compare .jx-chart", 5)
    cards = page.locator("#jx-compare .jx-card")
    assert cards.count() == 3
    assert cards.nth(0).inner_text().startswith("示例镇01（2024）")
    for i in range(5):
        assert page.locator("#jx-compare .jx-chart").nth(i).locator("svg.main-svg").count() >= 1
    # The boxes name the units of the link, and the data tables carry the same numbers as text.
    boxes = page.locator(".jx-compare-form [role=combobox]")
    assert [boxes.nth(i).input_value() for i in range(4)] == [
        "示例镇01（2024，乡镇）",
        "示例街道02（2024，街道）",
        "示例镇01（2023，乡镇）",
        "",
    ]
    assert page.locator("#fig-compare-met table tbody tr").count() == 3
    # The list of every unit is left on the server until a reader goes to change the choice.
    assert not any(r.endswith("/compare/units.json") for r in v.requests)
    boxes.nth(3).focus()
    page.keyboard.type("局")
    page.locator("#jx-pick-3-list [role=option]").first.wait_for()
    assert any(r.endswith("/compare/units.json") for r in v.requests)
    assert v.errors == [] and v.foreign == []


def options_of(page, slot: int) -> list[str]:
    """The matches a box lists, as the reader sees them (once the list is on screen)."""
    options = page.locator(f"#jx-pick-{slot}-list [role=option]")
    options.first.wait_for()
    return [options.nth(i).inner_text() for i in range(options.count())]


def test_comparison_picker_lists_units_matching_what_is_typed(visit, served_peers):
    v = visit(served_peers + "compare/", viewport=PHONE)
    page = v.page
    page.wait_for_function("document.querySelector('#jx-pick-2').value !== ''")
    box = page.get_by_role("combobox", name="单位 4")
    box.click()
    page.keyboard.type("示例")
    listed = options_of(page, 3)
    # Nine of the twelve units are not chosen yet: eight are listed, each with its year and kind; one is counted.
    assert len(listed) == 8 and all(re.fullmatch(r"示例\S+（2024，(乡镇|街道|部门)）", o) for o in listed), (
        listed
    )
    assert not {"示例镇01（2024，乡镇）", "示例镇04（2024，乡镇）", "示例镇07（2024，乡镇）"} & set(listed)
    note = page.locator("#jx-pick-3-list + .jx-picker-note")
    assert note.inner_text() == "另有 1 个，多输入几个字可以缩小范围。"
    assert box.get_attribute("aria-expanded") == "true"
    # Every word counts.
    box.fill("街道 1")
    page.wait_for_function("document.querySelectorAll('#jx-pick-3-list [role=option]').length === 1")
    assert options_of(page, 3) == ["示例街道11（2024，街道）"]
    # Deleting widens the list again; typing on narrows it.
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.wait_for_function("document.querySelectorAll('#jx-pick-3-list [role=option]').length === 4")
    page.keyboard.type("0")
    page.wait_for_function("document.querySelectorAll('#jx-pick-3-list [role=option]').length === 3")
    assert options_of(page, 3) == [f"示例街道{n}（2024，街道）" for n in ("02", "05", "08")]
    box.fill("不存在的单位")
    page.wait_for_function("document.querySelector('#jx-pick-3-list').hidden")
    assert note.inner_text() == "没有名称含“不存在的单位”的单位。"
    assert box.get_attribute("aria-expanded") == "false"
    assert v.errors == [] and v.foreign == []


def test_comparison_picker_is_worked_by_keyboard_and_sends_the_choice_in_the_url(visit, served_peers):
    v = visit(served_peers + "compare/", viewport={"width": 1280, "height": 900})
    page = v.page
    boxes = page.locator(".jx-compare-form [role=combobox]")
    # Three units of one kind and year are chosen before the reader does anything.
    page.wait_for_function("document.querySelector('#jx-pick-2').value !== ''")
    assert [boxes.nth(i).input_value() for i in range(4)] == [
        "示例镇01（2024，乡镇）",
        "示例镇04（2024，乡镇）",
        "示例镇07（2024，乡镇）",
        "",
    ]
    assert page.locator("#jx-compare").inner_text() == "上方已预选同类单位，可以改选，然后点“比较”。"
    # The fourth box, by keyboard only: type, go down the list, Enter.
    boxes.nth(3).focus()
    page.keyboard.type("局")
    assert options_of(page, 3) == [f"示例局{n}（2024，部门）" for n in ("03", "06", "09", "12")]
    # Enter on text that names four units sends nothing: the list stays and says to pick one.
    page.keyboard.press("Enter")
    status = page.locator(".jx-compare-form [role=status]")
    assert status.inner_text() == "“局”对应 4 个单位，请用上下方向键选定一个，再按回车。"
    assert "?" not in page.url and page.locator("#jx-pick-3-list").is_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator("#jx-pick-3-list [role=option]").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert boxes.nth(3).get_attribute("aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("Enter")
    assert boxes.nth(3).input_value() == "示例局06（2024，部门）"
    assert boxes.nth(3).get_attribute("aria-expanded") == "false"
    assert (
        page.locator(".jx-compare-form [role=status]").inner_text() == "单位 4：已选 示例局06（2024，部门）。"
    )
    # Escape folds a list away without changing the choice.
    boxes.nth(2).focus()
    page.keyboard.press("ArrowDown")
    page.locator("#jx-pick-2-list [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#jx-pick-2-list").is_hidden()
    assert boxes.nth(2).input_value() == "示例镇07（2024，乡镇）"
    # The second unit is let go with its × button; Enter in a box sends the form.
    page.get_by_role("button", name="移除单位 2").click()
    assert boxes.nth(1).input_value() == ""
    boxes.nth(0).press("Enter")
    page.wait_for_function("document.querySelectorAll('#jx-compare .jx-card').length === 3")
    assert unquote(page.url).endswith("compare/?u=2024/示例镇01&u=2024/示例镇07&u=2024/示例局06")
    cards = page.locator("#jx-compare .jx-card .jx-card-label")
    assert [cards.nth(i).inner_text() for i in range(3)] == [
        "示例镇01（2024）",
        "示例镇07（2024）",
        "示例局06（2024）",
    ]
    assert v.errors == [] and v.foreign == []


def test_comparison_picker_takes_a_click_on_a_match(visit, served_demo):
    v = visit(served_demo + "compare/", viewport=PHONE)
    page = v.page
    box = page.get_by_role("combobox", name="单位 2")
    box.click()
    box.fill("示例局03")
    page.get_by_role("option", name="示例局03（2023，部门）").click()
    assert box.input_value() == "示例局03（2023，部门）"
    page.get_by_role("button", name="比较").click()
    page.wait_for_function("document.querySelectorAll('#jx-compare .jx-card').length === 2")
    assert page.locator("#jx-compare .jx-card").nth(1).inner_text().startswith("示例局03（2023）")
    assert "u=2023%2F%E7%A4%BA%E4%BE%8B%E5%B1%8003" in page.url
    assert v.errors == [] and v.foreign == []


def test_comparison_picker_waits_for_the_input_method_to_give_characters(visit, served_demo):
    """Chinese is typed as pinyin through an input method: the letters on the way are no name to search for."""
    v = visit(served_demo + "compare/", viewport=PHONE)
    page = v.page
    box = page.get_by_role("combobox", name="单位 4")
    box.fill("街")  # the list of units has arrived once a match is listed
    options_of(page, 3)
    box.fill("")
    page.keyboard.press("Escape")
    pop = page.locator(".jx-picker[data-slot='3'] .jx-picker-pop")
    assert pop.is_hidden()
    ime = v.context.new_cdp_session(page)
    for letters in ("j", "ji", "jie"):
        ime.send(
            "Input.imeSetComposition",
            {"text": letters, "selectionStart": len(letters), "selectionEnd": len(letters)},
        )
    page.wait_for_function("document.querySelector('#jx-pick-3').value === 'jie'")
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))"
    )  # a search would be done
    assert pop.is_hidden()
    ime.send("Input.insertText", {"text": "街道"})
    assert options_of(page, 3) == ["示例街道02（2024，街道）", "示例街道02（2023，街道）"]
    assert v.errors == [] and v.foreign == []


def test_comparison_table_of_every_unit_is_built_when_opened_and_sorts_and_filters(visit, served_demo):
    query = "u=" + quote("2024/示例镇01") + "&u=" + quote("2023/示例局03")
    v = visit(served_demo + "compare/?" + query, viewport={"width": 1280, "height": 900})
    page = v.page
    page.wait_for_function("document.querySelectorAll('#jx-compare .jx-card').length === 2")
    assert page.locator("#jx-compare-all").count() == 0  # not laid out with the comparison
    page.get_by_text("展开全部 6 份自评的主要指标").click()
    # The table is built on the details' toggle event, which the browser fires after the click returns.
    page.wait_for_function("document.querySelectorAll('#jx-compare-all tbody tr').length === 6")
    rows = page.locator("#jx-compare-all tbody tr")
    page.get_by_role("searchbox", name="查找单位").fill("街道")
    assert page.locator(".jx-filter-count").inner_text() == "显示 2 / 6 项"
    assert [rows.nth(i).is_visible() for i in range(6)].count(True) == 2
    page.locator("#jx-compare-all thead th").nth(1).locator("button").click()
    assert page.locator("#jx-compare-all thead th").nth(1).get_attribute("aria-sort") == "ascending"
    assert v.errors == [] and v.foreign == []


def test_comparison_picker_with_its_list_open_passes_automated_accessibility_checks(visit, served_demo):
    v = visit(served_demo + "compare/", viewport={"width": 1280, "height": 900})
    page = v.page
    page.get_by_role("combobox", name="单位 4").click()
    page.keyboard.type("镇")
    page.locator("#jx-pick-3-list [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(x => x.id + ': ' + x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []


@pytest.fixture(scope="module")
def served_peers(tmp_path_factory):
    """Twelve fictional units of one year, four of each kind (the session's demo has one unit of each kind a year)."""
    from jixiao.cli import main

    root = tmp_path_factory.mktemp("peers")
    assert main(["-q", "demo", "--units", "12", "--years", "2024", "--out", str(root / "data")]) == 0
    assert main(["-q", "build", "--data", str(root / "data"), "--site", str(root / "site")]) == 0
    yield from serve_under_subpath(root / "site", root / "portal")


@pytest.mark.parametrize(
    ("query", "picked", "hint"),
    [
        (
            "",
            ["示例镇01（2024，乡镇）", "示例镇04（2024，乡镇）", "示例镇07（2024，乡镇）"],
            "上方已预选同类单位，可以改选，然后点“比较”。",
        ),
        (
            "?u=" + quote("2024/示例镇04"),
            ["示例镇04（2024，乡镇）", "示例镇01（2024，乡镇）", "示例镇07（2024，乡镇）"],
            "请再选至少一个单位，然后点“比较”。",
        ),
    ],
    ids=["first-listed", "chosen-in-url"],
)
def test_comparison_picker_starts_from_units_of_the_same_kind(visit, served_peers, query, picked, hint):
    v = visit(served_peers + "compare/" + query, viewport={"width": 1280, "height": 900})
    page = v.page
    page.wait_for_function("document.querySelector('#jx-pick-1').value !== ''")
    boxes = page.locator(".jx-compare-form [role=combobox]")
    # Two other 乡镇 of the year are chosen beside the first; no 街道, no 局.
    assert [boxes.nth(i).input_value() for i in range(4)] == [*picked, ""]
    assert page.locator("#jx-compare").inner_text() == hint
    assert v.errors == [] and v.foreign == []


def test_indicator_explorer_filters(visit, served_demo):
    v = visit(served_demo + "indicators/", viewport={"width": 1280, "height": 900})
    page = v.page
    page.locator(".jx-explorer-form").wait_for()
    rows = page.locator("#jx-explorer-results tbody tr")
    rows.first.wait_for()  # the first 100 indicators, once the data has arrived
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
        ("real", UNIT_PATH + "card/"),
        ("real", "no/such/page/"),
        ("demo", "2024/" + quote("示例镇01") + "/"),
    ],
)
def test_pages_pass_automated_accessibility_checks(visit, served_site, served_demo, site, path):
    """axe-core's WCAG 2 A and AA rules on the rendered pages, charts and scripts included."""
    base = served_site if site == "real" else served_demo
    v = visit(base + path, viewport={"width": 1280, "height": 900})
    # On the search page, the results drawn and the filters open: all of the search page is checked.
    if path.startswith("search/"):
        v.page.wait_for_function(SEARCH_DONE, timeout=60000)
        v.page.get_by_text("筛选结果").click()
        v.page.locator(".jx-search-filter legend").first.wait_for(timeout=60000)
    v.page.wait_for_load_state("networkidle")
    v.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = v.page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(x => x.id + ': ' + x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []


def draw_charts(page) -> None:
    """Charts are drawn as the reader reaches them: a test that looks at all of them asks for all at once."""
    page.evaluate("window.jixiaoCharts && window.jixiaoCharts.drawAll()")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHARTS_DRAWN = (
    "document.querySelectorAll('.jx-chart[data-rendered]').length > 0 && "
    "document.querySelectorAll('.jx-chart[data-rendered]').length === document.querySelectorAll('.jx-chart').length"
)
# What sticks out past the right edge of the screen: the page's own width, and every element whose right side lies
# beyond it (inside a scrolling box is fine: that box says so and keeps its first column).
BEYOND_RIGHT_EDGE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !e.closest('.jx-scroll') && getComputedStyle(e).visibility !== 'hidden')
      out.push(e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30));
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5), count: document.querySelectorAll('body *').length};
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
@pytest.mark.parametrize(
    ("site", "path", "ready"),
    [
        ("real", "", CHARTS_DRAWN),
        ("real", UNIT_PATH, CHARTS_DRAWN),
        (
            "demo",
            "compare/?u="
            + quote("2024/示例镇01")
            + "&u="
            + quote("2024/示例街道02")
            + "&u="
            + quote("2024/示例局03"),
            "document.querySelectorAll('#jx-compare .jx-chart[data-rendered]').length === 5",
        ),
        ("demo", "indicators/", "document.querySelectorAll('#jx-explorer-results tbody tr').length > 20"),
        (
            "real",
            "search/?q=" + quote("宝城镇"),
            "document.querySelectorAll('.jx-result').length > 0",
        ),
    ],
    ids=["home", "unit", "compare", "explorer", "search"],
)
def test_nothing_lies_beyond_the_right_edge(visit, served_site, served_demo, site, path, ready, viewport):
    base = served_site if site == "real" else served_demo
    v = visit(base + path, viewport=viewport)
    draw_charts(v.page)
    v.page.wait_for_function(ready, timeout=15000)
    seen = v.page.evaluate(BEYOND_RIGHT_EDGE)
    assert seen["count"] > 50
    assert seen["scroll"] <= seen["width"] and seen["out"] == [], seen
    assert v.errors == [] and v.foreign == []


# Every text of every drawn chart: its size, its box, whether it is turned, and which chart it belongs to.
CHART_TEXTS = """(root) => [...document.querySelectorAll(root + ' .jx-chart[data-rendered] svg text')]
  .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map(t => {
    const r = t.getBoundingClientRect();
    const turned = (t.getAttribute('transform') || '').includes('rotate') && !t.closest('.g-ytitle, .g-xtitle');
    return {chart: t.closest('.jx-chart').id || t.closest('.jx-chart').getAttribute('data-figure') || t.closest('figure').id,
            text: t.textContent.trim(), size: parseFloat(getComputedStyle(t).fontSize), turned,
            label: !!t.closest('.bartext, .textpoint'), box: [r.left, r.top, r.right, r.bottom]};
  })"""


def _overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of value labels in the same chart whose boxes overlap (by more than a pixel each way)."""
    labels = [t for t in texts if t["label"]]
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a["chart"] != b["chart"]:
                continue
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            if min(ax1, bx1) - max(ax0, bx0) > 1 and min(ay1, by1) - max(ay0, by0) > 1:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize(
    ("site", "path", "root", "ready"),
    [
        ("real", UNIT_PATH, "", CHARTS_DRAWN),
        ("demo", "2024/" + quote("示例镇01") + "/", "", CHARTS_DRAWN),
        (
            "demo",
            "compare/?"
            + "&".join(
                "u=" + quote(u)
                for u in ("2024/示例镇01", "2024/示例街道02", "2023/示例镇01", "2024/示例局03")
            ),
            "#jx-compare",
            "document.querySelectorAll('#jx-compare .jx-chart[data-rendered]').length === 5",
        ),
    ],
    ids=["unit", "demo-unit", "compare"],
)
def test_chart_text_is_legible_on_a_phone(visit, served_site, served_demo, site, path, root, ready):
    """At 390 px every chart text is at least 10 px, level (no turned category names), and value labels never
    overlap one another."""
    base = served_site if site == "real" else served_demo
    v = visit(base + path, viewport=PHONE)
    draw_charts(v.page)
    v.page.wait_for_function(ready, timeout=15000)
    texts = v.page.evaluate(CHART_TEXTS, root)
    assert len(texts) > 10 and sum(t["label"] for t in texts) > 1
    small = [(t["chart"], t["text"], t["size"]) for t in texts if t["size"] < 10]
    assert small == []
    assert [(t["chart"], t["text"]) for t in texts if t["turned"]] == []
    assert _overlapping(texts) == []


def test_count_axes_show_whole_numbers(visit, served_demo):
    """The home page's score distribution (bars drawn at build time) counts units in whole numbers."""
    v = visit(served_demo, viewport=PHONE)
    counts = v.page.evaluate(
        "[...document.querySelectorAll('#fig-score-distribution .jx-hbar-value')].map(t => t.textContent)"
    )
    assert len(counts) >= 2 and all(t.isdigit() for t in counts), counts


def test_top_of_the_unit_page_says_where_points_were_lost(visit, served_site):
    """Within two phone screens: the score, money, targets, the three deductions by name, and the warnings."""
    v = visit(served_site + UNIT_PATH, viewport=PHONE)
    summary = v.page.locator("#summary + ul.jx-points")
    assert summary.bounding_box()["y"] + summary.bounding_box()["height"] < 2 * PHONE["height"]
    text = summary.inner_text()
    assert "支出执行进度扣 2 分、严控一般性支出扣 3 分、人均资产变化率扣 1.2 分" in text
    assert "执行率 100.0%" in text and "3 处需核对" in text
    # Each statement leads to its section, and the deductions to the unit's own words.
    v.page.get_by_role("link", name="看单位的说明").click()
    assert v.page.url.endswith("#lost")
    assert "报告在此项下写道：我单位1-6月预算执行735.65万元" in v.page.locator("ul.jx-lost-list").inner_text()
    # The section list is on the page itself (a phone has no sidebar) and reaches 数据核对.
    v.page.locator("nav.jx-jump").get_by_role("link", name="数据核对").click()
    assert v.page.locator("#checks").bounding_box()["y"] < 200


def test_tables_become_labelled_cards_on_a_phone(visit, served_site):
    """No column is hidden on a phone: each indicator row shows its target and actual with their names."""
    v = visit(served_site + UNIT_PATH, viewport=PHONE)
    row = v.page.locator("#jx-indicators tbody tr").nth(1)
    # Scrolled to, as a reader does: rows far below are laid out only when they come near (content-visibility).
    row.scroll_into_view_if_needed()
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = v.page.evaluate(
        "() => getComputedStyle(document.querySelectorAll('#jx-indicators tbody tr')[1].cells[3], '::before').content"
    )
    assert label == '"实际完成值：" / ""' or label.startswith('"实际完成值')
    assert row.locator("td").nth(2).is_visible() and row.locator("td").nth(2).inner_text() == "30人"


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_notice_board_card_prints_on_one_a4_page_with_a_qr_code(visit, served_site, tmp_path):
    """The 公示卡 printed from Chromium is one A4 sheet; its QR code, read by zbar, opens the unit's public page."""
    v = visit(served_site + UNIT_PATH, viewport=DESKTOP)
    v.page.get_by_role("link", name="打印公示卡（一页 A4）").click()
    v.page.wait_for_url("**/card/")
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator(".jx-sheet").inner_text().count("扣") >= 3
    pdf = tmp_path / "card.pdf"
    v.page.pdf(path=str(pdf), format="A4", print_background=True)
    assert _pdf_pages(pdf) == 1
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "card")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "card-1.png")], capture_output=True, text=True
    ).stdout.split()
    assert decoded == [SITE_URL + quote("2024/宝城镇") + "/"]
    assert v.errors == [] and v.foreign == []


def test_unit_page_prints_on_at_most_twelve_a4_pages(visit, served_site, tmp_path):
    v = visit(served_site + UNIT_PATH, viewport=DESKTOP)
    draw_charts(v.page)
    v.page.wait_for_function(CHARTS_DRAWN, timeout=15000)
    pdf = tmp_path / "unit.pdf"
    v.page.pdf(path=str(pdf), format="A4")
    pages = _pdf_pages(pdf)
    assert 3 <= pages <= 12
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    # Every sheet names the page and the data's date; no control is printed.
    assert text.count("宝城镇/ · 数据更新于") == pages
    assert "查找指标" not in text and "本页目录" not in text


def test_not_found_under_a_sub_path(visit, served_site):
    """A mistyped address deep under the portal's sub-path: a styled Chinese page that asks for nothing."""
    failed: list[str] = []
    v = visit("about:blank", viewport=PHONE)
    v.page.on("requestfailed", lambda r: failed.append(r.url))
    v.page.on(
        "response",
        lambda r: r.status >= 400 and r.request.resource_type != "document" and failed.append(r.url),
    )
    requests: list[str] = []
    v.page.on("request", lambda r: requests.append(r.url))
    response = v.page.goto(served_site + "2024/no-such-unit/index.html")
    assert response.status == 404
    assert v.page.locator("h1").inner_text() == "找不到这一页"
    assert float(v.page.evaluate("getComputedStyle(document.body).fontSize")[:-2]) >= 16
    assert requests == [served_site + "2024/no-such-unit/index.html"] and failed == []
    v.page.get_by_role("link", name="搜索单位、指标或文字").click()
    # A click starts the navigation; wait for it to land before looking (a busy machine is slow to commit it).
    v.page.wait_for_url(served_site + "search/")
    assert v.page.locator("#jx-search").count() == 1
    v.page.go_back()
    v.page.get_by_role("link", name="回到网站首页").click()
    v.page.wait_for_url(served_site)
    assert "宝城镇" in v.page.locator("#jx-ranking").inner_text()


# What a reader sees of a search: the status line ("找到 N 个结果" once the results are drawn) and the results.
SEARCH_DONE = "/找到 \\d+ 个结果|没有找到/.test(document.querySelector('.jx-search-status')?.innerText || '')"
RESULT_HREFS = "Array.from(document.querySelectorAll('.jx-result-link')).map(a => decodeURIComponent(a.href))"


def test_search_results_name_unit_and_year_and_filter(visit, served_demo):
    v = visit(served_demo + "search/?q=" + quote("示例镇01"), viewport=PHONE)
    page = v.page
    filters_fetched: list[str] = []
    page.on("request", lambda r: "/pagefind/filter/" in r.url and filters_fetched.append(r.url))
    # search.js writes the status line after the results it announces are drawn: wait for that line (the WebAssembly
    # search may take long on a loaded machine; nothing else is waited on).
    page.wait_for_function(SEARCH_DONE, timeout=60000)
    status = page.locator(".jx-search-status").inner_text()
    assert re.fullmatch(r"找到 \d+ 个结果", status), status
    first = page.locator(".jx-result").first
    # The unit's own page first, titled with the unit and the year, under the site's sub-path.
    title = first.locator(".jx-result-link").inner_text()
    assert "示例镇01" in title and "年预算绩效自评" in title, title
    hrefs = page.evaluate(RESULT_HREFS)
    assert hrefs[0].startswith(served_demo) and re.search(r"/(2023|2024)/示例镇01/$", hrefs[0]), hrefs
    assert any("/2024/示例镇01/" in h for h in hrefs) and any("/2023/示例镇01/" in h for h in hrefs), hrefs
    # Under the title, in Chinese: the unit, the year, the kind of unit; then an excerpt with the words marked.
    tags = first.locator(".jx-result-tag").all_inner_texts()
    assert tags[0].startswith("单位：") and "示例镇01" in tags[0], tags
    assert re.fullmatch(r"(2023|2024) 年度", tags[1]) and tags[2] == "乡镇", tags
    marked = set(first.locator(".jx-result-excerpt mark").all_inner_texts())
    assert {"示例", "镇", "01"} <= marked, marked  # the query's words, as Pagefind splits Chinese
    excerpts = " ".join(page.locator(".jx-result-excerpt").all_inner_texts())
    assert excerpts and not re.search(r"[0-9a-f]{32}", excerpts) and "\u200b" not in excerpts
    # The filters are not downloaded until the reader opens them; then they list years and kinds with counts.
    assert filters_fetched == []
    page.get_by_text("筛选结果").click()
    page.locator(".jx-search-filter legend", has_text="年度").wait_for(timeout=60000)
    legends = page.locator(".jx-search-filter legend").all_inner_texts()
    assert "年度" in legends and "单位类型" in legends and filters_fetched, legends
    # Ticking 2023 leaves only 2023's pages, the unit's own first.
    page.get_by_label(re.compile(r"^\s*2023（")).check()
    page.wait_for_function(
        f"{SEARCH_DONE} && {RESULT_HREFS}.length > 0 && {RESULT_HREFS}.every(h => h.includes('/2023/'))",
        timeout=60000,
    )
    assert "示例镇01" in page.locator(".jx-result-link").first.inner_text()
    # The count beside each value is the number of this query's results it keeps.
    counted = page.get_by_label(re.compile(r"^\s*2023（")).locator("xpath=..").inner_text()
    assert re.search(r"2023（[1-9]\d*）", counted), counted
    assert v.errors == [] and v.foreign == []


def test_search_for_a_unit_lists_its_own_pages_not_every_list_that_names_it(visit, served_demo):
    """The home ranking, the catalogue and the comparison table name every unit: they are found by their titles,
    not listed for each unit's name (at 20,000 units they would match every such search)."""
    v = visit(served_demo + "search/?q=" + quote("示例局03"), viewport=DESKTOP)
    v.page.wait_for_function(SEARCH_DONE, timeout=60000)
    hrefs = v.page.evaluate(RESULT_HREFS)
    assert sorted(h[len(served_demo) :] for h in hrefs) == ["2023/示例局03/", "2024/示例局03/"], hrefs
    # More results than fit at once: a button draws the next five, and is gone when all are drawn.
    v.page.get_by_label("搜索单位、指标或任意文字").fill("满意度")
    v.page.get_by_role("button", name="搜索", exact=True).click()
    v.page.wait_for_function(
        "/找到 \\d\\d+ 个结果/.test(document.querySelector('.jx-search-status').innerText)", timeout=60000
    )
    total = int(re.search(r"\d+", v.page.locator(".jx-search-status").inner_text()).group())
    assert v.page.locator(".jx-result").count() == 5 < total
    while v.page.get_by_role("button", name="显示更多结果").is_visible():
        shown = v.page.locator(".jx-result").count()
        v.page.get_by_role("button", name="显示更多结果").click()
        v.page.wait_for_function(f"document.querySelectorAll('.jx-result').length > {shown}")
    assert v.page.locator(".jx-result").count() == total
    assert v.errors == [] and v.foreign == []


def test_search_page_without_javascript_says_so_and_points_elsewhere(visit, served_demo):
    v = visit(served_demo + "search/?q=" + quote("示例镇01"), java_script_enabled=False, viewport=PHONE)
    page = v.page
    # No search box that cannot work: the page says search needs JavaScript and where else to look.
    assert page.locator("#jx-search").inner_text() == ""
    assert "搜索需要 JavaScript" in page.locator("article").inner_text()
    for name, path in (("单位目录", "units/"), ("开放数据", "open-data/")):
        link = page.locator("article").get_by_role("link", name=name)
        assert link.get_attribute("href") and page.request.get(served_demo + path).ok
        link.click()
        page.wait_for_url(served_demo + path)
        assert page.locator("h1").count() == 1
        page.go_back()


# Every layout shift the page makes by itself (not in answer to the reader), summed as Chromium reports them.
SHIFTS = """
window.__jxShifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    // What moved: inside the search box (Pagefind's own results and filters) or elsewhere on the page.
    const outside = (e.sources || []).filter(x => x.node && x.node.nodeType === 1 && !x.node.closest("#jx-search"));
    window.__jxShifts.push({ value: e.value, outside: outside.map(x => x.node.tagName + "." + x.node.className) });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize(
    "path, ready",
    [
        (
            "compare/?"
            + "&".join("u=" + quote(u) for u in ("2024/示例镇01", "2024/示例街道02", "2023/示例镇01")),
            "document.querySelectorAll('#jx-compare .jx-card').length === 3"
            " && document.querySelectorAll('#jx-compare .jx-chart').length === 5"
            " && document.querySelector('#jx-pick-2').value === '示例镇01（2023，乡镇）'",
        ),
        ("indicators/", "document.querySelectorAll('#jx-explorer-results tbody tr').length > 20"),
        (
            "search/?q=" + quote("满意度"),
            "document.querySelectorAll('.jx-result-link').length >= 5 && " + SEARCH_DONE,
        ),
    ],
    ids=["compare", "explorer", "search"],
)
def test_pages_filled_by_scripts_do_not_jump(visit, served_demo, path, ready):
    """What the scripts add (the comparison, the indicators, the search results) goes into room kept for it:
    the text a reader has started on does not move down the screen while the page fills in."""
    v = visit(served_demo + path, viewport=PHONE, init_script=SHIFTS)
    page = v.page
    page.wait_for_function(ready, timeout=90000)
    page.wait_for_load_state("networkidle")
    shifts = page.evaluate("window.__jxShifts")
    if "search" in path:
        # The box keeps a screen's height, so nothing around it moves (the footer used to jump away).
        assert all(not s["outside"] for s in shifts), shifts
    else:
        assert sum(s["value"] for s in shifts) < 0.02, shifts
    assert v.errors == [] and v.foreign == []


def test_pickers_need_javascript_and_stay_out_of_the_way_without_it(visit, served_demo):
    for path, form, table in (
        ("compare/", ".jx-compare-form", "#jx-compare-all"),
        ("indicators/", ".jx-explorer-form", "#shared ~ table"),
    ):
        v = visit(served_demo + path, java_script_enabled=False, viewport=PHONE)
        assert v.page.locator(form).is_hidden(), path
        assert v.page.locator(table).locator("tbody tr").count() > 0, path


def test_wide_tables_and_only_those_say_they_scroll(visit, served_site):
    """Above each table wider than a phone's screen: "⇄ 表格较宽…"; above a table that fits: nothing."""
    v = visit(served_site + UNIT_PATH, viewport=PHONE)
    page = v.page
    page.wait_for_function("document.querySelectorAll('.jx-scroll-hint').length > 0")
    seen = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jx-scroll')).filter(b => b.offsetParent).map(b => {
             const hint = b.previousElementSibling;
             return { wide: b.scrollWidth > b.clientWidth + 1,
                      shown: !!hint && hint.classList.contains('jx-scroll-hint') && !hint.hidden
                             && hint.innerText.includes('表格较宽') };
           })"""
    )
    assert any(s["wide"] for s in seen), seen
    assert all(s["wide"] == s["shown"] for s in seen), seen
    assert v.errors == [] and v.foreign == []
