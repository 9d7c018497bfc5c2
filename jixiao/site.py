"""Orchestration: data directory in, every generated page and file out.

Called from the mkdocs-gen-files script (scripts/gen_pages.py). ``jixiao build`` loads and validates first,
then runs MkDocs in the same process, so the loaded evaluations are kept here rather than read twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from jixiao.load import Loaded, load_all
from jixiao.render.data_format import render_data_format_page
from jixiao.render.downloads import unit_downloads
from jixiao.render.home_page import render_home_page
from jixiao.render.unit_page import FIGURES_FILE, FILES_DIR, render_unit_figures, render_unit_page

DATA_ENV = "JIXIAO_DATA"
_loaded: dict[Path, list[Loaded]] = {}

Writer = Callable[[str, str | bytes], None]


def data_dir_from_env() -> Path:
    return Path(os.environ.get(DATA_ENV, "data")).resolve()


def load(data_dir: Path) -> list[Loaded]:
    """Load (once per process) every evaluation under ``data_dir``; raises InvalidData."""
    key = Path(data_dir).resolve()
    if key not in _loaded:
        _loaded[key] = load_all(key)
    return _loaded[key]


def generate(data_dir: Path, write: Writer) -> int:
    """Write every generated page and file through ``write(path, content)``; return the number of units."""
    # Load inputs.
    loaded = load(data_dir)
    evaluations = [item.evaluation for item in loaded]

    # Render and save outputs.
    write("index.md", render_home_page(evaluations))
    write("data-format.md", render_data_format_page())
    for ev in evaluations:
        write(f"{ev.slug}/index.md", render_unit_page(ev))
        write(f"{ev.slug}/{FIGURES_FILE}", render_unit_figures(ev))
        for name, content in unit_downloads(ev).items():
            write(f"{ev.slug}/{name}", content)
    for item in loaded:
        # The original files, byte for byte, beside the page that was made from them.
        for source in item.evaluation.sources:
            original = item.folder / source.file
            if source.sha256 and original.is_file():
                write(f"{item.evaluation.slug}/{FILES_DIR}/{source.file}", original.read_bytes())
    return len(evaluations)
