"""Benchmark: how long a reader on a cheap phone waits for search results, and what the first search downloads.

    .venv/bin/python scripts/benchmark_search.py SITE [--runs 3] [--query 满意度 --query …] [--json FILE]

On a site already built (``jixiao build``), served gzip-compressed under a sub-path as a portal serves it
(benchmark_pages.py's server), in Debian's Chromium with the network shaped to a slow phone connection (CDP
``Network.emulateNetworkConditions``: 1.6 Mbps down, 750 kbps up, 150 ms round trip), each run in a fresh browser
context (nothing cached), and the CPU 4× slower. CDP's CPU throttle (``Emulation.setCPUThrottlingRate``) slows the
page's main thread only, not its workers, where Pagefind searches: measured that way, a word on every unit page of
a 20,000-unit site took 2.6 s where a phone would take ≈ 10. So Chromium's renderer processes (page and workers
alike) are slowed by stopping and resuming them (SIGSTOP/SIGCONT), running 1 ms in every 4 (``Slowed``); measured
with both on the main thread alone (Pagefind without its worker), the two agree within 10%. It slows every Chromium
renderer on the machine: run it on a quiet one. Three moments, per query:

- **arriving**: the search page opened with ``?q=…`` (the header's search box on every page): from the start of
  the navigation to the results drawn;
- **from a page**: a reader on a unit page (opened first, not timed: the site's styles and scripts it shares with the
  search page are then in the browser's cache, as for any reader who came to the site) clicks the header's box, and
  2 s later the query arrives in it and Enter is pressed: from the key to the results drawn on the search page;
- **typing**: on the search page already shown, the reader focuses the box (Pagefind starts loading), and 2 s
  later the query arrives in the box at once (as an input method commits a Chinese word) and Enter is pressed: from
  the query typed to the results drawn.

Each is timed to the first results drawn (search.js draws a big site's results part by part) and to all of them
(the status line's final count, "找到 N 个结果"). The first-search download is benchmark_scale.py's measure
(``--search-only``). Goal (issue #11): results within a second. Not a test: it reports, it does not assert.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
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
  const status = document.querySelector('.jx-search-status, .pagefind-ui__message');
  if (window.__jxAll === undefined && window.__jxDone !== undefined && status && !/仍在搜索|正在/.test(status.textContent))
    window.__jxAll = performance.now();
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
BOX = "#jx-search-q, .pagefind-ui__search-input"
HEADER_BOX = "#jx-header-q"  # the search box in every page's header (a form to search/?q=)
READER_PAUSE = 2000  # ms between focusing the box and the query typed: a reader composing a word


class Slowed:
    """Chromium's renderer processes run 1/rate of the time: stopped and resumed every ``period`` seconds."""

    def __init__(self, rate: float, period: float = 0.004):
        self.rate, self.period, self.on = rate, period, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _renderers() -> list[int]:
        found = subprocess.run(["pgrep", "-f", "type=renderer"], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    def _signal(self, pids: list[int], sig: int) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def _run(self) -> None:
        pids, looked = [], 0.0
        while self.on:
            if time.monotonic() - looked > 0.5:
                pids, looked = self._renderers(), time.monotonic()
            self._signal(pids, signal.SIGCONT)
            time.sleep(self.period / self.rate)
            if self.on:
                self._signal(pids, signal.SIGSTOP)
                time.sleep(self.period * (1 - 1 / self.rate))
        self._signal(self._renderers(), signal.SIGCONT)

    def stop(self) -> None:
        self.on = False
        self.thread.join()


def shaped_page(browser, cached: bool = False):
    """A fresh context (nothing cached), shaped as a phone; with ``cached``, the browser's cache works within it."""
    # bypass_csp: Playwright waits by evaluating strings, which the site's policy (rightly) forbids.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cached})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    page.add_init_script(WATCH)
    return context, page


def arriving(browser, base: str, query: str) -> list[float]:
    context, page = shaped_page(browser)
    page.goto(base + "search/?q=" + quote(query), timeout=120000)
    page.wait_for_function("window.__jxAll !== undefined", timeout=120000)
    seconds = page.evaluate("[window.__jxDone / 1000, window.__jxAll / 1000]")
    context.close()
    return seconds


def from_a_page(browser, base: str, query: str, start: str) -> list[float]:
    context, page = shaped_page(browser, cached=True)
    page.goto(base + start, timeout=120000, wait_until="load")
    page.wait_for_timeout(READER_PAUSE)  # the reader reads; the page's deferred work is done
    box = page.locator(HEADER_BOX)
    box.click()
    page.wait_for_timeout(READER_PAUSE)  # and composes the word, as in typing()
    box.fill(query)
    clicked = page.evaluate("Date.now()")
    box.press("Enter")
    page.wait_for_function("window.__jxAll !== undefined", timeout=120000)
    # The search page's clock starts at its navigation: both moments on the wall clock, the browser's own.
    seconds = page.evaluate(
        "[performance.timeOrigin + window.__jxDone, performance.timeOrigin + window.__jxAll]"
    )
    context.close()
    return [(t - clicked) / 1000 for t in seconds]


def typing(browser, base: str, query: str) -> list[float]:
    context, page = shaped_page(browser)
    page.goto(base + "search/", timeout=120000)
    box = page.locator(BOX)
    box.click()
    page.wait_for_timeout(READER_PAUSE)
    start = page.evaluate("performance.now()")
    box.fill(query)  # an input method commits a Chinese word at once: one input event
    box.press("Enter")
    page.wait_for_function("window.__jxAll !== undefined", timeout=120000)
    seconds = page.evaluate("[window.__jxDone, window.__jxAll]")
    context.close()
    return [(t - start) / 1000 for t in seconds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site built by jixiao build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", action="append", help="默认：满意度（每个单位页都有）与一个单位名")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--moment",
        action="append",
        choices=["arriving", "from_a_page", "typing"],
        help="默认三者都测",
    )
    args = parser.parse_args()
    args.moment = args.moment or ["arriving", "from_a_page", "typing"]
    if not Path(CHROME).exists():
        sys.exit("需要 Chromium（/usr/bin/chromium）")
    site = args.site.resolve()
    # A word on every unit page (the heaviest index entry a common query loads) and one unit's name.
    start = next(
        p.relative_to(site)
        for year in sorted(site.iterdir())
        if year.name.isdigit()
        for p in sorted(year.iterdir())
        if (p / "index.html").is_file()
    )
    unit = start.name
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
    slowed = Slowed(CPU_SLOWDOWN)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"])
            for row in rows:
                query = row["query"]
                for moment, measure in (
                    ("arriving", lambda q: arriving(browser, base, q)),
                    ("from_a_page", lambda q: from_a_page(browser, base, q, start.as_posix() + "/")),
                    ("typing", lambda q: typing(browser, base, q)),
                ):
                    row[moment] = [measure(query) for _ in range(args.runs)] if moment in args.moment else []
            browser.close()
    finally:
        slowed.stop()
    server.shutdown()
    print(
        f"\nTime to results, CPU {CPU_SLOWDOWN}× slower (page and workers), network 1.6 Mbps / 150 ms, median of"
        f" {args.runs} (min–max), first results / all results:\n"
        "| query | first search | arriving (?q=), nothing cached | from a unit page's header box |"
        " typing, from the query typed |\n|---|---|---|---|---|"
    )

    def cell(runs: list[list[float]]) -> str:
        if not runs:
            return "—"
        first, last = [r[0] for r in runs], [r[1] for r in runs]
        return (
            f"{statistics.median(first):.2f} s ({min(first):.2f}–{max(first):.2f}) / "
            f"{statistics.median(last):.2f} s ({min(last):.2f}–{max(last):.2f})"
        )

    for row in rows:
        print(
            f"| {row['query']} | {row['first_search_kb']:.1f} KB | {cell(row['arriving'])} |"
            f" {cell(row['from_a_page'])} | {cell(row['typing'])} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
