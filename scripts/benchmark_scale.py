"""Benchmark: does the cost per unit stay flat as a county grows?

    .venv/bin/python scripts/benchmark_scale.py [--units 10 100 1000]

For each size: writes demo data (one year), runs `jixiao build` in a fresh process, and reports the total time,
the time per unit, the site's size, the HTML size of one unit page, the search index's size, and what the first
search downloads in Chromium (Pagefind loads only the chunks a query needs). Targets (issue #5): time per unit at
1,000 within 1.3× of that at 100; a unit page's HTML does not grow with the unit count; the first search downloads
less than 1 MB at 1,000 units. Not a test: it reports, it does not assert.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = [sys.executable, "-m", "jixiao.cli"]


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def first_search(site: Path, query: str) -> int | None:
    """Bytes of index the browser fetches for one search, or None without Chromium."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[int] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("response", lambda r: "/pagefind/" in r.url and fetched.append(len(r.body())))
        page.goto(f"http://127.0.0.1:{server.server_port}/search/?q={quote(query)}")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=60000)
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    return sum(fetched)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    env = {**os.environ, "JIXIAO_CACHE": "off"}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.units:
            data, site = Path(tmp) / f"data-{n}", Path(tmp) / f"site-{n}"
            subprocess.run(
                [*JIXIAO, "demo", "--units", str(n), "--out", str(data)],
                check=True,
                capture_output=True,
                cwd=ROOT,
                env=env,
            )
            started = time.perf_counter()
            subprocess.run(
                [*JIXIAO, "build", "--data", str(data), "--site", str(site)],
                check=True,
                capture_output=True,
                cwd=ROOT,
                env=env,
            )
            seconds = time.perf_counter() - started
            first_unit = sorted(p for p in (site / "2024").iterdir() if p.is_dir())[0]
            row = {
                "units": n,
                "seconds": seconds,
                "per_unit_ms": seconds / n * 1000,
                "site_mb": size(site) / 2**20,
                "unit_html_kb": (first_unit / "index.html").stat().st_size / 1024,
                "index_mb": size(site / "pagefind") / 2**20,
                "first_search_kb": (lambda b: None if b is None else b / 1024)(first_search(site, "劝导员")),
            }
            results.append(row)
            print(
                f"{n:>5} units: build {seconds:6.1f} s, {row['per_unit_ms']:6.1f} ms/unit, site {row['site_mb']:6.1f} MB, "
                f"unit page HTML {row['unit_html_kb']:5.1f} KB, search index {row['index_mb']:5.1f} MB, "
                f"first search {row['first_search_kb'] or 0:6.1f} KB",
                flush=True,
            )
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        print(
            f"\ntime per unit at {b['units']} ÷ at {a['units']}: {b['per_unit_ms'] / a['per_unit_ms']:.2f}× "
            f"(target ≤ 1.3×); unit page HTML {b['unit_html_kb'] / a['unit_html_kb']:.2f}× (target 1.0×)"
        )


if __name__ == "__main__":
    main()
