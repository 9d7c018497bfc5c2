"""Benchmark: does the build stay fast and flat as a county (or a province) grows?

    .venv/bin/python scripts/benchmark_scale.py [--units 100 1000 5000 20000] [--no-search] [--json FILE]

For each size: writes a one-year demo (``jixiao demo``), builds it in a fresh process with an empty cache and
reports the wall time per phase (load, checks, pages, downloads, MkDocs, Pagefind), the peak memory of the build
and everything it started, then changes one unit and builds again (the incremental rebuild a correction causes).
In the same run it times a yardstick: plain MkDocs + Material building the same number of pages, each with a
50-row table, so the figures are ratios that hold on a noisy shared machine. It also reports a unit page's HTML
size and what the first search downloads in Chromium (Pagefind loads only the chunks a query needs), as bytes
transferred from a gzip-compressing server (as a portal serves the site) and decompressed.
``--search-only SITE`` measures just that, file by file, on a site already built.

Goals (issue #11): ≤ 15 ms per unit-year on 2 cores, the cost per unit flat (±10%) from 100 to 20,000, peak
memory ≤ 4 GB, the first search ≤ 300 KB, one corrected unit rebuilt in a fraction of the full time. Not a test:
it reports, it does not assert. 20,000 units take a long time on a 2-core machine: run them only when needed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = [sys.executable, "-m", "jixiao.cli"]
PHASES = ("load", "checks", "pages", "downloads", "unit files", "unit pages", "mkdocs", "pagefind")
# Runs in the child: one build, then its phase times as JSON on the last line of stdout.
BUILD = """
import json, sys
from pathlib import Path
from jixiao import timing
from jixiao.build import build_site
built = build_site(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
print(json.dumps({"units": built.units, "phases": timing.phases(), "cpu_phases": timing.cpu_phases(),
                  "spans": timing.spans()}))
"""


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the proportional set size (Linux /proc), so the
    pages that forked workers share with their parent are counted once, not once per worker."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(
                int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")
            )
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], env: dict, samples: list | None = None) -> tuple[float, float, int, str]:
    """Run ``command``; return its wall time, the CPU time of its process tree (less sensitive to other work on
    a shared machine than the wall time), its peak memory, and its stdout. ``samples`` receives every memory
    sample as (wall clock, bytes)."""
    peak = 0
    cpu = _cpu_of_children()
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                now = tree_memory(proc.pid)
                peak = max(peak, now)
                if samples is not None:
                    samples.append((time.time(), now))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, err = proc.communicate()
        done.set()
        sampler.join()
    seconds, cpu = time.perf_counter() - started, _cpu_of_children() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed:\n{err[-3000:]}")
    return seconds, cpu, peak, out


def build(data: Path, site: Path, env: dict) -> dict:
    samples: list[tuple[float, int]] = []
    seconds, cpu, peak, out = run_measured(
        [sys.executable, "-c", BUILD, str(data), str(site), str(ROOT / "mkdocs.yml")], env, samples
    )
    built = json.loads(out.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak / 2**20,
        "peak_mb_by_phase": peak_by_phase(samples, built.pop("spans")),
        **built,
    }


def peak_by_phase(samples: list[tuple[float, int]], spans: list) -> dict[str, float]:
    """The highest memory sample within each phase, in MB (a sample counts for the innermost phase around it)."""
    peaks: dict[str, float] = {}
    for at, memory in samples:
        inner = [s for s in spans if s[1] <= at <= s[2]]
        if inner:
            name = min(inner, key=lambda s: s[2] - s[1])[0]
            peaks[name] = max(peaks.get(name, 0.0), memory / 2**20)
    return peaks


def change_one_unit(data: Path) -> Path:
    """Correct one figure of one unit, as a clerk would: the first indicator's actual value."""
    path = sorted(data.glob("*/*/evaluation.yaml"))[len(list(data.glob("*/*/evaluation.yaml"))) // 2]
    ev = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = ev["indicators"][0]
    first["actual"] = first["actual"] + 1 if isinstance(first.get("actual"), (int, float)) else "已更正"
    path.write_text(yaml.safe_dump(ev, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


YARDSTICK_CONFIG = """site_name: 基准
docs_dir: docs
use_directory_urls: true
theme: {name: material, language: zh, font: false}
plugins: []
markdown_extensions: [tables, attr_list, toc]
nav: [{首页: index.md}]
not_in_nav: |
  /units/**
"""


def yardstick(tmp: Path, pages: int) -> dict:
    """Wall and CPU seconds for plain MkDocs + Material to build ``pages`` pages of a 50-row table each (no search index)."""
    root = tmp / f"yardstick-{pages}"
    docs = root / "docs" / "units"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(YARDSTICK_CONFIG, encoding="utf-8")
    (root / "docs" / "index.md").write_text(
        "# 首页\n\n" + "\n".join(f"- [单位 {n}](units/{n:05d}.md)" for n in range(min(pages, 100))),
        encoding="utf-8",
    )
    header = (
        "| 一级指标 | 二级指标 | 三级指标 | 性质 | 指标值 | 单位 | 权重 | 实际完成值 |\n" + "|---" * 8 + "|\n"
    )
    for n in range(pages):
        rows = "".join(
            f"| 产出指标 | 数量指标 | 第{n}号单位的第{r}项指标 | ≥ | {r * 3 + n % 7} | 个 | {r % 9 + 1} | {r * 3 + n % 5} |\n"
            for r in range(50)
        )
        (docs / f"{n:05d}.md").write_text(
            f"# 单位 {n}\n\n本页是基准页面，含一张 50 行的表格。\n\n## 指标\n\n{header}{rows}",
            encoding="utf-8",
        )
    seconds, cpu, _, _ = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], {**os.environ}
    )
    return {"seconds": seconds, "cpu": cpu}


def first_search(site: Path, query: str) -> dict | None:
    """What the browser fetches from pagefind/ for one search, or None without Chromium. The site is served
    gzip-compressed under a sub-path, as a portal serves it (benchmark_pages.py's server): ``wire`` is the bytes
    transferred (Pagefind's own index files are gzip'd already; its scripts are compressed by the server), ``raw``
    the bytes once decompressed, ``files`` both per kind of file."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from benchmark_pages import PREFIX, serve
    from playwright.sync_api import sync_playwright

    server = serve(site.resolve())
    fetched: list[tuple[str, int, int]] = []

    def seen(response) -> None:
        path = unquote(urlparse(response.url).path)
        # Pagefind's files, and the search page's own scripts (search.js, which replaced Pagefind's UI bundle, and
        # search-worker.js, which replaced Pagefind's worker).
        own = re.search(r"/assets/js/(search(?:-worker)?)\.", path)
        if "/pagefind/" in path or own:
            name = own.group(1) + ".js" if own else path.split("/pagefind/", 1)[1]
            kind = name.split("/")[0] if "/" in name else "meta" if name.endswith(".pf_meta") else name
            wire = int(response.headers.get("content-length") or 0)
            fetched.append((kind, len(response.body()), wire))

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("response", seen)
        page.goto(f"http://127.0.0.1:{server.server_port}{PREFIX}search/?q={quote(query)}")
        # search.js's results (or Pagefind's own UI's, on a site built before search.js replaced it).
        page.locator(".jx-result-link, .pagefind-ui__result-link").first.wait_for(timeout=120000)
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    files: dict[str, list[int]] = {}
    for kind, raw, wire in fetched:
        files.setdefault(kind, [0, 0, 0])
        files[kind] = [files[kind][0] + 1, files[kind][1] + raw, files[kind][2] + wire]
    return {
        "wire": sum(f[2] for f in fetched),
        "raw": sum(f[1] for f in fetched),
        "files": {k: {"count": c, "raw": r, "wire": w} for k, (c, r, w) in files.items()},
    }


def print_search(fetched: dict) -> None:
    print("| pagefind file | requests | decompressed | transferred (gzip server) |\n|---|---|---|---|")
    for kind, f in sorted(fetched["files"].items(), key=lambda kv: -kv[1]["wire"]):
        print(f"| {kind} | {f['count']} | {f['raw'] / 1024:.1f} KB | {f['wire'] / 1024:.1f} KB |")
    print(f"| total | | {fetched['raw'] / 1024:.1f} KB | {fetched['wire'] / 1024:.1f} KB |")


def measure(tmp: Path, n: int, search: bool) -> dict:
    data, site = tmp / f"data-{n}", tmp / f"site-{n}"
    env = {**os.environ, "JIXIAO_CACHE": str(tmp / f"cache-{n}")}
    subprocess.run(
        [*JIXIAO, "demo", "--units", str(n), "--out", str(data)], check=True, capture_output=True, cwd=ROOT
    )
    full = build(data, site, env)
    changed = change_one_unit(data)
    again = build(data, site, env)
    unit_page = site / changed.parent.parent.name / changed.parent.name / "index.html"
    row = {
        "units": n,
        "full": full,
        "incremental": again,
        "yardstick": yardstick(tmp, n),
        "unit_html_kb": unit_page.stat().st_size / 1024,
        "site_mb": size(site) / 2**20,
        "index_mb": size(site / "pagefind") / 2**20,
        "first_search_kb": None,
        "first_search_raw_kb": None,
    }
    if search:
        fetched = first_search(site, "满意度")
        if fetched:
            row["first_search_kb"] = fetched["wire"] / 1024
            row["first_search_raw_kb"] = fetched["raw"] / 1024
            row["first_search_files"] = fetched["files"]
    return row


def report(rows: list[dict]) -> None:
    phases = list(dict.fromkeys(p for r in rows for p in r["full"]["phases"]))
    print(
        "\n| units | build (wall) | ms/unit | build (CPU) | yardstick wall / CPU | ratio wall / CPU | "
        + " | ".join(phases)
        + " | peak memory (phase) | one unit changed | unit page HTML | search index | first search |"
    )
    print("|---" * (11 + len(phases)) + "|")
    for r in rows:
        full, again, yard = r["full"], r["incremental"], r["yardstick"]
        times = " | ".join(f"{full['phases'].get(p, 0):.1f} s" for p in phases)
        search = "—"
        if r["first_search_kb"] is not None:
            search = (
                f"{r['first_search_kb']:.0f} KB ({r.get('first_search_raw_kb') or 0:.0f} KB decompressed)"
            )
        print(
            f"| {r['units']:,} | {full['seconds']:.1f} s | {full['seconds'] / r['units'] * 1000:.1f} "
            f"| {full['cpu']:.1f} s | {yard['seconds']:.1f} s / {yard['cpu']:.1f} s "
            f"| {full['seconds'] / yard['seconds']:.2f} / {full['cpu'] / yard['cpu']:.2f} | {times} "
            f"| {full['peak_mb']:,.0f} MB ({_peak_phase(full)}) | {again['seconds']:.1f} s ({again['seconds'] / full['seconds']:.0%}) "
            f"| {r['unit_html_kb']:.0f} KB | {r['index_mb']:.1f} MB | {search} |"
        )
    for r in rows:
        cpu = r["full"].get("cpu_phases") or {}
        print(
            f"\nCPU by phase at {r['units']:,} units (wall in brackets): "
            + ", ".join(
                f"{name} {seconds:.1f} s ({r['full']['phases'].get(name, 0):.1f} s)"
                for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1])
            )
        )
        by_phase = r["full"].get("peak_mb_by_phase") or {}
        print(
            f"\npeak memory by phase at {r['units']:,} units: "
            + ", ".join(
                f"{name} {mb:,.0f} MB" for name, mb in sorted(by_phase.items(), key=lambda kv: -kv[1])
            )
        )
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        per = [r["full"]["seconds"] / r["units"] for r in (a, b)]
        ratio = [r["full"]["seconds"] / r["yardstick"]["seconds"] for r in (a, b)]
        print(
            f"\ntime per unit at {b['units']:,} ÷ at {a['units']:,}: {per[1] / per[0]:.2f}× "
            f"(goal 0.9–1.1×); against the yardstick: {ratio[1] / ratio[0]:.2f}×"
        )


def _peak_phase(build: dict) -> str:
    by_phase = build.get("peak_mb_by_phase") or {}
    return max(by_phase, key=by_phase.get) if by_phase else "—"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument(
        "--no-search", action="store_true", help="skip the first-search measurement in Chromium"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--search-only", type=Path, metavar="SITE", help="only measure the first search of this built site"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build in DIR (a new folder) and keep the data, sites and caches, e.g. for benchmark_search.py on DIR/site-N",
    )
    args = parser.parse_args()
    if args.search_only:
        fetched = first_search(args.search_only, "满意度")
        if fetched is None:
            sys.exit("需要 Chromium（/usr/bin/chromium）")
        print_search(fetched)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for n in args.units:
            rows.append(measure(where, n, not args.no_search))
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    report(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
