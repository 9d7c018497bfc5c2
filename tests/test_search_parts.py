"""A big site's search index comes in parts (jixiao/search_index.py): hub pages in the first, the unit pages spread
over the others by their folder; the search page merges them, so a reader searches one index. A corrected unit
re-indexes its own part and the hubs', and the site is the same as one built from nothing."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

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


# Pagefind's own answer, as it gives it when it merges every part itself in one worker (one after another): the
# pages' addresses in score order. What the search page shows is held against it.
ORACLE = """async ([q, filters]) => {
  const s = document.querySelector("script[data-pagefind]");
  const api = await import(new URL(s.dataset.pagefind, document.baseURI).href + "#oracle");
  if (!window.__jxOracle) {
    window.__jxOracle = true;
    await api.options({ excerptLength: 40 });
    await api.init();
    for (const part of (s.dataset.parts || "").split(" ").filter(Boolean))
      await api.mergeIndex(new URL(part, document.baseURI).pathname, { excerptLength: 40 });
    await api.filters(); // every filter loaded, as once the reader opens them: a search counts each
  }
  const found = await api.search(q, { filters: filters || {} });
  window.__jxOracleCounts = found.filters;
  return Promise.all(found.results.map(r => r.data().then(d => d.url)));
}"""

FINAL = "/^(找到 \\d+ 个结果|没有找到)/.test(document.querySelector('.jx-search-status').innerText)"


def _links(page) -> list[str]:
    return page.locator(".jx-result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def _all_drawn(page) -> list[str]:
    """Every result, drawn five at a time with "显示更多结果", in the list's order."""
    while page.locator(".jx-search-more").is_visible():
        shown = page.locator(".jx-result-link").count()
        page.locator(".jx-search-more").click()
        page.wait_for_function(
            f"document.querySelectorAll('.jx-result-link').length > {shown}", timeout=60000
        )
    return _links(page)


class Held:
    """Requests to the site held back (as a slow network or a slow part would) until released."""

    def __init__(self, context, pattern):
        self.routes: list = []
        self.holding = True
        context.route(pattern, self._route)

    def _route(self, route):
        if self.holding:
            self.routes.append(route)
        else:
            route.continue_()

    def release(self):
        self.holding = False
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def _until_asked(page, held: Held) -> None:
    """Waits until a held request is made (the parts after the first ones ask for their files only once the first
    results' pages have come: search-worker.js)."""
    for _ in range(600):
        if held.routes:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the held files were never asked for")


def _ask(page, term: str) -> None:
    page.locator("#jx-search-q").fill(term)
    page.locator("#jx-search-q").press("Enter")


# The parts are spread over as many workers as the device has cores to spare: here eight (the four parts searched at
# once, each in a worker of its own), or two (one worker searches all the parts, only the hubs come first).
CORES = "Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => %d })"


def test_a_slow_part_does_not_hold_back_the_others_results_and_the_final_list_is_in_score_order(
    visit,  # noqa: F811
    served_parted,
    parted,
):
    site = parted[1]
    v = visit(served_parted + "search/", init_script=CORES % 8, viewport={"width": 390, "height": 844})
    page = v.page
    expected = page.evaluate(ORACLE, ["示例", None])
    assert len(expected) >= 12  # every unit page, from the four parts
    # The third part's index is slow to come: the others' results are drawn meanwhile, and the status says the
    # search goes on, with the count so far.
    held = Held(v.context, "**/pagefind/part-3/index/**")
    _ask(page, "示例")
    page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('已找到')", timeout=60000
    )
    _until_asked(page, held)  # the third part's index is asked for (once the first results' pages have come)
    status = page.locator(".jx-search-status").inner_text()
    so_far = int(re.search(r"^已找到 (\d+) 个结果，仍在搜索……$", status).group(1))
    assert 0 < so_far < len(expected), status
    early = _links(page)
    third = {
        u for u in expected if "/" + u.split("/", 3)[3] in {unquote(_url(f)) for f in _fragments_of(site, 3)}
    }
    assert third and 0 < len(early) <= 5 and not set(early) & third, early  # none of the slow part's pages
    assert page.locator(".jx-search-status").get_attribute("role") == "status"
    held.release()
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    # The first five are the best five of all parts now (redrawn: the reader had not used the list yet), and the
    # whole list, drawn five at a time, is Pagefind's own order of the merged index.
    assert _links(page) == expected[:5]
    assert _all_drawn(page) == expected


