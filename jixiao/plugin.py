"""The jixiao MkDocs plugin (``plugins: - jixiao``): wires MkDocs events to jixiao functions, nothing more.

- config: the packaged base configuration and theme, and site.yaml (site name, demo flag, public address);
- files: the packaged pages, and every page and file generated from the data;
- serve: the data folder is watched, so an edit rebuilds the preview;
- post_build: Pagefind indexes the built site for search (under ``mkdocs serve`` too).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, file_sort_key

from jixiao import nav_memo
from jixiao.findings import InvalidData, JixiaoError
from jixiao.fingerprint import add_fingerprinted
from jixiao.incremental import Kept, publish
from jixiao.progress import current
from jixiao.project import PAGES_DIR, THEME_DIR, add_theme, apply_base
from jixiao.reproducible import data_dates, source_date
from jixiao.search_index import PART_UNITS, SearchParts, index_for_search, unit_folder
from jixiao.site import data_date, generate, load, site_info
from jixiao.target import check_target, mark
from jixiao.timing import phase
from jixiao.unit_pages import build_set_aside, set_aside

log = logging.getLogger("mkdocs.plugins.jixiao")


# Every page's Content-Security-Policy (a <meta http-equiv>, so it holds on any static server): only the site's own
# files, no inline script or event handler, no plugins, no <base> or form posts elsewhere. Pagefind's search runs
# as WebAssembly, which needs 'wasm-unsafe-eval' (this does not allow JavaScript's eval). Material draws its icons
# as data: images (inert: an image cannot run script).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


# The 404 page answers at any depth and so reaches no file of the site: it runs nothing and styles itself inline.
NOT_FOUND_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'self'; form-action 'self'"
)


def inert_name(name: str) -> Markup:
    """The site name as Material's templates can print it anywhere. They print it unescaped in places (the header,
    an aria-label), so it is escaped once, as Markup (the places that escape it do not escape it twice); and its
    tooltip (content.tooltips) renders a title attribute as HTML, so angle brackets become full-width, as page
    titles' do (jixiao.render.env)."""
    return escape(str(name).replace("<", "＜").replace(">", "＞"))


class JixiaoConfig(Config):
    data_dir = c.Type(str, default="data")
    """The data folder, relative to mkdocs.yml: data/<year>/<unit>/ and site.yaml."""
    search_part_units = c.Type(int, default=PART_UNITS)
    """Unit pages per part of the search index: a bigger site is indexed in parts (jixiao.search_index)."""

    def validate(self):
        failed, warnings = super().validate()
        if not failed and self.search_part_units < 1:
            failed.append(
                ("search_part_units", ValidationError(f"应为正整数，实际为 {self.search_part_units}"))
            )
        return failed, warnings


