"""A site project: a folder with data/ (and site.yaml in it), optionally its own mkdocs.yml and docs/.

Everything else a site needs ships inside the package: the base MkDocs configuration (``jixiao/mkdocs.yml``),
the Material theme overrides and assets (``jixiao/theme``) and the hand-written pages (``jixiao/pages``). The
plugin applies the base to a project's own mkdocs.yml; a project without one is built with the base as it stands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.base import get_schema
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from jixiao.findings import JixiaoError

PACKAGE = Path(__file__).resolve().parent
BASE_CONFIG = PACKAGE / "mkdocs.yml"
THEME_DIR = PACKAGE / "theme"
PAGES_DIR = PACKAGE / "pages"
CONFIG_FILE = "mkdocs.yml"
PLUGIN = "jixiao"
# Lists the base and a project both contribute to: the base's entries first, then the project's own.
MERGED = ("markdown_extensions", "extra_css", "extra_javascript")
# Keys of the base that describe the base file itself, never applied to a project.
NOT_APPLIED = {"site_name", "plugins"}


class ConfigError(JixiaoError):
    """The project's mkdocs.yml cannot be used with jixiao."""


def read_raw(config_file: Path) -> dict[str, Any]:
    """A MkDocs config file as written (with INHERIT and !ENV resolved, as MkDocs reads it), before validation."""
    with open(config_file, encoding="utf-8") as f:
        return yaml_load(f) or {}


def apply_base(config: MkDocsConfig) -> None:
    """Give ``config`` every base setting its own file does not make, validated as MkDocs validates it."""
    path = config.config_file_path
    if not path or not os.path.isfile(path) or Path(path).resolve() == BASE_CONFIG:
        return  # built with the base itself
    own, base = read_raw(Path(path)), read_raw(BASE_CONFIG)
    schema = dict(get_schema(MkDocsConfig))
    for key, value in base.items():
        if key in NOT_APPLIED or (key in own and key not in MERGED):
            continue
        if key in own:
            value = _merge(value, own[key])
        option = schema[key]
        option.pre_validation(config, key)
        config[key] = option.validate(value)
        option.post_validation(config, key)


def _merge(base: list, own: list) -> list:
    """The base's entries, then the project's; an entry the project names too is the project's."""

    def name(entry: Any) -> str:
        return next(iter(entry)) if isinstance(entry, dict) else str(entry)

    own_names = {name(e) for e in own or []}
    return [e for e in base if name(e) not in own_names] + list(own or [])


def add_theme(config: MkDocsConfig) -> None:
    """The packaged templates and assets go right before Material's, after the project's custom_dir if any."""
    if config.theme.name != "material":
        raise ConfigError(
            f"jixiao 的页面模板基于 Material 主题：mkdocs.yml 的 theme.name 应为 material，实际为 {config.theme.name}"
        )
    theme_dir = str(THEME_DIR)
    if theme_dir not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)


def find_config(project: Path, config_file: Path | None = None) -> Path:
    """The file MkDocs reads: the one given, the project's mkdocs.yml, or else the packaged base config."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"{config_file}: 找不到 MkDocs 配置文件")
        return config_file
    own = project / CONFIG_FILE
    return own if own.is_file() else BASE_CONFIG


def mkdocs_options(
    project: Path, data_dir: Path | None, config_file: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """(the config file MkDocs reads, the options that complete it) for a site project, its jixiao plugin
    reading ``data_dir`` (default: the plugin's own setting, ``data`` beside the project's mkdocs.yml)."""
    project = Path(project)
    read = find_config(project, config_file)
    options: dict[str, Any] = {}
    if read == BASE_CONFIG:
        # The base file lives in the package: every path it would resolve must be the project's.
        docs = project / "docs"
        options["docs_dir"] = str((docs if docs.is_dir() else PAGES_DIR).resolve())
        data_dir = data_dir or project / "data"
    plugins = _plugins(read)
    if data_dir is not None:
        options["plugins"] = _with_data(plugins, Path(data_dir).resolve())
    return read, options


def load_mkdocs_config(
    project: Path, data_dir: Path | None, site_dir: Path, config_file: Path | None = None, **overrides: Any
) -> MkDocsConfig:
    """The MkDocs configuration of a site project, built into ``site_dir``."""
    from mkdocs.config import load_config

    read, options = mkdocs_options(project, data_dir, config_file)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return load_config(str(read), site_dir=str(site_dir), **options, **overrides)


def _plugins(config_file: Path) -> dict[str, dict]:
    """The file's plugins as a mapping of name to options (MkDocs accepts both forms; it empties the entries of
    the list form as it reads them, so a list could not be handed to it again on each `serve` rebuild)."""
    plugins = read_raw(config_file).get("plugins") or []
    if isinstance(plugins, list):
        plugins = dict(
            (entry, {}) if isinstance(entry, str) else next(iter(entry.items())) for entry in plugins
        )
    if PLUGIN not in plugins:
        raise ConfigError(f"{config_file}: plugins 中没有 jixiao（应写 plugins: [jixiao]）")
    return {name: dict(options or {}) for name, options in plugins.items()}


def _with_data(plugins: dict[str, dict], data_dir: Path) -> dict[str, dict]:
    """The plugins with the jixiao plugin's ``data_dir`` set: how the command line's --data reaches it."""
    return {**plugins, PLUGIN: {**plugins[PLUGIN], "data_dir": str(data_dir)}}


def packaged_theme(folder: Path) -> bool:
    """Whether a theme folder is Material's or jixiao's own (a project's own templates are anything else)."""
    import material

    import jixiao

    return any(folder.resolve().is_relative_to(Path(m.__file__).parent.resolve()) for m in (material, jixiao))