@pytest.mark.parametrize("cores", [2, 8])
def test_a_late_answer_to_an_older_query_does_not_replace_the_newer_ones_results(
    visit,  # noqa: F811
    served_parted,
    parted,
    cores,
):
    v = visit(served_parted + "search/", init_script=CORES % cores, viewport={"width": 1366, "height": 900})
    page = v.page
    older, newer = page.evaluate(ORACLE, ["示例街道02", None]), page.evaluate(ORACLE, ["示例局03", None])
    # The older query's first results hold pages of the third part the newer one does not show.
    site = parted[1]
    slow = {
        f.name
        for f in _fragments_of(site, 3)
        if urlsplit(served_parted).path.rstrip("/") + unquote(_url(f)) in set(older[:5]) - set(newer[:5])
    }
    assert slow and sorted(older[:5]) != sorted(newer[:5])
    # Those pages are slow to come: the older query's results are still being drawn when the reader asks for
    # another unit.
    held = Held(v.context, lambda url: url.rsplit("/", 1)[-1] in slow)
    _ask(page, "示例街道02")
    page.wait_for_function("document.querySelector('.jx-search-status').innerText.startsWith('正在搜索')")
    while not held.routes:
        page.wait_for_timeout(50)
    _ask(page, "示例局03")
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(newer)} 个结果"
    assert _links(page) == newer[:5]
    # The older query's pages arrive now: they are dropped, the newer query's results stay.
    held.release()
    page.evaluate("() => new Promise(r => setTimeout(r, 1500))")  # time for the late answer to be (not) drawn
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(newer)} 个结果"
    assert _links(page) == newer[:5]
    assert page.locator("#jx-search-q").input_value() == "示例局03"


def _fragments_of(site: Path, part: int) -> list[Path]:
    return sorted((site / "pagefind" / f"part-{part}" / "fragment").glob("*.pf_fragment"))


def _url(fragment: Path) -> str:
    raw = gzip.decompress(fragment.read_bytes())
    return json.loads(raw[raw.index(b"{") :])["url"]


@pytest.mark.parametrize("cores", [2, 8])
def test_a_filter_counts_and_keeps_the_pages_of_every_part(visit, served_parted, cores):  # noqa: F811
    v = visit(
        served_parted + "search/?q=" + quote("示例"),
        init_script=CORES % cores,
        viewport={"width": 390, "height": 844},
    )
    page = v.page
    page.wait_for_function(FINAL, timeout=60000)
    page.locator(".jx-search-filters summary").click()
    page.locator(".jx-search-filter legend", has_text="年度").wait_for(timeout=60000)
    page.get_by_role("checkbox", name="2024").check()
    page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('找到 6 ')", timeout=60000
    )
    expected = page.evaluate(ORACLE, ["示例", {"年度": {"any": ["2024"]}}])
    assert len(expected) == 6  # the six units' 2024 pages, spread over the four parts
    assert _all_drawn(page) == expected
    # Each year's count among this query's results is summed over the parts (the hubs, which every part's answer
    # repeats, counted once).
    oracle = page.evaluate("window.__jxOracleCounts")
    shown = _counts_shown(page)
    assert shown == {f"{n}={v}": c for n in oracle for v, c in oracle[n].items()}
    # The 2024 pages of 示例镇01 and 示例镇04 are in the third and the fourth part.
    assert shown["年度=2024"] == 6 and shown["单位类型=乡镇"] == 2, shown


def _counts_shown(page) -> dict[str, int]:
    """The filters panel's counts, as "name=value" → count."""
    return {
        f"{name}={value}": int(count)
        for name, value, count in page.locator(".jx-search-choice").evaluate_all(
            "els => els.map(e => [e.closest('fieldset').dataset.filter, e.querySelector('input').value,"
            " e.querySelector('.jx-search-count').textContent.replace(/[（）]/g, '')])"
        )
    }


