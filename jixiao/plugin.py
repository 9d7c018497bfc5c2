"""The jixiao MkDocs plugin (``plugins: - jixiao``): wires MkDocs events to jixiao functions, nothing more.

- config: the packaged base configuration and theme, and site.yaml (site name, demo flag, public address);
- files: the packaged pages, and every page and file generated from the data;
- serve: the data folder is watched, so an edit rebuilds the preview;
- post_build: Pagefind indexes the built site for search (under ``mkdocs serve`` too).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, file_sort_key

from jixiao.findings import InvalidData, JixiaoError
from jixiao.progress import current
from jixiao.project import PAGES_DIR, add_theme, apply_base
from jixiao.search_index import index_for_search
from jixiao.site import data_date, generate, site_info

log = logging.getLogger("mkdocs.plugins.jixiao")


class JixiaoConfig(Config):
    data_dir = c.Type(str, default="data")
    """The data folder, relative to mkdocs.yml: data/<year>/<unit>/ and site.yaml."""


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
        except JixiaoError as err:
            # Sadly a plain exception here would reach the user as a traceback: PluginError prints the message.
            raise PluginError(str(err)) from None
        if info.title:
            config.site_name = info.title
        config.extra["demo"] = info.demo
        config.extra["data_date"] = data_date()
        if not config.site_url and info.url:
            config.site_url = info.url  # a --site-url given on the command line wins
        return config

    def on_files(self, files: Files, config) -> Files:
        written: dict[str, File] = {}

        def write(path: str, content: str | bytes) -> None:
            written[path] = File.generated(config, path, content=content)

        def append(path: str, content: str) -> None:
            # The project's own page of that name if it has one, else the packaged one.
            own = files.get_file_from_path(path)
            base = own.content_string if own else (PAGES_DIR / path).read_text(encoding="utf-8")
            write(path, base.rstrip("\n") + "\n\n" + content)

        try:
            units = generate(self.data_dir(config), write, append, config.site_url)
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
        # In MkDocs' own order, so the site (its sitemap) is the same whether the pages came from docs/ or not.
        files = Files(sorted(files, key=file_sort_key))
        log.info("jixiao：%d 个单位，生成 %d 个文件", units, len(written))
        self._rendering = current().phase("生成网页", len(files.documentation_pages()), "个页面")
        return files

    def on_post_page(self, output: str, page, config) -> str:
        self._rendering.advance()
        return output

    def on_post_build(self, config) -> None:
        self._rendering.close()
        with current().phase("搜索索引", unit="个页面") as step:
            try:
                step.done(index_for_search(Path(config.site_dir)))
            except JixiaoError as err:
                raise PluginError(str(err)) from None

    def on_build_error(self, error: Exception) -> None:
        if getattr(self, "_rendering", None) is not None:
            self._rendering.close()

    def on_serve(self, server, config, builder):
        server.watch(str(self.data_dir(config)))
        return server


# Hand-written pages that the build extends (the rules catalogue is appended to 说明), rather than replaces.
EXTENDED = {"about/index.md"}


def _projects(file: File) -> bool:
    """Whether a file comes from the project's own docs folder (not from the package)."""
    return bool(file.abs_src_path) and not Path(file.abs_src_path).is_relative_to(PAGES_DIR)
