"""Orchestration: data directory in, every generated page and file out.

Called from the jixiao MkDocs plugin (jixiao/plugin.py). ``jixiao build`` loads and validates first, then runs
MkDocs in the same process, so the loaded evaluations are kept here rather than read twice: keyed by the data's
content, so a preview (``jixiao serve``) that rebuilds after an edit reads the edit.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from jixiao import limits
from jixiao.checks import check_loaded, summary
from jixiao.collection import histories, latest_by_unit, peers, summarise
from jixiao.findings import Finding, InvalidData, problem
from jixiao.gate import published
from jixiao.incremental import cached, folder_digest, key_of, parallel_map
from jixiao.load import (
    Loaded,
    find_unit_folders,
    load_unit_with_origins,
    unit_files,
    unit_folders,
)
from jixiao.model import SiteInfo
from jixiao.progress import current
from jixiao.render.compare_page import render_compare_page
from jixiao.render.data_format import render_data_format_page
from jixiao.render.explorer_page import render_explorer
from jixiao.render.findings import render_checks_pages, render_rules_section, view
from jixiao.render.open_data import Bundle, bundle_folder, render_open_data_page
from jixiao.render.overview import ranking_pages, render_directory, render_overview
from jixiao.render.unit_page import FILES_DIR
from jixiao.reproducible import data_dates, source_date
from jixiao.timing import phase
from jixiao.units import UnitInputs, files_per_unit
from jixiao.yaml_input import read_settings

SITE_FILE = "site.yaml"
# One entry per data directory: (fingerprint of its content, what was loaded from it).
_loaded: dict[Path, tuple[str, list[Loaded]]] = {}

# ``write(path, content)``: content is text, bytes, or a file to publish as it is (not read into memory).
Writer = Callable[[str, str | bytes | Path], None]


def site_info(data_dir: Path) -> SiteInfo:
    """The data directory's site.yaml (title, county, demo flag); defaults when there is none."""
    path = Path(data_dir) / SITE_FILE
    if not path.exists() and not path.is_symlink():
        return SiteInfo()
    if not path.resolve().is_relative_to(Path(data_dir).resolve()) or not path.is_file():
        raise InvalidData([problem("unsafe-file", str(path), "site.yaml 不是数据目录中的普通文件，拒绝读取")])
    return read_settings(path, SiteInfo)


def forget() -> None:
    """Drop the evaluations loaded in this process (the benchmark times loading, as a fresh build does)."""
    _loaded.clear()
    _digests.clear()