def test_without_javascript_the_search_page_of_a_parted_site_says_so(visit, served_parted):  # noqa: F811
    v = visit(served_parted + "search/?q=" + quote("示例"), java_script_enabled=False)
    page = v.page
    assert page.locator("#jx-search").inner_text() == ""
    assert "搜索需要 JavaScript" in page.locator("article").inner_text()
    assert page.locator(".jx-result").count() == 0


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


# --- The search page's worker (search-worker.js) and what it needs from the build. ---


def test_the_worker_gets_pagefinds_class_from_a_copy_of_pagefind_js(parted, tmp_path):
    _, site, _ = parted
    folder = site / "pagefind"
    exposed = (folder / search_index.EXPOSED).read_text(encoding="utf-8")
    original = (folder / "pagefind.js").read_text(encoding="utf-8")
    assert exposed == original + "\nexport{Pagefind as JixiaoPagefind};\n"
    assert not list((folder / "part-1").glob("*.js"))  # the parts are index only
    # A Pagefind that names its class otherwise gets no copy: the search page then uses pagefind.js alone.
    (tmp_path / "pagefind.js").write_text("export{createInstance};", encoding="utf-8")
    assert search_index.expose(tmp_path) is False
    assert not (tmp_path / search_index.EXPOSED).exists()


@pytest.mark.parametrize("cores", [2, 8])
def test_a_slow_part_holds_back_neither_the_others_results_nor_a_count_in_the_filters(
    visit,  # noqa: F811
    served_parted,
    parted,
    cores,
):
    """On two cores one worker searches the parts in turn; on eight, four workers at once: either way the parts that
    have answered are drawn while a slow one's index is still on its way."""
    site = parted[1]
    v = visit(served_parted + "search/", init_script=CORES % cores, viewport={"width": 390, "height": 844})
    page = v.page
    expected = page.evaluate(ORACLE, ["示例", None])
    page.locator(".jx-search-filters summary").click()
    page.locator(".jx-search-filter legend", has_text="年度").wait_for(timeout=60000)
    totals = page.locator(".jx-search-filter", has_text="年度").inner_text()
    held = Held(v.context, "**/pagefind/part-3/index/**")
    _ask(page, "示例")
    page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('已找到')", timeout=60000
    )
    _until_asked(page, held)
    third = {
        u for u in expected if "/" + u.split("/", 3)[3] in {unquote(_url(f)) for f in _fragments_of(site, 3)}
    }
    assert not set(_links(page)) & third
    # The filters' counts are not those of some parts read as the query's: they change once all have answered.
    assert page.locator(".jx-search-filter", has_text="年度").inner_text() == totals
    held.release()
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(page) == expected


@pytest.mark.parametrize(
    "without",
    [
        "worker",  # a browser that runs no workers
        "class",  # the worker cannot load Pagefind's class (an older build's index, a Pagefind that renamed it)
    ],
)
def test_without_the_worker_pagefind_searches_every_part_on_the_page(visit, served_parted, without):  # noqa: F811
    v = visit(
        served_parted + "search/",
        init_script="Object.defineProperty(window, 'Worker', { value: undefined })"
        if without == "worker"
        else None,
        viewport={"width": 390, "height": 844},
    )
    if without == "class":
        v.context.route("**/pagefind/pagefind-jixiao.js", lambda route: route.fulfill(status=404, body=""))
    page = v.page
    expected = page.evaluate(ORACLE, ["示例", None])
    _ask(page, "示例")
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(page) == expected


def test_a_part_whose_index_is_missing_says_so_and_does_not_hang(visit, served_parted):  # noqa: F811
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    v.context.route("**/pagefind/part-2/index/**", lambda route: route.fulfill(status=404, body=""))
    _ask(v.page, "示例")
    v.page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('搜索索引缺失')", timeout=60000
    )


# --- The first files of a search: asked for at once, the first parts' before the others'. ---


