"""Benchmark: how long a reader on a cheap phone waits for search results, and what the first search downloads.

    .venv/bin/python scripts/benchmark_search.py SITE [--runs 3] [--query 满意度 --query …] [--json FILE]

On a site already built (``jixiao build``), served gzip-compressed under a sub-path as a portal serves it
(benchmark_pages.py's server), in Debian's Chromium with the page's CPU slowed 4× (CDP
``Emulation.setCPUThrottlingRate``) and the network shaped to a slow phone connection (CDP
``Network.emulateNetworkConditions``: 1.6 Mbps down, 750 kbps up, 150 ms round trip), each run in a fresh browser
context (nothing cached). Two moments, per query:

- **arriving**: the search page opened with ``?q=…`` (the header's search box on every page): from the start of
  the navigation to the results drawn;
- **typing**: on the search page already shown, the reader focuses the box (Pagefind starts loading), and 2 s
  later the query arrives in the box at once (as an input method commits a Chinese word) and Enter is pressed: from
  the query typed to the results drawn. (Pagefind's own UI, on sites built before search.js, ignores Enter and
  searches 300 ms after the last keystroke.)

"Results drawn" is the moment the first result appears (search.js draws the first five together). The first-search download is benchmark_scale.py's measure (``--search-only``). The CPU
throttle applies to the page; Pagefind 1.5 searches in a web worker, which CDP does not slow, so the figures
understate the WebAssembly part of the work on a real phone. Goal (issue #11): results within a second. Not a
test: it reports, it does not assert.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark_pages import PREFIX, serve  # noqa: E402
from benchmark_scale import first_search, print_search  # noqa: E402

CHROME = "/usr/bin/chromium"
NETWORK = {
    "offline": False,
    "latency": 150,  # ms, round trip
    "downloadThroughput": 1.6e6 / 8,  # bytes per second
    "uploadThroughput": 750e3 / 8,
}
CPU_SLOWDOWN = 4
# Records (in the page) when the first result is drawn, against the navigation's start. Pagefind's own UI (the
# search page before search.js, kept so that a site built then can be measured the same way) is recognised too.
WATCH = """
new MutationObserver(() => {
  if (window.__jxDone === undefined && document.querySelector('.jx-result-link, .pagefind-ui__result-link'))
    window.__jxDone = performance.now();
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
BOX = "#jx-search-q, .pagefind-ui__search-input"
READER_PAUSE = 2000  # ms between focusing the box and the query typed: a reader composing a word


def shaped_page(browser):
    # bypass_csp: Playwright waits by evaluating strings, which the site's policy (rightly) forbids.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(WATCH)
    return context, page


def arriving(browser, base: str, query: str) -> float:
    context, page = shaped_page(browser)
    page.goto(base + "search/?q=" + quote(query), timeout=120000)
    page.wait_for_function("window.__jxDone !== undefined", timeout=120000)
    seconds = page.evaluate("window.__jxDone") / 1000
    context.close()
    return seconds


def typing(browser, base: str, query: str) -> float:
    context, page = shaped_page(browser)
    page.goto(base + "search/", timeout=120000)
    box = page.locator(BOX)
    box.click()
    page.wait_for_timeout(READER_PAUSE)
    start = page.evaluate("performance.now()")
    box.fill(query)  # an input method commits a Chinese word at once: one input event
    box.press("Enter")
    page.wait_for_function("window.__jxDone !== undefined", timeout=120000)
    seconds = (page.evaluate("window.__jxDone") - start) / 1000
    context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site built by jixiao build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", action="append", help="默认：满意度（每个单位页都有）与一个单位名")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    if not Path(CHROME).exists():
        sys.exit("需要 Chromium（/usr/bin/chromium）")
    site = args.site.resolve()
    # A word on every unit page (the heaviest index entry a common query loads) and one unit's name.
    unit = next(
        p.name for year in sorted(site.iterdir()) if year.name.isdigit() for p in sorted(year.iterdir())
    )
    queries = args.query or ["满意度", unit]
    from playwright.sync_api import sync_playwright

    rows = []
    for query in queries:
        fetched = first_search(site, query)
        print(f"\nFirst search for “{query}”, not throttled:")
        print_search(fetched)
        rows.append({"query": query, "first_search_kb": fetched["wire"] / 1024, "files": fetched["files"]})
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"])
        for row in rows:
            row["arriving"] = [arriving(browser, base, row["query"]) for _ in range(args.runs)]
            row["typing"] = [typing(browser, base, row["query"]) for _ in range(args.runs)]
        browser.close()
    server.shutdown()
    print(
        f"\nTime to results, CPU {CPU_SLOWDOWN}× slower, network 1.6 Mbps / 150 ms, median of {args.runs}"
        " (min–max):\n| query | first search | arriving (?q=) | typing, from the query typed |\n|---|---|---|---|"
    )
    for row in rows:
        cells = [
            f"{statistics.median(row[k]):.2f} s ({min(row[k]):.2f}–{max(row[k]):.2f})"
            for k in ("arriving", "typing")
        ]
        print(f"| {row['query']} | {row['first_search_kb']:.1f} KB | {cells[0]} | {cells[1]} |")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
