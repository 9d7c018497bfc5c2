"""``jixiao build``: validate the data, run MkDocs into a fresh folder, then swap it in.

A failed build leaves the previous site exactly as it was: MkDocs writes into a staging folder of this build's
own beside the target (``.<site>.building-…``), and only a complete build replaces the old site. The target is
checked and locked first (jixiao.target): never the data folder or the project, never a file or a folder jixiao
did not build, one build at a time. Dates come from SOURCE_DATE_EPOCH or the data (jixiao.plugin), so a rebuild is identical.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from jixiao import target
from jixiao.checks import summary
from jixiao.findings import JixiaoError
from jixiao.project import load_mkdocs_config
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

    # Load and check inputs: raises InvalidData with every problem before anything is written.
    site_info(data_dir)
    loaded = load(data_dir)

    # Build aside, under the target's lock: MkDocs with the jixiao plugin (pages, search index).
    with target.locked(site_dir):
        target.check_target(
            site_dir, data_dir, target.project_of(config_file)
        )  # as it is now, under the lock
        target.clean_leftovers(site_dir)
        staging = target.staging_for(site_dir)
        try:
            # MkDocs' own share: the plugin's page generation and Pagefind inside it are timed as their own phases.
            with phase("mkdocs"):
                _run_mkdocs(Path(data_dir), staging, config_file, site_url)
            target.swap_in(staging, site_dir)
        except BaseException:
            target.discard(staging)
            raise
    findings = [f for item in loaded for f in item.findings]
    return Built(site_dir, len(loaded), time.perf_counter() - started, summary(findings))


def _run_mkdocs(data_dir: Path, staging: Path, config_file: Path | None, site_url: str | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    project = config_file.parent if config_file else Path.cwd()
    try:
        config = load_mkdocs_config(project, data_dir, staging, config_file, site_url=site_url, strict=True)
        build(config)
    except (Abort, MkDocsException) as err:
        raise BuildFailed(f"MkDocs 构建失败，原网站未改动：{err}") from None