def test_every_indexs_entry_is_in_one_file_the_search_page_names(parted):
    _, site, _ = parted
    folder = site / "pagefind"
    gathered = json.loads((folder / search_index.ENTRIES).read_text(encoding="utf-8"))
    own = {"": folder / "pagefind-entry.json"} | {
        f"part-{n}/": folder / f"part-{n}" / "pagefind-entry.json" for n in range(1, PARTS + 1)
    }
    assert gathered == {k: json.loads(p.read_text(encoding="utf-8")) for k, p in own.items()}
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    script = re.search(r"<script async[^>]*search\.[0-9a-f]+\.js[^>]*>", html).group(0)
    # In the head: a query in the address starts the search while the page is parsed.
    assert html.index(script) < html.index("</head>")
    named = {k: re.search(rf'data-{k}="([^"]*)"', script).group(1) for k in ("entries", "wasm")}
    assert named == {
        "entries": "../pagefind/jixiao-entries.json",
        "wasm": "../pagefind/wasm.unknown.pagefind",
    }
    assert (site / "search" / named["wasm"]).resolve().is_file()
    # Chinese has no WebAssembly of its own: Pagefind loads the "unknown" one.
    assert all(i["wasm"] is None for e in gathered.values() for i in e["languages"].values())


def _requests(context) -> list[str]:
    """Every request the page and its workers make, in the order they are made."""
    made: list[str] = []
    context.on("request", lambda request: made.append(urlsplit(request.url).path))
    return made


def test_arriving_with_a_query_asks_for_the_first_parts_files_first(visit, served_parted):  # noqa: F811
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    expected = v.page.evaluate(ORACLE, ["示例", None])
    v.context.close()
    v = visit(served_parted + "about/", init_script=CORES % 2, viewport={"width": 390, "height": 844})
    made = _requests(v.context)
    # The indexes searched first (the hubs', the first two parts') are slow to send the pieces the query needs.
    first = re.compile(r"/pagefind/(part-[12]/)?index/")
    held = Held(v.context, lambda url: bool(first.search(url)))
    page = v.page
    page.goto(served_parted + "search/?q=" + quote("示例"))  # as the header's search box on every page does
    while len(held.routes) < 3:
        page.wait_for_timeout(50)
    page.wait_for_timeout(1000)
    pagefind = [path.split("/pagefind/", 1)[1] for path in made if "/pagefind/" in path]
    # Meanwhile the other parts' files wait: they would share a phone's slow line with those the first results need.
    assert not [p for p in pagefind if p.startswith(("part-3/", "part-4/"))], pagefind
    # No index's entry is asked for: they came in one file, fetched by the page with the WebAssembly.
    assert sorted(p for p in pagefind if not first.search("/pagefind/" + p)) == sorted(
        [search_index.ENTRIES, "wasm.unknown.pagefind", search_index.EXPOSED]
        + [p for p in pagefind if p.endswith(".pf_meta")]
    )
    assert len([p for p in pagefind if p.endswith(".pf_meta")]) == 3  # the hubs' and the first two parts'
    held.release()
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(page) == expected
    assert page.locator("#jx-header-q").input_value() == "示例"
    assert not [p for p in made if p.endswith("pagefind-entry.json")]


@pytest.mark.parametrize("lost", ["jixiao-entries.json", "wasm.unknown.pagefind"])
def test_without_the_files_the_page_fetches_the_worker_searches_as_pagefind_loads(
    visit,  # noqa: F811
    served_parted,
    lost,
):
    """A site copied without the entries file (or a portal that refuses it) is searched as Pagefind loads it: each
    index's own entry, then its meta. Where the page could not fetch the WebAssembly, the worker asks for it again."""
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    expected = v.page.evaluate(ORACLE, ["示例", None])
    v.context.close()
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    refused = []

    def refuse(route):
        # The entries file is missing; the WebAssembly fails once, for the page (the worker's request is served).
        if not refused or lost == search_index.ENTRIES:
            refused.append(route.request.url)
            return route.fulfill(status=404, body="")
        return route.continue_()

    v.context.route(f"**/pagefind/{lost}*", refuse)
    made = _requests(v.context)
    _ask(v.page, "示例")
    v.page.wait_for_function(FINAL, timeout=60000)
    assert len(refused) == (2 if lost == search_index.ENTRIES else 1)  # (the page's request, the worker's)
    assert v.page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(v.page) == expected
    entries = [p for p in made if p.endswith("pagefind-entry.json")]
    assert len(entries) == (PARTS + 1 if lost == search_index.ENTRIES else 0)


