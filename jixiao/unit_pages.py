"""Unit pages built by MkDocs' own page builder, in worker processes, after the hub pages.

A province is 20,000 unit-years, each a page and a 公示卡: MkDocs builds its pages one after another in one process
and keeps every rendered page in memory to the end (gigabytes at that scale). The hub pages (home, years, directory,
comparison, …) are few and link to many pages, so MkDocs builds them as usual. The unit pages are set aside when
the files are gathered (``set_aside``), and built after the hub pages (``build_set_aside``) with the very functions
MkDocs builds any page with — the same Markdown, the same plugin events, the same theme templates, the same context —
over the cores, each worker writing its pages and keeping nothing. The sitemap is then made again with them in it.
So the site is byte for byte what MkDocs alone makes of the same files (tests/test_unit_pages.py builds both).

The set-aside pages are "excluded" to MkDocs until then: a Markdown link to one from a hub page is still resolved
(MkDocs says so at info level only), and they are in no navigation, as before (mkdocs.yml's not_in_nav).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from jixiao.incremental import parallel_map

# What the workers read (set just before they fork, so nothing is sent to them): the pages to build and what
# MkDocs builds a page with.
_job: dict = {}


def set_aside(files: list[File]) -> list[File]:
    """Keep these pages out of MkDocs' own build (called while the files are gathered)."""
    for file in files:
        file.inclusion = InclusionLevel.EXCLUDED
    return files


def build_set_aside(
    pages: list[File], config, files: Files, nav, env, advance: Callable[[int], None] = lambda n: None
) -> None:
    """Build the set-aside pages into the site (worker processes, in order of the list), then the sitemap again
    with every page in it. Warnings the pages raise are logged here, so a strict build still stops on them."""
    if not pages:
        return
    doc_files = files.documentation_pages()
    _job.update(
        pages=pages, config=config, files=files, nav=nav, env=env, doc_files=doc_files, parent=os.getpid()
    )
    try:
        for records, error in parallel_map(_build_one, list(range(len(pages))), chunksize=_CHUNK):
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            if error:
                raise PluginError(error)
            advance(1)
    finally:
        _job.clear()
    # The sitemap lists every page of the site: made again now that the set-aside pages are part of it.
    for file in pages:
        file.inclusion = InclusionLevel.INCLUDED
        Page(None, file, config)
    if "sitemap.xml" in config.theme.static_templates:
        mkdocs_build._build_theme_template("sitemap.xml", env, files, config, nav)


# Pages handed to a worker at a time: enough that the hand-over is cheap, few enough to spread the work.
_CHUNK = 16


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _build_one(index: int) -> tuple[list[tuple[str, int, str]], str | None]:
    """Build one set-aside page; return the warnings it raised and the error that stopped it."""
    job, collect, logger = _job, _Collect(), logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers[:], logger.propagate
    if os.getpid() != job["parent"]:
        # A forked worker: what its pages log goes to the parent, which logs it once (and counts it, in strict mode).
        logger.handlers[:], logger.propagate = [collect], False
    file: File = job["pages"][index]
    try:
        page = Page(None, file, job["config"])
        mkdocs_build._populate_page(page, job["config"], job["files"])
        mkdocs_build._build_page(page, job["config"], job["doc_files"], job["nav"], job["env"])
    except Exception as err:  # noqa: BLE001 (reported in the parent, as MkDocs would)
        return collect.records, f"网页 {file.src_uri} 生成失败：{err}"
    finally:
        file.page = None  # written: nothing of it is kept
        logger.handlers[:], logger.propagate = handlers, propagate
    return collect.records, None
