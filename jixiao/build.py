"""``jixiao build``: validate the data, run MkDocs into a fresh folder, then swap it in.

A failed build leaves the previous site exactly as it was: MkDocs writes into ``.<site>.building`` beside the
target, and only a complete build replaces the old site.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from jixiao.checks import summary
from jixiao.findings import JixiaoError
from jixiao.project import load_mkdocs_config
from jixiao.site import load, site_info


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
    # Load and check inputs: raises InvalidData with every problem before anything is written.
    site_info(data_dir)
    loaded = load(data_dir)

    # Build aside: MkDocs with the jixiao plugin, which generates the pages and indexes them for search.
    site_dir = Path(site_dir).resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _run_mkdocs(Path(data_dir), staging, config_file, site_url)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    # Swap in.
    _swap(staging, site_dir)
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


def _swap(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