# The page's search messages to its workers, held until released (a page busy with its own scripts as it loads).
HOLD_SEARCH = """
const post = Worker.prototype.postMessage;
window.__held = [];
Worker.prototype.postMessage = function (message, transfer) {
  if (message && message.type === "search" && !window.__go) return void window.__held.push([this, message, transfer]);
  return post.call(this, message, transfer || []);
};
window.__release = () => {
  window.__go = true;
  window.__held.splice(0).forEach(([w, message, transfer]) => post.call(w, message, transfer || []));
};
"""


def test_the_query_in_the_address_loads_its_chunks_before_the_page_sends_the_search(
    visit,  # noqa: F811
    served_parted,
):
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    expected = v.page.evaluate(ORACLE, ["示例", None])
    v.context.close()
    v = visit(served_parted + "about/", init_script=HOLD_SEARCH, viewport={"width": 390, "height": 844})
    made = _requests(v.context)
    page = v.page
    page.goto(served_parted + "search/?q=" + quote("示例"))
    page.wait_for_function("window.__held.length > 0", timeout=60000)
    first = re.compile(r"/pagefind/(part-[12]/)?index/")
    for _ in range(200):
        if len({m.group(0) for p in made if (m := first.search(p))}) == 3:
            break
        page.wait_for_timeout(50)
    # The hubs' and the first two parts' chunks of 示例 are on their way, the search not yet sent.
    assert {m.group(0) for p in made if (m := first.search(p))} == {
        "/pagefind/index/",
        "/pagefind/part-1/index/",
        "/pagefind/part-2/index/",
    }
    assert page.locator(".jx-result").count() == 0
    page.evaluate("window.__release()")
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(page) == expected


# --- A search that cannot finish says why, and the next one starts again. ---

FAILED = "搜索没有完成：网络中断或浏览器出错，请再搜索一次。"
MISSING = "搜索索引缺失：请把生成的 site/ 文件夹完整复制到服务器（含 pagefind/ 文件夹）。"


def _status_is(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.jx-search-status').innerText === t", arg=text, timeout=60000
    )


def test_a_dropped_line_fails_the_search_and_the_next_one_asks_again(visit, served_parted):  # noqa: F811
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    expected = v.page.evaluate(ORACLE, ["示例", None])
    dropped = []

    def drop(route):  # the phone's line drops while the second part's index comes, once
        if not dropped:
            dropped.append(route.request.url)
            return route.abort("internetdisconnected")
        return route.continue_()

    v.context.route("**/pagefind/part-2/index/**", drop)
    _ask(v.page, "示例")
    _status_is(v.page, FAILED)  # not "the index is missing": nothing tells the reader to copy the site again
    assert dropped
    _ask(v.page, "示例")  # the reader searches again: what did not come is asked for again
    v.page.wait_for_function(FINAL, timeout=60000)
    assert v.page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(v.page) == expected


# The search's workers, kept where the test can reach them (not Pagefind's own, which the oracle starts).
KEEP_WORKERS = """
window.__workers = [];
const Made = window.Worker;
window.Worker = function (url, options) {
  const w = new Made(url, options);
  if (String(url).includes("search-worker")) window.__workers.push(w);
  return w;
};
"""