class JixiaoPlugin(BasePlugin[JixiaoConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defined so that MkDocs keeps one instance for a whole `mkdocs serve` session.
        self.command = command

    def data_dir(self, config) -> Path:
        data = Path(self.config.data_dir)
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return data if data.is_absolute() else (base / data).resolve()

    def on_config(self, config):
        try:
            apply_base(config)
            add_theme(config)
            info = site_info(self.data_dir(config))
            project = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
            # `mkdocs build` empties its site_dir first: never the data folder, the project or a foreign folder.
            check_target(Path(config.site_dir), self.data_dir(config), project)
        except JixiaoError as err:
            # Sadly a plain exception here would reach the user as a traceback: PluginError prints the message.
            raise PluginError(str(err)) from None
        if info.title:
            config.site_name = info.title
        config.site_name = inert_name(config.site_name)
        config.extra["demo"] = info.demo
        # config.extra["data_date"] is set from the data when the pages are generated (on_files).
        if not config.site_url and info.url:
            config.site_url = info.url  # a --site-url given on the command line wins
        return config

    def on_env(self, env, config, files):
        # Templates name an asset by its plain path; ``| asset`` turns it into the fingerprinted one.
        assets = getattr(self, "_assets", {})
        env.filters["asset"] = lambda path: assets.get(path, path)
        env.globals["csp"] = CONTENT_SECURITY_POLICY
        env.globals["csp_not_found"] = NOT_FOUND_POLICY
        # The search page merges the index's other parts, if any (search.js).
        env.globals["search_parts"] = self._parts.folders() if getattr(self, "_parts", None) else []
        # The sidebars of pages outside the navigation, and every page's header and configuration script, rendered
        # once per build for all the pages they come out the same for (jixiao/nav_memo.py, main.html).
        if nav_memo.usable(config):
            env.globals.update(
                site_nav_memo={},
                shared_block=nav_memo.shared_block,
                site_nav_key=nav_memo.site_nav_key,
                shared_header=nav_memo.shared_header,
                config_key=nav_memo.config_key,
            )
        self._env = env
        return env

    def on_nav(self, nav, config, files):
        self._nav = nav
        return nav

    def on_page_context(self, context, page, config, nav):
        self._nav = nav  # the navigation as every plugin left it: the unit pages are built with it too
        return context

    def on_files(self, files: Files, config) -> Files:
        written: dict[str, File] = {}

        def write(path: str, content: str | bytes | Path) -> None:
            # A file of the build cache is linked into the site (jixiao.incremental); another file is copied.
            if isinstance(content, Kept):
                written[path] = _KeptFile.generated(config, path, abs_src_path=str(content))
            elif isinstance(content, Path):  # published from where it lies, never held in memory
                written[path] = File.generated(config, path, abs_src_path=str(content))
            else:
                written[path] = File.generated(config, path, content=content)

        def append(path: str, content: str) -> None:
            # The project's own page of that name if it has one, else the packaged one.
            own = files.get_file_from_path(path)
            base = own.content_string if own else (PAGES_DIR / path).read_text(encoding="utf-8")
            write(path, base.rstrip("\n") + "\n\n" + content)

        try:
            self._date_from_data(config)
            units = generate(self.data_dir(config), write, append, config.site_url)
            loaded = load(self.data_dir(config))
            config.extra["data_date"] = data_date(item.evaluation for item in loaded)
        except InvalidData as err:
            raise PluginError(f"数据有误，共 {len(err.findings)} 处：\n{err}") from None
        for page in sorted(PAGES_DIR.rglob("*.md")):
            path = page.relative_to(PAGES_DIR).as_posix()
            if path not in written and files.get_file_from_path(path) is None:
                written[path] = File.generated(config, path, abs_src_path=str(page))
        for path, file in written.items():
            own = files.get_file_from_path(path)
            if own is not None:
                if _projects(own) and path not in EXTENDED:
                    log.warning("%s 与 jixiao 生成的页面同名：以生成的为准，请改名", own.src_uri)
                files.remove(own)
            files.append(file)
        self._assets = add_fingerprinted(files, config, str(THEME_DIR))
        # Every page in a unit's folder (its page, its 公示卡) is built apart, over the cores (jixiao.unit_pages).
        slugs = frozenset(f"{item.evaluation.slug}/" for item in loaded)
        self._slugs, self._parts = slugs, SearchParts.for_units(len(slugs), self.config.search_part_units)
        self._apart = set_aside(
            [f for p, f in written.items() if f.is_documentation_page() and unit_folder(p, slugs)]
            if UNITS_APART
            else []
        )
        # In MkDocs' own order, so the site (its sitemap) is the same whether the pages came from docs/ or not.
        files = Files(sorted(files, key=file_sort_key))
        self._files, self._pid = files, os.getpid()
        log.info("jixiao：%d 个单位，生成 %d 个文件", units, len(written))
        self._rendering = current().phase(
            "生成网页", len(files.documentation_pages()) + len(self._apart), "个页面"
        )
        return files

    def _date_from_data(self, config) -> None:
        """MkDocs dates the sitemap from SOURCE_DATE_EPOCH, else the clock: unless set, the data's date, for this
        build only, so the same data always gives the same site (`mkdocs build` and `jixiao build` alike)."""
        self._set_date = "SOURCE_DATE_EPOCH" not in os.environ
        if self._set_date:
            dates = data_dates(item.evaluation for item in load(self.data_dir(config)))
            os.environ["SOURCE_DATE_EPOCH"] = str(int(source_date(dates).timestamp()))

    def _restore_date(self) -> None:
        if getattr(self, "_set_date", False):
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_date = False

    def on_post_page(self, output: str, page, config) -> str:
        if os.getpid() == self._pid:  # the unit pages' workers report through the parent (jixiao.unit_pages)
            self._rendering.advance()
        return output

    def on_post_build(self, config) -> None:
        with phase("unit pages"):
            build_set_aside(
                self._apart, config, self._files, self._nav, self._env, advance=self._rendering.advance
            )
        self._restore_date()
        self._rendering.close()
        mark(Path(config.site_dir))  # a site jixiao built: the next build may replace it (jixiao.target)
        if INDEX_LATER is not None:  # `jixiao build` indexes the site once MkDocs is done (jixiao.build)
            INDEX_LATER.append((self._parts, self._slugs))
            return
        try:
            index_site(Path(config.site_dir), self._parts, self._slugs)
        except JixiaoError as err:
            raise PluginError(str(err)) from None

    def on_build_error(self, error: Exception) -> None:
        self._restore_date()
        if getattr(self, "_rendering", None) is not None:
            self._rendering.close()

    def on_serve(self, server, config, builder):
        server.watch(str(self.data_dir(config)))
        return server


class _KeptFile(File):
    """A generated file that lies in the build cache: published by hard link rather than copied (MkDocs copies a
    file with a source path), so a rebuild of 20,000 units copies no unchanged unit's files, and deleting the
    previous site frees no blocks. A page is rendered from its source as any other."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        publish(Path(self.abs_src_path or ""), self.abs_dest_path)


# Set by `jixiao build` to a list: the search index is then made after MkDocs' build, from what the plugin leaves
# here (the index's parts and the unit folders), rather than in post_build.
INDEX_LATER: list | None = None


def index_site(site: Path, parts: SearchParts, units: frozenset[str]) -> None:
    with phase("pagefind"), current().phase("搜索索引", unit="个页面") as step:
        step.done(index_for_search(site, parts, units))


# Unit pages are built apart from MkDocs' own loop (tests switch this off to compare with MkDocs alone).
UNITS_APART = True


# Hand-written pages that the build extends (the rules catalogue is appended to 说明), rather than replaces.
EXTENDED = {"about/index.md"}


def _projects(file: File) -> bool:
    """Whether a file comes from the project's own docs folder (not from the package)."""
    return bool(file.abs_src_path) and not Path(file.abs_src_path).is_relative_to(PAGES_DIR)
