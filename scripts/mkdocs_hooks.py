"""MkDocs hooks: wire MkDocs events to jixiao functions, nothing more."""

from jixiao import search
from jixiao.site import data_dir_from_env, site_info


def on_startup(command, dirty):
    search.install()


def on_config(config):
    # on_startup does not run when MkDocs is driven from Python (jixiao build): install here too.
    search.install()
    info = site_info(data_dir_from_env())
    if info.title:
        config.site_name = info.title
    config.extra["demo"] = info.demo
    return config