def test_a_worker_that_stops_fails_its_search_and_the_next_one_starts_new_workers(
    visit,  # noqa: F811
    served_parted,
):
    v = visit(served_parted + "search/", init_script=KEEP_WORKERS, viewport={"width": 390, "height": 844})
    page = v.page
    expected = page.evaluate(ORACLE, ["示例", None])
    held = Held(v.context, "**/pagefind/part-4/index/**")
    _ask(page, "示例")
    page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('已找到')", timeout=60000
    )
    # The worker stops with an error of its own while the fourth part is still on its way (as a phone out of
    # memory would stop it).
    page.evaluate("window.__workers[0].postMessage({ type: 'given', url: 'not a file the page fetched' })")
    _status_is(page, FAILED)
    held.release()
    _ask(page, "示例")
    page.wait_for_function(FINAL, timeout=60000)
    assert page.locator(".jx-search-status").inner_text() == f"找到 {len(expected)} 个结果"
    assert _all_drawn(page) == expected
    assert page.evaluate("window.__workers.length") == 2  # a new worker searched


def test_a_results_page_missing_from_the_index_says_so(visit, served_parted):  # noqa: F811
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    v.context.route("**/pagefind/**/fragment/**", lambda route: route.fulfill(status=404, body=""))
    _ask(v.page, "示例")
    _status_is(v.page, MISSING)
    assert v.page.locator(".jx-result").count() == 0


def test_a_result_pushed_out_by_better_ones_is_drawn_when_the_reader_asks_for_more(
    visit,  # noqa: F811
    served_parted,
    parted,
):
    """The first results are drawn while a part is still on its way; its better results then take their places. A
    result drawn and pushed out has its entry made already: "显示更多结果" still draws it, in its place."""
    site = parted[1]
    v = visit(served_parted + "search/", init_script=CORES % 2, viewport={"width": 390, "height": 844})
    page = v.page
    expected = page.evaluate(ORACLE, ["示例", None])
    prefix = urlsplit(served_parted).path.rstrip("/")
    part_of = {prefix + unquote(_url(f)): n for n in range(1, PARTS + 1) for f in _fragments_of(site, n)}
    best = next(part_of[u] for u in expected if u in part_of)  # the part of the best unit page
    held = Held(v.context, f"**/pagefind/part-{best}/index/**")
    _ask(page, "示例")
    page.wait_for_function(
        "document.querySelector('.jx-search-status').innerText.startsWith('已找到')", timeout=60000
    )
    early = _links(page)
    held.release()
    page.wait_for_function(FINAL, timeout=60000)
    assert _links(page) == expected[:5]
    assert set(early) - set(expected[:5])  # some results drawn first were pushed out
    assert _all_drawn(page) == expected


FILTERS_LOST = "筛选项没有载入：网络中断或浏览器出错。收起再展开“筛选结果”可以再试一次。"


@pytest.mark.parametrize(
    ("lose", "says"),
    [
        (lambda route: route.abort("internetdisconnected"), FILTERS_LOST),
        (lambda route: route.fulfill(status=404, body=""), MISSING),
    ],
    ids=["dropped line", "missing file"],
)
def test_filters_whose_files_do_not_come_say_why_and_load_when_opened_again(
    visit,  # noqa: F811
    served_parted,
    lose,
    says,
):
    v = visit(served_parted + "search/", viewport={"width": 390, "height": 844})
    page = v.page
    page.evaluate(ORACLE, ["示例", None])  # Pagefind merging the parts on the page, every filter loaded
    totals = page.evaluate(
        """async () => {
          const s = document.querySelector("script[data-pagefind]");
          return (await import(new URL(s.dataset.pagefind, document.baseURI).href + "#oracle")).filters();
        }"""
    )
    lost = []

    def once(route):  # one filter file of one index does not come, the first time it is asked for
        if not lost:
            lost.append(route.request.url)
            return lose(route)
        return route.continue_()

    v.context.route("**/pagefind/**/filter/**", once)
    summary = page.locator(".jx-search-filters summary")
    summary.click()
    page.wait_for_function(
        "t => document.querySelector('.jx-search-choices').innerText === t", arg=says, timeout=60000
    )
    assert lost and page.locator(".jx-search-filter").count() == 0  # no counts short of that index's pages
    summary.click()  # closed, and opened again: the file is asked for again
    summary.click()
    page.locator(".jx-search-filter legend", has_text="年度").wait_for(timeout=60000)
    assert _counts_shown(page) == {f"{n}={v}": c for n in totals for v, c in totals[n].items()}
    assert sum(c for n in totals for c in totals[n].values()) > 0
