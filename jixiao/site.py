"""Orchestration: data directory in, every generated page and file out.

Called from the mkdocs-gen-files script (scripts/gen_pages.py). ``jixiao build`` loads and validates first,
then runs MkDocs in the same process, so the loaded evaluations are kept here rather than read twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from jixiao.checks import check_loaded
from jixiao.findings import InvalidData
from jixiao.load import Loaded, load_all
from jixiao.render.data_format import render_data_format_page
from jixiao.render.downloads import unit_downloads
from jixiao.render.findings import render_checks_page, render_rules_section, view
from jixiao.render.home_page import render_home_page
from jixiao.render.unit_page import FIGURES_FILE, FILES_DIR, render_unit_figures, render_unit_page

DATA_ENV = "JIXIAO_DATA"
_loaded: dict[Path, list[Loaded]] = {}

Writer = Callable[[str, str | bytes], None]


def data_dir_from_env() -> Path:
    return Path(os.environ.get(DATA_ENV, "data")).resolve()


def load(data_dir: Path) -> list[Loaded]:
    """Load and check (once per process) every evaluation under ``data_dir``.

    Raises InvalidData with every loading problem, or else with every error the checks found (personal data, a
    score above its maximum): those block publishing. Warnings and info stay with each unit, to be published.
    """
    key = Path(data_dir).resolve()
    if key not in _loaded:
        loaded = load_all(key)
        for item in loaded:
            item.findings = check_loaded(item)
        errors = [f for item in loaded for f in item.findings if f.severity == "error"]
        if errors:
            raise InvalidData(errors)
        _loaded[key] = loaded
    return _loaded[key]


def generate(data_dir: Path, write: Writer, append: Writer) -> int:
    """Write every generated page and file through ``write(path, content)`` (``append`` adds to a hand-written
    page); return the number of units."""
    # Load inputs.
    loaded = load(data_dir)
    evaluations = [item.evaluation for item in loaded]

    # Render and save outputs.
    write("index.md", render_home_page(evaluations))
    write("data-format.md", render_data_format_page())
    write(
        "checks.md",
        render_checks_page(
            [(i.evaluation, f"../{i.evaluation.slug}/", i.findings, i.folder) for i in loaded]
        ),
    )
    append("about.md", render_rules_section())
    for item in loaded:
        ev = item.evaluation
        write(f"{ev.slug}/index.md", render_unit_page(ev, [view(f, item.folder) for f in item.findings]))
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
