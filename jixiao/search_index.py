"""The site's search index: Pagefind's chunked index in ``site/pagefind`` (its binary comes from PyPI with the
``pagefind[extended]`` wheel: nothing is fetched, and no search request leaves the site)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from jixiao.findings import JixiaoError
from jixiao.search_filters import stabilise


class SearchIndexFailed(JixiaoError):
    pass


def index_for_search(site: Path) -> int:
    """Index the built site in place; return the number of pages indexed."""
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
        raise SearchIndexFailed(
            f"搜索索引（Pagefind）生成失败，原网站未改动：{(result.stderr or result.stdout).strip()[-300:]}"
        )
    stabilise(site / "pagefind")  # filter indexes in a stable order: the same site, the same bytes
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    return int(pages.group(1)) if pages else 0
