"""Benchmark: site build time and the weight of a unit page on first visit.

    .venv/bin/python scripts/benchmark.py [--data data] [--runs 3] [--page 2024/宝城镇/]

Weight is what a first visit downloads, gzip-compressed as a web server would send it: every request the page
makes in Debian's Chromium (HTML, CSS, JS, figure JSON, search index), read back from the built files. Budget
(issue #2): at most 600 KB in all, at most 100 KB of it HTML. Not a test: it reports, it does not assert.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jixiao.build import build_site  # noqa: E402
from jixiao.site import forget  # noqa: E402

BUDGET_TOTAL, BUDGET_HTML = 600 * 1024, 100 * 1024


def time_builds(data: Path, site: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        forget()  # measure loading too, as a fresh `jixiao build` would
        started = time.perf_counter()
        build_site(data, site, ROOT / "mkdocs.yml")
        times.append(time.perf_counter() - started)
    return times


def first_visit(site: Path, page: str) -> list[Path]:
    """Files the browser requests when it opens ``page`` with an empty cache."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        tab = browser.new_page()
        tab.on("request", lambda r: requested.append(r.url))
        tab.goto(f"http://127.0.0.1:{server.server_port}/{page}")
        tab.wait_for_load_state("networkidle")
        tab.wait_for_timeout(1000)
        browser.close()
    server.shutdown()
    files = []
    for url in dict.fromkeys(requested):
        path = unquote(urlparse(url).path).lstrip("/")
        file = site / path
        files.append(file / "index.html" if file.is_dir() else file)
    return [f for f in files if f.is_file()]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def kind(path: Path) -> str:
    return {".html": "HTML", ".css": "CSS", ".js": "JS", ".json": "JSON"}.get(
        path.suffix, path.suffix or "other"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default="2024/宝城镇/")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        times = time_builds(args.data, site, args.runs)
        print(
            f"build: median {statistics.median(times):.2f} s over {len(times)} runs "
            f"(min {min(times):.2f} s, max {max(times):.2f} s)"
        )

        files = first_visit(site, args.page)
        by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        print(f"\nfirst visit of {args.page}: {len(files)} requests")
        for file in files:
            raw = file.read_bytes()
            packed = len(gzip.compress(raw, compresslevel=6))
            by_kind[kind(file)][0] += len(raw)
            by_kind[kind(file)][1] += packed
            print(f"  {packed / 1024:8.1f} KB gz  {len(raw) / 1024:8.1f} KB raw  {file.relative_to(site)}")
        total = sum(v[1] for v in by_kind.values())
        print()
        for name, (raw, packed) in sorted(by_kind.items()):
            print(f"  {name:5} {packed / 1024:8.1f} KB gz  ({raw / 1024:.1f} KB raw)")
        html = by_kind["HTML"][1]
        print(
            f"  total {total / 1024:8.1f} KB gz: {total / BUDGET_TOTAL:.0%} of the 600 KB budget; "
            f"HTML {html / 1024:.1f} KB gz: {html / BUDGET_HTML:.0%} of its 100 KB"
        )


if __name__ == "__main__":
    main()
