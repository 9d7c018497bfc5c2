"""mkdocs-gen-files entry point: every generated page comes from jixiao.site."""

import logging

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

from jixiao.findings import InvalidData
from jixiao.site import data_dir_from_env, generate

log = logging.getLogger("mkdocs.plugins.jixiao")


def _write(path: str, content: str | bytes) -> None:
    if isinstance(content, bytes):
        with mkdocs_gen_files.open(path, "wb") as f:
            f.write(content)
    else:
        with mkdocs_gen_files.open(path, "w", encoding="utf-8") as f:
            f.write(content)


def _append(path: str, content: str) -> None:
    with mkdocs_gen_files.open(path, "a", encoding="utf-8") as f:
        f.write(content)


try:
    log.info(
        "jixiao: generated pages for %d units",
        generate(data_dir_from_env(), _write, _append, mkdocs_gen_files.config.site_url),
    )
except InvalidData as err:
    # Sadly a plain exception here would reach the user as a traceback: PluginError prints just the message.
    raise PluginError(f"数据有误，共 {len(err.findings)} 处：\n{err}") from None
