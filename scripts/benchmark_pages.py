"""Benchmark: page speed and accessibility of every page kind, as Lighthouse scores them on a phone.

    .venv/bin/python scripts/benchmark_pages.py [--units 30] [--runs 3] [--site DIR] [--json FILE]
        [--baseline DIR] [--only KIND...] [--reports DIR]

Builds the site of a fictional demo (``jixiao demo``, two years), serves it gzip-compressed under a sub-path
(``/jixiao/``) from a local server, and runs Lighthouse 12.2.3 with its default mobile preset (simulated slow 4G
and a 4× slower CPU) in Debian's Chromium on: home, a year overview, a unit page, the comparison of 3 units, the
indicator explorer and search. It prints, per page, the median over ``--runs`` of the performance and
accessibility scores, the bytes transferred and the total blocking time. Goals (issue #11): performance ≥ 0.95,
accessibility 1.0, a unit page ≤ 350 KB, pages without charts ≤ 100 KB. Not a test: it reports, it does not assert.

Lighthouse comes from npm, pinned in scripts/lighthouse/package-lock.json; the first run installs it there
(``npm ci``). Nothing is fetched at run time: the site, the server and the browser are all on this machine.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "scripts" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
PREFIX = "/jixiao/"
# What a portal's web server would compress; Pagefind's index chunks are compressed already.
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".md"}
TYPES = {".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``site`` under PREFIX, gzip-compressed like a portal's server (level 6, compressed once per file)."""

    site: Path
    _cache: dict[Path, bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = unquote(urlparse(self.path).path)
        if not path.startswith(PREFIX):
            self.send_error(404)
            return
        file = self.site / path[len(PREFIX) :]
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", quote(path) + "/")
                self.end_headers()
                return
            file = file / "index.html"
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        gzipped = file.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            with self._lock:
                if file not in self._cache:
                    self._cache[file] = gzip.compress(body, compresslevel=6, mtime=0)
                body = self._cache[file]
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(file.suffix) or self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        # As a portal's server (nginx, Apache, IIS) dates every file: a browser may then reuse it for a while
        # (a tenth of its age) without asking again. No Cache-Control, as a portal configured for nothing sends.
        self.send_header("Last-Modified", self.date_time_string(file.stat().st_mtime))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (GzipHandler,), {"site": site, "_cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.is_file():
        if not shutil.which("npm"):
            sys.exit("需要 node 与 npm 才能运行 Lighthouse（apt-get install nodejs npm）")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)


def build_demo(tmp: Path, units: int) -> Path:
    data, site = tmp / "demo", tmp / "site"
    jixiao = [sys.executable, "-m", "jixiao.cli"]
    subprocess.run(
        [*jixiao, "demo", "--units", str(units), "--years", "2023,2024", "--out", str(data)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    subprocess.run([*jixiao, "build", "--data", str(data), "--site", str(site)], check=True, cwd=ROOT)
    return site


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind, as paths under PREFIX."""
    years = sorted(p.name for p in site.iterdir() if p.is_dir() and p.name.isdigit())
    latest, older = years[-1], years[0]
    units = sorted(p.name for p in (site / latest).iterdir() if (p / "index.html").is_file())
    chosen = "&".join(f"u={quote(f'{latest}/{name}')}" for name in units[:3])
    return {
        "home": "",
        "year overview": f"{older}/",
        "unit page": f"{latest}/{quote(units[0])}/",
        "comparison (3 units)": f"compare/?{chosen}",
        "indicator explorer": "indicators/",
        "search": f"search/?q={quote('满意度')}",
    }


def lighthouse(url: str, keep: Path | None = None) -> dict:
    """One Lighthouse run (mobile preset); the figures this benchmark reports. ``keep``: also save the whole
    report there, to read the audits behind a score (layout-shift sources, long tasks, the LCP element)."""
    result = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance,accessibility",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME},
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    if keep:
        keep.write_text(result.stdout, encoding="utf-8")
    audits = report["audits"]
    failed_a11y = [
        ref["id"]
        for ref in report["categories"]["accessibility"]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] not in (None, 1)
    ]
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "transferred_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "a11y_failed": failed_a11y,
    }


def median_of(runs: list[dict]) -> dict:
    row = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key != "a11y_failed"}
    row["a11y_failed"] = sorted({a for r in runs for a in r["a11y_failed"]})
    return row


def table(title: str, results: dict) -> None:
    print(f"\n{title}\n")
    print("| page | performance | accessibility | transferred | total blocking time | FCP | LCP | CLS |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        print(
            f"| {kind} | {r['performance']:.2f} | {r['accessibility']:.2f} | {r['transferred_kb']:.0f} KB "
            f"| {r['tbt_ms'] / 1000:.2f} s | {r['fcp_ms'] / 1000:.1f} s | {r['lcp_ms'] / 1000:.1f} s | {r['cls']:.2f} |"
        )
    for kind, r in results.items():
        if r["a11y_failed"]:
            print(f"\n{kind}: accessibility audits failed: {', '.join(r['a11y_failed'])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=30, help="demo units per year (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is shown")
    parser.add_argument("--site", type=Path, help="an already built site to measure instead of a fresh demo")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a site built from other code (e.g. main) to measure in turn with this one, run for run, so both "
        "see the same load on a shared machine",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--only", nargs="+", help="only these page kinds (e.g. unit page)")
    parser.add_argument(
        "--reports", type=Path, help="save every whole Lighthouse report (JSON) in this folder"
    )
    args = parser.parse_args()
    ensure_lighthouse()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_demo(Path(tmp), args.units)
        sites = {"this": site} if not args.baseline else {"baseline": args.baseline, "this": site}
        servers = {name: serve(s.resolve()) for name, s in sites.items()}
        results: dict[str, dict] = {name: {} for name in sites}
        for kind, path in page_kinds(site).items():
            if args.only and kind not in args.only:
                continue
            runs: dict[str, list] = {name: [] for name in sites}
            for n in range(args.runs):
                for name, server in servers.items():
                    keep = (
                        args.reports / f"{name}-{kind.split(' ')[0]}-{n + 1}.json" if args.reports else None
                    )
                    url = f"http://127.0.0.1:{server.server_port}{PREFIX}{path}"
                    runs[name].append(lighthouse(url, keep))
            for name in sites:
                results[name][kind] = {"path": unquote(path), **median_of(runs[name])}
                print(f"  {name} {kind}: {results[name][kind]}", file=sys.stderr, flush=True)
        for server in servers.values():
            server.shutdown()

    head = f"Lighthouse 12.2.3, mobile preset, median of {args.runs} run(s), served gzip under {PREFIX}"
    if args.baseline:
        table(f"{head}: baseline ({args.baseline})", results["baseline"])
    table(f"{head}" + (f": this site ({site})" if args.baseline else ""), results["this"])
    if args.json:
        args.json.write_text(
            json.dumps(results if args.baseline else results["this"], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
