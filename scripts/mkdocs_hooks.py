"""MkDocs hooks: wire MkDocs events to jixiao functions, nothing more."""

from jixiao.site import data_date, data_dir_from_env, site_info


def on_config(config):
    info = site_info(data_dir_from_env())
    if info.title:
        config.site_name = info.title
    config.extra["demo"] = info.demo
    config.extra["data_date"] = data_date()
    return config
