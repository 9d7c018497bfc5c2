"""Unit pages built by MkDocs' own page builder, in worker processes, after the hub pages.

A province is 20,000 unit-years, each a page and a 公示卡: MkDocs builds its pages one after another in one process
and keeps every rendered page in memory to the end (gigabytes at that scale). The hub pages (home, years, directory,
comparison, …) are few and link to many pages, so MkDocs builds them as usual. The unit pages are set aside when
the files are gathered (``set_aside``), and built after the hub pages (``build_set_aside``) with the very functions
MkDocs builds any page with — the same Markdown, the same plugin events, the same theme templates, the same context —
over the cores, each worker writing its pages and keeping nothing. The sitemap is then made again with them in it.
So the site is byte for byte what MkDocs alone makes of the same files (tests/test_unit_pages.py builds both).

A page built is kept in the build cache (with the warnings it raised, logged again when it is reused) under a key
made of its Markdown and everything else its HTML is made from: the configuration, the navigation, the theme's
templates (a project's own overrides byte for byte), the fingerprinted assets' names, the build date, jixiao's and
MkDocs' code. Correcting one unit of 20,000 then builds that unit's pages again and links the others' into the
site (the cache's files, jixiao.incremental.publish; copied where links cannot be made). (A project
plugin with side effects per page would not see the reused pages: none of jixiao's has any.)

The set-aside pages are "excluded" to MkDocs until then: a Markdown link to one from a hub page is still resolved
(MkDocs says so at info level only), and they are in no navigation, as before (mkdocs.yml's not_in_nav).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import markdown
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme

from jixiao.incremental import cached_files, code_version, key_of, parallel_map, publish, read
from jixiao.project import packaged_theme

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
        pages=pages,
        config=config,
        files=files,
        nav=nav,
        env=env,
        doc_files=doc_files,
        parent=os.getpid(),
        site=_site_key(config, nav, doc_files),
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
    """Build one set-aside page, or reuse it; return the warnings still to log and the error that stopped it."""
    job, collect, logger = _job, _Collect(), logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers[:], logger.propagate
    in_worker = os.getpid() != job["parent"]
    # What building the page logs is collected, to keep with it. A forked worker logs nothing itself: the parent
    # logs it once (and counts it, in strict mode).
    logger.handlers[:], logger.propagate = (
        ([collect], False) if in_worker else ([*handlers, collect], propagate)
    )
    file: File = job["pages"][index]
    built = False

    def build() -> dict[str, str | bytes | Path]:
        nonlocal built
        built = True
        # A page of an earlier build at this place (a --dirty build, `mkdocs serve`) may be a link of a kept page:
        # removed, never written through.
        dest.unlink(missing_ok=True)
        page = _Page(None, file, job["config"])
        mkdocs_build._populate_page(page, job["config"], job["files"])
        mkdocs_build._build_page(page, job["config"], job["doc_files"], job["nav"], job["env"])
        # The page as MkDocs wrote it is kept (linked into the cache), with the warnings it raised, if any.
        warned = {_WARNINGS: json.dumps(collect.records, ensure_ascii=False)} if collect.records else {}
        return {_HTML: dest, **warned}

    dest = Path(file.abs_dest_path)
    try:
        key = key_of("unit-html", job["site"], file.src_uri, file.content_bytes)
        kept = cached_files(key, build)
        records = [tuple(record) for record in json.loads(read(kept.get(_WARNINGS, "[]")))]
        if not built:  # reused: linked (or copied) into the site, and what building it raised is logged again
            dest.parent.mkdir(parents=True, exist_ok=True)
            publish(Path(kept[_HTML]), dest)
    except Exception as err:  # noqa: BLE001 (reported in the parent, as MkDocs would)
        return (collect.records if in_worker else []), f"网页 {file.src_uri} 生成失败：{err}"
    finally:
        file.page = None  # written: nothing of it is kept
        logger.handlers[:], logger.propagate = handlers, propagate
    return (records if in_worker or not built else []), None


# A built page's entry in the cache: its HTML, and the warnings building it raised (only if it raised any).
_HTML, _WARNINGS = "index.html", "warnings.json"


class _Page(Page):
    """A page rendered as ``Page.render`` renders it, line for line, with one Markdown instance per process.

    MkDocs makes a new ``markdown.Markdown`` for every page: building it (every extension registered, every pattern
    made) cost as much as a fifth of converting a unit page. Python-Markdown's own way to convert many documents is
    one instance, ``reset()`` between them, which hands every extension its ``reset`` (the table of contents, the
    HTML stash, the references). MkDocs' four per-page processors are made anew for each page and registered under
    their names, which replaces the previous page's. An extension outside Python-Markdown's own and jixiao's may
    keep state across documents that ``reset()`` does not clear: with one of them, every page gets a new instance,
    as in MkDocs. A conversion that fails drops the instance."""

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = _markdown(config)
        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        try:
            self.content = md.convert(self.markdown)
        except BaseException:
            _job.pop("markdown", None)
            raise
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors


def _markdown(config) -> markdown.Markdown:
    """This process's Markdown instance for this build, reset; a new one if the extensions may not allow it."""
    md = _job.get("markdown")
    if md is not None:
        return md.reset()
    md = markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
    )
    if all(type(ext).__module__.startswith(_RESETTABLE) for ext in md.registeredExtensions):
        _job["markdown"] = md
    return md


# Extensions whose state across documents ``Markdown.reset()`` clears (those of Python-Markdown and jixiao).
_RESETTABLE = ("markdown.extensions.", "jixiao.")


# Configuration that does not shape a page's HTML (folders of this build, the server, the strictness).
_NOT_IN_PAGES = {
    "config_file_path",
    "site_dir",
    "docs_dir",
    "dev_addr",
    "strict",
    "watch",
    "plugins",
    "validation",
}


def _site_key(config, nav, doc_files) -> str:
    """A digest of everything other than its own Markdown that a set-aside page's HTML is made from."""
    # jixiao's code, and MkDocs', Material's and Markdown's versions
    digest = hashlib.sha256(code_version().encode())
    digest.update(_stable([(k, config[k]) for k in sorted(config) if k not in _NOT_IN_PAGES]).encode())
    digest.update(_stable({name: dict(plugin.config) for name, plugin in config.plugins.items()}).encode())
    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    digest.update(repr(_outline(nav.items)).encode() + repr([f.src_uri for f in doc_files]).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for folder in config.theme.dirs:
        # A project's own templates byte for byte; the packaged themes' are in code_version().
        if not packaged_theme(Path(folder)):
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _stable(value) -> str:
    """``repr`` that is the same in every process: sets in order (their order follows the hash seed), and the
    theme by its fields (its repr prints a set)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable(k)}: {_stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    if isinstance(value, Theme):
        return f"Theme({_stable(vars(value))})"
    return repr(value)


def _outline(items) -> list:
    """The navigation as its titles, addresses and sections."""
    return [
        (
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            _outline(getattr(item, "children", None) or []),
        )
        for item in items
    ]
