"""MkDocs hooks: wire MkDocs events to jixiao functions, nothing more."""

from jixiao import search


def on_startup(command, dirty):
    search.install()


def on_config(config):
    # on_startup does not run when MkDocs is driven from Python (jixiao build): install here too.
    search.install()
    return config
