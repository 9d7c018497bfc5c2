"""``jixiao build``: validate the data, run MkDocs into a fresh folder, then swap it in.

A failed build leaves the previous site exactly as it was: MkDocs writes into ``.<site>.building`` beside the
target, and only a complete build replaces the old site.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from jixiao.checks import summary
from jixiao.findings import JixiaoError
from jixiao.site import DATA_ENV, load
from jixiao.timing import phase


@dataclass(frozen=True)
class Built:
    site_dir: Path
    units: int
    seconds: float
    summary: str


class BuildFailed(JixiaoError):
    """MkDocs refused to build (a warning in strict mode, a broken link, a theme error)."""


def build_site(data_dir: Path, site_dir: Path, config_file: Path, site_url: str | None = None) -> Built:
    started = time.perf_counter()
    # Load and check inputs: raises InvalidData with every problem before anything is written.
    loaded = load(data_dir)

    # Build aside.
    site_dir = Path(site_dir).resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with phase("mkdocs"):
            _run_mkdocs(Path(data_dir), staging, Path(config_file), site_url)
        with phase("pagefind"):
            index_for_search(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    # Swap in.
    _swap(staging, site_dir)
    findings = [f for item in loaded for f in item.findings]
    return Built(site_dir, len(loaded), time.perf_counter() - started, summary(findings))


def _run_mkdocs(data_dir: Path, staging: Path, config_file: Path, site_url: str | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    if not config_file.is_file():
        raise JixiaoError(f"{config_file}: 找不到 MkDocs 配置文件（请在项目根目录运行）")
    _log_to_stderr()
    # The gen-files script finds the data through the environment; restore it after, so nothing leaks.
    previous = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(data_dir.resolve())
    try:
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(str(config_file), site_dir=str(staging), strict=True, **overrides)
        build(config)
    except (Abort, MkDocsException) as err:
        raise BuildFailed(f"MkDocs 构建失败，原网站未改动：{err}") from None
    finally:
        if previous is None:
            os.environ.pop(DATA_ENV, None)
        else:
            os.environ[DATA_ENV] = previous


def index_for_search(site: Path) -> None:
    """Build Pagefind's chunked search index into ``site/pagefind`` (its binary comes from PyPI, nothing is fetched)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            "--output-subdir",
            "pagefind",
            "--exclude-selectors",
            ".headerlink",
            "--exclude-selectors",
            ".jx-filter",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        raise BuildFailed(
            f"搜索索引（Pagefind）生成失败，原网站未改动：{(result.stderr or result.stdout).strip()[-300:]}"
        )


def _swap(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record arrives (not when the handler was made)."""

    _jixiao = True

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


def _log_to_stderr() -> None:
    """MkDocs logs warnings through 'mkdocs'; show them (strict mode turns each into a failure)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_jixiao", False) for h in logger.handlers):
        handler = _StderrHandler(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