def fingerprint(data_dir: Path) -> str:
    """A digest of every file's path and content under ``data_dir``: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    root = Path(data_dir).resolve()
    # Only what loading may read: regular files inside the data folder (a link to /proc or a device is refused
    # there by name, and must not be read here first).
    inside = (p for p in Path(data_dir).rglob("*") if not p.is_symlink() or p.resolve().is_relative_to(root))
    paths = sorted(p for p in inside if p.is_file() and p.stat().st_size <= limits.MAX_FILE_BYTES)
    # A build asks several times (the pages, the plugin, the data's date): the files' contents are read and hashed
    # again only if a file was added, removed or written since. Writing a file changes its ctime, which no tool
    # can set back, so a file whose stat is unchanged holds what it held; unless it was written in the last two
    # seconds, within the clock's granularity (as git treats a "racily clean" file): then it is read again.
    signature = tuple(
        (str(p), s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino) for p in paths for s in [p.stat()]
    )
    known = _digests.get(root)
    if known is not None and known[0] == signature:
        return known[1]
    for path in paths:
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    settled = time.time_ns() - 2_000_000_000
    if all(entry[3] < settled for entry in signature):
        _digests[root] = (signature, digest.hexdigest())
    return digest.hexdigest()


# Per data folder: the files' stat signature and the content digest it was made for (see fingerprint).
_digests: dict[Path, tuple[tuple, str]] = {}


def load(data_dir: Path) -> list[Loaded]:
    """Load and check every evaluation under ``data_dir``, again only when its content has changed.

    Raises InvalidData with every loading problem, or else with every error the checks found (personal data, a
    score above its maximum): those block publishing. Warnings and info stay with each unit, to be published.
    """
    key = Path(data_dir).resolve()
    stamp = fingerprint(key) if key.is_dir() else ""
    if key in _loaded and _loaded[key][0] == stamp:
        return _loaded[key][1]
    progress = current()
    # Loading and checking a folder depends on its files alone: both in worker processes, kept by content hash.
    total = len(find_unit_folders(key)) if key.is_dir() else 0
    with phase("load"), progress.phase("读取数据", total, "个单位") as step:
        folders = unit_folders(key)
        results = []
        for result in parallel_map(_load_and_check, [(folder, key) for folder in folders]):
            results.append(result)
            step.advance()
        problems = [f for _, found in results for f in found]
        if problems:
            raise InvalidData(problems)
    loaded = [item for item, _ in results]
    with phase("checks"), progress.phase("核对数据", len(loaded), "个单位") as step:
        step.done(len(loaded))
        step.note = summary([f for item in loaded for f in item.findings])
        errors = [f for item in loaded for f in item.findings if f.severity == "error"]
    if errors:
        raise InvalidData(errors)
    _loaded[key] = (stamp, loaded)
    return loaded


def _load_and_check(job: tuple[Path, Path]) -> tuple[Loaded | None, list[Finding]]:
    """One unit folder loaded and checked, or the problems that kept it from loading."""
    folder, root = job
    try:
        files = unit_files(folder, root)  # only the data folder is read: links out of it refused by name
    except InvalidData as err:
        return None, err.findings
    key = key_of("loaded", folder_digest(folder, files))
    return cached(key, lambda: _load_and_check_now(folder, root))


def _load_and_check_now(folder: Path, root: Path) -> tuple[Loaded | None, list[Finding]]:
    try:
        item = load_unit_with_origins(folder, root)
    except InvalidData as err:
        return None, err.findings
    item.findings = check_loaded(item)
    # Scanned for personal data and checked just now: the texts and each field's place are not worth carrying
    # between processes or keeping (the findings keep their places).
    item.texts, item.origins = [], {}
    return item, []


def data_date(evaluations) -> str:
    """The date the site's data stands at: SOURCE_DATE_EPOCH when set, else the latest date the data states
    (publication dates, else its years' ends); never the clock, so the same data gives the same site."""
    return source_date(data_dates(evaluations)).date().isoformat()


def generate(data_dir: Path, write: Writer, append: Writer, site_url: str | None = None) -> int:
    """Write every generated page and file through ``write(path, content)`` (``append`` adds to a hand-written
    page); return the number of units. ``site_url`` is the public address (for the 公示卡's QR codes)."""
    with phase("pages"):
        return _generate(data_dir, write, append, site_url)


def _views(item) -> list:
    """The unit's findings as its page shows them (the canonical form, made once for all of them)."""
    if not item.findings:
        return []
    canonical = item.evaluation.canonical()
    return [view(f, item.folder, canonical) for f in item.findings]


def _generate(data_dir: Path, write: Writer, append: Writer, site_url: str | None) -> int:
    # Load inputs.
    loaded = load(data_dir)
    info = site_info(data_dir)
    evaluations = [item.evaluation for item in loaded]
    date = data_date(evaluations)
    views = {item.evaluation.slug: _views(item) for item in loaded}
    summaries = [summarise(item.evaluation, item.findings) for item in loaded]
    by_slug = {s.slug: s for s in summaries}
    near, history = peers(summaries), histories(summaries)
    years = sorted({s.year for s in summaries}, reverse=True)
    counties = {ev.unit.county for ev in evaluations if ev.unit.county}
    county = info.county or (counties.pop() if len(counties) == 1 else None)
    title = info.title or f"{county or ''}预算绩效自评公开"

    # Hub pages: overview of the latest year at the root, one per year, the directory by kind.
    for year in years:
        home = year == years[0]
        rows = [s for s in summaries if s.year == year]
        page = render_overview(rows, year, years, title, county, "" if home else "../", is_home=home)
        write(f"{'' if home else f'{year}/'}index.md", page)
    for path, page in ranking_pages(summaries, years).items():
        write(path, page)
    for path, page in render_directory(latest_by_unit(summaries), history).items():
        write(path, page)
    page, units_json, all_page = render_compare_page(summaries)
    write("compare/index.md", page)
    write("compare/units.json", units_json)
    if all_page:
        write("compare/all/index.md", all_page)
    page, data_json = render_explorer(evaluations)
    write("indicators/index.md", page)
    write("indicators/data.json", data_json)
    for path, page in render_checks_pages([(ev, views[ev.slug]) for ev in evaluations]).items():
        write(path, page)
    write("data-format/index.md", render_data_format_page())
    append("about/index.md", render_rules_section())

    # Unit pages, with their figures, summary and downloads (in worker processes, kept by content hash), and the
    # original files byte for byte; the site's dataset joined from the units' pieces as they come.
    bundle = Bundle(bundle_folder())
    with phase("unit files"):
        inputs = [
            UnitInputs(
                ev,
                views[ev.slug],
                by_slug[ev.slug],
                near[ev.slug],
                history[by_slug[ev.slug].short],
                site_url,
                date,
            )
            for ev in evaluations
        ]
        for ev, (files, piece) in zip(evaluations, files_per_unit(inputs), strict=True):
            for path, content in files.items():
                write(path, content)
            bundle.add(files[f"{ev.slug}/indicators.csv"], files[f"{ev.slug}/scores.csv"], piece)
        for item in loaded:
            for source in item.evaluation.sources:
                original = item.folder / source.file
                # Only what the publish gate let through: every part scanned, or released by the unit with a reason.
                if published(source) and original.is_file():
                    write(f"{item.evaluation.slug}/{FILES_DIR}/{source.file}", original)
    with phase("downloads"):
        files = bundle.finish(summaries, source_date(data_dates(evaluations)))
    for name, content in files.items():
        write(f"open-data/{name}", content)
    write(
        "open-data/index.md",
        render_open_data_page(evaluations, files, title, info.licence, county, date, site_url),
    )
    return len(evaluations)
