"""``jixiao build``: validate the data, run MkDocs into a fresh folder, index it for search, then swap it in.

A failed build leaves the previous site exactly as it was: MkDocs writes into a staging folder of this build's
own beside the target (``.<site>.building-…``), and only a complete build replaces the old site. The target is
checked and locked first (jixiao.target): never the data folder or the project, never a file or a folder jixiao
did not build, one build at a time. Dates come from SOURCE_DATE_EPOCH or the data (jixiao.plugin), so a rebuild is
identical. The search index is made once MkDocs is done (under a plain ``mkdocs build``, by the plugin); a site of
more than ``IN_PROCESS_UNITS`` unit-years builds its pages in a child process first, so the memory that took is
free again when Pagefind, which needs as much, runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from multiprocessing import Pipe, get_all_start_methods, get_context
from pathlib import Path

from jixiao import plugin, target, timing
from jixiao.checks import summary
from jixiao.findings import JixiaoError
from jixiao.load import find_unit_folders
from jixiao.plugin import index_site
from jixiao.project import load_mkdocs_config
from jixiao.render import open_data
from jixiao.site import load, site_info
from jixiao.timing import phase


@dataclass(frozen=True)
class Built:
    site_dir: Path
    units: int
    seconds: float
    summary: str


class BuildFailed(JixiaoError):
    """MkDocs refused to build (a warning in strict mode, a broken link, a theme error)."""


def build_site(
    data_dir: Path, site_dir: Path, config_file: Path | None = None, site_url: str | None = None
) -> Built:
    """Build the site project around ``config_file`` (default: the current folder, with its mkdocs.yml or the
    packaged base configuration) from ``data_dir`` into ``site_dir``."""
    started = time.perf_counter()
    # Where to write: refused at once if unsafe, before any data is read.
    site_dir = target.check_target(site_dir, data_dir, target.project_of(config_file))
    # A big site is built in a child process: what it held (gigabytes at 20,000 units) is given back when it ends,
    # before the search index, itself gigabytes, is made.
    apart = len(find_unit_folders(Path(data_dir))) > IN_PROCESS_UNITS and "fork" in get_all_start_methods()
    if not apart:
        # Load and check inputs: raises InvalidData with every problem before anything is written.
        site_info(data_dir)
        load(data_dir)

    # Build aside, under the target's lock: MkDocs with the jixiao plugin (pages), then the search index.
    with target.locked(site_dir):
        target.check_target(
            site_dir, data_dir, target.project_of(config_file)
        )  # as it is now, under the lock
        target.clean_leftovers(site_dir)
        staging = target.staging_for(site_dir)
        try:
            args = (Path(data_dir), staging, config_file, site_url)
            units, findings, search = _in_child(_pages, *args) if apart else _pages(*args)
            index_site(staging, *search)
            target.swap_in(staging, site_dir)
        except BaseException:
            target.discard(staging)
            raise
    return Built(site_dir, units, time.perf_counter() - started, findings)


# Above this many unit-years, `jixiao build` builds the pages in a child process (tests set it lower).
IN_PROCESS_UNITS = 2000


def _pages(data_dir: Path, staging: Path, config_file: Path | None, site_url: str | None):
    """Load, check and build every page into ``staging``: (units, the checks' summary, what to index)."""
    site_info(data_dir)
    loaded = load(data_dir)
    later: list = []
    plugin.INDEX_LATER = later
    try:
        # MkDocs' own share: the plugin's page generation inside it is timed as its own phases.
        with phase("mkdocs"):
            _run_mkdocs(data_dir, staging, config_file, site_url)
    finally:
        plugin.INDEX_LATER = None
    return len(loaded), summary([f for item in loaded for f in item.findings]), later[-1]


def _in_child(fn, *args):
    """``fn(*args)`` in a forked child process: its result or its error, and the phases it timed, come back."""
    receive, send = Pipe(duplex=False)

    def run() -> None:
        timing.reset()
        try:
            outcome = ("ok", fn(*args))
        except BaseException as err:  # noqa: BLE001 (handed to the parent, which raises it)
            outcome = ("error", err)
        finally:
            # A forked process leaves without exit handlers: what it kept aside for the site (the open-data files,
            # copied into it by now) is removed here, not left in the cache.
            open_data.release()
        try:
            send.send((outcome, timing.phases(), timing.cpu_phases(), timing.spans()))
        except Exception:  # noqa: BLE001 (an error that cannot be pickled: its message)
            send.send((("error", JixiaoError(f"{type(outcome[1]).__name__}: {outcome[1]}")), {}, {}, []))

    child = get_context("fork").Process(target=run)
    child.start()
    send.close()
    try:
        (kind, value), phases, cpu, spans = receive.recv()
    except EOFError:
        child.join()
        raise BuildFailed(f"生成网页的进程意外退出（退出码 {child.exitcode}），原网站未改动") from None
    child.join()
    timing.absorb(phases, cpu, spans)
    if kind == "error":
        raise value
    return value


def _run_mkdocs(data_dir: Path, staging: Path, config_file: Path | None, site_url: str | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    project = config_file.parent if config_file else Path.cwd()
    try:
        config = load_mkdocs_config(project, data_dir, staging, config_file, site_url=site_url, strict=True)
        build(config)
    except (Abort, MkDocsException) as err:
        raise BuildFailed(f"MkDocs 构建失败，原网站未改动：{err}") from None
