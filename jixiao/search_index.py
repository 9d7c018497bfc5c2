"""The site's search index: Pagefind's chunked index in ``site/pagefind`` (its binary comes from PyPI with the
``pagefind[extended]`` wheel: nothing is fetched, and no search request leaves the site)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jixiao.findings import JixiaoError
from jixiao.incremental import cached_files, key_of
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


# Unit pages per part of the index. Pagefind's search costs grow with the square of the pages of one index that hold
# a query's words (for each matching page it scans every matching page's entry): a word on almost every unit page
# took ≈ 10 s on a phone-speed CPU with parts of 7,000, ≈ 3 s with parts of 2,000, and the search page shows each
# part's results as it comes (search-worker.js), the first within a second. Smaller parts cost download: a search
# downloads each part's meta and, for each of its words, the piece of the part's index that holds it
# (search_filters.CHUNK): at 20,000 units a two-word search downloads 290 KB with parts of 2,000, 326 KB with parts
# of 1,000. Parts also bound Pagefind's memory (≈ 270 KB a unit page until it writes). Hub pages (home, years,
# directory, …) are a part of their own, so a corrected unit re-indexes its part and the hubs only.
PART_UNITS = 2000


@dataclass(frozen=True)
class SearchParts:
    """Which part of the index each unit folder (``2024/宝城镇/``) goes to; part 0 is everything else."""

    count: int  # unit parts (1: one index for the whole site, no parts)

    @classmethod
    def for_units(cls, units: int, per_part: int = PART_UNITS) -> SearchParts:
        return cls(max(1, -(-units // max(1, per_part))))

    def of(self, slug: str) -> int:
        """The unit's part, 1…count: stable as long as the number of parts is (a digest of its folder)."""
        return 1 + int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % self.count

    def folders(self) -> list[str]:
        """The merged indexes' folders under the site, for the search page (none without parts)."""
        return [f"pagefind/{PART_FOLDER}{n}/" for n in range(1, self.count + 1)] if self.count > 1 else []


PART_FOLDER = "part-"


def index_for_search(
    site: Path, parts: SearchParts | None = None, units: frozenset[str] = frozenset()
) -> int:
    """Index the built site in place; return the number of pages indexed. ``units`` are the unit folders
    (``2024/宝城镇/``), which the parts share out."""
    parts = parts or SearchParts(1)
    pages = {
        page: _Read.of(page)
        for page in sorted(site.rglob("*.html"))
        if not page.relative_to(site).as_posix().startswith("pagefind/")
    }
    # When any page marks its body, Pagefind indexes only the pages that do (not a unit's 公示卡, for one), but it
    # reads every page to find out: a fifth of its time at 1,000 units. So it is given only the pages it would
    # index (a page that merely quotes the attribute in its text is given too, and Pagefind leaves it out).
    if any(read.body for read in pages.values()):
        pages = {page: read for page, read in pages.items() if read.body}
    groups: dict[int, dict[Path, _Read]] = {n: {} for n in range(parts.count + 1 if parts.count > 1 else 1)}
    for page, read in pages.items():
        slug = unit_folder(page.relative_to(site).as_posix(), units) if parts.count > 1 else None
        groups[parts.of(slug) if slug else 0][page] = read
    indexed = 0
    for n, group in groups.items():
        out = site / "pagefind" / (f"{PART_FOLDER}{n}" if n else "")
        indexed += _index_part(site, group, out, keep=parts.count > 1)
        if n:  # merged into the first part's search: its scripts and WebAssembly are the first part's
            for extra in out.iterdir():
                if extra.is_file() and extra.name != "pagefind-entry.json" and extra.suffix != ".pf_meta":
                    extra.unlink()
    expose(site / "pagefind")
    gather_entries(site / "pagefind")
    return indexed


# The search page's worker (theme/assets/js/search-worker.js) searches the parts one at a time and sends each part's
# answer as it comes, which needs Pagefind's class: pagefind.js keeps it to itself (it exports only the functions of
# one merged search). So pagefind-jixiao.js is pagefind.js that also exports it. Where a later Pagefind names it
# otherwise, the file is not written and the search page uses pagefind.js alone (all parts answered at once).
EXPOSED = "pagefind-jixiao.js"
_CLASS = re.compile(r"\bvar Pagefind=class\b")


