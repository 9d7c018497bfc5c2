"""Asset names that carry their content's hash (``charts.3f2a9c1b.js``), so a portal can cache them for a year.

The site's own scripts and styles are published a second time under a name made from their content; the pages
and the configuration refer to those names, so a changed file gets a new name and no reader keeps a stale copy.
The plain names stay too, for anything that still asks for them (a project's own template, an old bookmark).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from mkdocs.structure.files import File, Files

SUFFIXES = (".js", ".css")


def fingerprinted(path: str, content: bytes) -> str:
    """``assets/js/charts.js`` -> ``assets/js/charts.<first 8 hex digits of the SHA-256>.js``."""
    name = PurePosixPath(path)
    return str(name.with_name(f"{name.stem}.{hashlib.sha256(content).hexdigest()[:8]}{name.suffix}"))


def add_fingerprinted(files: Files, config, under: str) -> dict[str, str]:
    """Publish each script and style sheet whose source lies ``under`` a folder also under its fingerprinted
    name; point the configuration's extra_css and extra_javascript there. Returns plain path -> new path."""
    names: dict[str, str] = {}
    for file in list(files):
        source = file.abs_src_path or ""
        if (
            file.src_uri.startswith("assets/")
            and file.src_uri.endswith(SUFFIXES)
            and source.startswith(under)
        ):
            content = file.content_bytes
            names[file.src_uri] = fingerprinted(file.src_uri, content)
            files.append(File.generated(config, names[file.src_uri], content=content))
    config.extra_css = [names.get(path, path) for path in config.extra_css]
    for script in config.extra_javascript:
        if isinstance(script, str):
            continue
        script.path = names.get(script.path, script.path)
    config.extra_javascript = [names.get(s, s) if isinstance(s, str) else s for s in config.extra_javascript]
    return names
