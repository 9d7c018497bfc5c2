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


# What the index leaves out. A search downloads the whole index entry of each word it asks for (Pagefind splits
# the index by word, not by page), so a word on every unit page costs every search that uses it a few bytes per
# unit: at 20,000 units, text the site repeats on every page (labels, sentences derived from the numbers, the
# national scoring criteria, other units' names) would make the first search several times heavier and rank
# pages by boilerplate. The index keeps what a reader searches for: the unit's name, its indicators and their
# notes, goals and tasks, project texts, the report; hubs are found by their titles, not their lists of units.
EXCLUDED = (
    ".headerlink",  # the ¶ after each heading
    ".jx-filter",  # the indicator table's filter form
    ".jx-crumbs, .jx-years, .jx-jump, .jx-actions",  # navigation within the site and the page
    ".jx-cards, .jx-points, .jx-lost-list",  # headline numbers and the summary: sentences built from the numbers
    ".jx-figure",  # charts: caption, text alternative and numbers, all derived
    'td[data-label="指标解释"]',  # the national scoring criteria, the same on every unit page
    ".jx-years-list, .jx-peers, .jx-findings, .jx-corrections",  # other years, other units, the site's checks
    ".jx-downloads, .jx-sources, .jx-note, .jx-print-only",  # files, hashes and the site's own notes
    ".jx-unit-list, #jx-kind, #jx-ranking, #jx-compare-all, #jx-findings",  # hubs: every unit, every finding
)


def index_for_search(site: Path) -> int:
    """Index the built site in place; return the number of pages indexed."""
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", *excluded],
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