def expose(folder: Path) -> bool:
    source = (folder / "pagefind.js").read_text(encoding="utf-8")
    if not _CLASS.search(source):
        return False
    (folder / EXPOSED).write_text(source + "\nexport{Pagefind as JixiaoPagefind};\n", encoding="utf-8")
    return True


# Every index's pagefind-entry.json (which names its meta) in one file, by folder under pagefind/ ("" for the hubs',
# "part-1/", …). Pagefind asks for an index's entry, then its meta, then (for a merged part) only once its WebAssembly
# has come: three round trips before a part can be searched. The search worker fetches this file beside Pagefind's
# script and asks for the WebAssembly and the first indexes' metas at once (search-worker.js).
ENTRIES = "jixiao-entries.json"


def gather_entries(folder: Path) -> None:
    entries = {}
    for entry in sorted(folder.glob("**/pagefind-entry.json")):
        where = entry.parent.relative_to(folder).as_posix()
        entries["" if where == "." else where + "/"] = json.loads(entry.read_text(encoding="utf-8"))
    (folder / ENTRIES).write_text(
        json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8"
    )


@dataclass(frozen=True)
class _Read:
    """What indexing needs of a page: whether it marks its body, and a digest of its bytes (for the cache)."""

    body: bool
    digest: bytes

    @classmethod
    def of(cls, page: Path) -> _Read:
        html = page.read_bytes()
        return cls(b"data-pagefind-body" in html, hashlib.sha256(html).digest())


def unit_folder(path: str, units: frozenset[str]) -> str | None:
    """The unit folder (``2024/宝城镇/``) a path of the site lies in (its first two parts), or None."""
    folder = "/".join(path.split("/")[:2]) + "/"
    return folder if path.count("/") >= 2 and folder in units else None


def _index_part(site: Path, pages: dict[Path, _Read], out: Path, keep: bool = True) -> int:
    """Index ``pages`` (the site's files) into ``out``; with ``keep``, copy the index made last time of the same
    pages instead, or keep this one for next time. (A site in one part is indexed again whenever a page changed,
    which is every rebuild that matters: keeping its index would only cost writing and copying it.)"""
    if not keep:
        with _linked(site, pages) as folder:
            return _index(folder, out)
    digest = hashlib.sha256(repr(EXCLUDED).encode())  # Pagefind's version is in key_of (code_version)
    for page in sorted(pages):
        digest.update(page.relative_to(site).as_posix().encode() + b"\0" + pages[page].digest)

    def index() -> dict[str, bytes]:
        with _linked(site, pages) as folder:
            made = folder / "pagefind"
            counted = _index(folder, made)
            files = {p.relative_to(made).as_posix(): p.read_bytes() for p in made.rglob("*") if p.is_file()}
            return {"pages": str(counted).encode(), **{f"index/{k}": v for k, v in files.items()}}

    kept = cached_files(key_of("search-part", digest.hexdigest()), index)
    for name, content in kept.items():
        if name.startswith("index/"):
            target = out / name.removeprefix("index/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
    pages_indexed = kept["pages"]
    return int(pages_indexed.read_text() if isinstance(pages_indexed, Path) else pages_indexed)


@contextmanager
def _linked(site: Path, pages: Iterable[Path]) -> Iterator[Path]:
    """A folder holding ``pages`` as they lie in the site, linked (not copied): Pagefind reads a folder. Within the
    site being built, so a killed build leaves nothing elsewhere (jixiao build discards it whole)."""
    with tempfile.TemporaryDirectory(prefix=".jixiao-search-", dir=site) as tmp:
        for page in pages:
            linked = Path(tmp) / page.relative_to(site)
            linked.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, linked)
            except OSError:
                shutil.copyfile(page, linked)
        yield Path(tmp)


def _index(site: Path, out: Path) -> int:
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), *excluded],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not (out / "pagefind.js").is_file():
        raise SearchIndexFailed(
            f"搜索索引（Pagefind）生成失败，原网站未改动：{(result.stderr or result.stdout).strip()[-300:]}"
        )
    stabilise(out)  # filter indexes in a stable order: the same site, the same bytes
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    return int(pages.group(1)) if pages else 0
