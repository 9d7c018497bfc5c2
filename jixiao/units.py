"""Every unit's generated files (page, figures, summary, downloads) and its piece of the site's dataset (see
jixiao.render.open_data), made in worker processes and kept by content.

A unit's files depend on its evaluation, its findings, and the summaries of its peers and of its other years; the
cache key is made of exactly those (and jixiao's own source, see ``incremental``), so correcting one unit remakes
that unit's files and those of the few pages that show it, and reuses every other unit's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jixiao.collection import UnitSummary
from jixiao.incremental import cached_files, key_of, parallel_map
from jixiao.model import Evaluation
from jixiao.render.card import CARD_DIR, QR_FILE, render_card
from jixiao.render.downloads import UnitTables, unit_downloads
from jixiao.render.findings import FindingView
from jixiao.render.open_data import unit_piece
from jixiao.render.unit_page import FIGURES_FILE, render_unit_figures, render_unit_page, unit_charts_of


@dataclass(frozen=True)
class UnitInputs:
    evaluation: Evaluation
    findings: list[FindingView]
    summary: UnitSummary
    peers: list[UnitSummary]
    history: list[UnitSummary]
    site_url: str | None = None
    date: str = ""

    def key(self) -> str:
        return key_of(
            "unit-files",
            self.evaluation.model_dump_json(),
            # Dataclass reprs: every field, in a fixed order.
            repr(self.findings),
            repr(self.summary),
            repr(self.peers),
            repr(self.history),
            # The downloads' dates (XLSX entries and properties) follow it: see jixiao.reproducible.
            os.environ.get("SOURCE_DATE_EPOCH", ""),
        )


# Set by ``files_per_unit`` just before the workers fork, so they read the inputs instead of receiving them.
_inputs: list[UnitInputs] = []


# The piece's name among the unit's kept files: not a path in the site (those are all in the unit's folder).
PIECE = ":open-data-piece"


def files_per_unit(inputs: list[UnitInputs]) -> Iterator[tuple[dict[str, str | bytes | Path], bytes | Path]]:
    """Per unit, in order: its files (path in the site -> content, or the cached file that holds it), and its
    piece of the site's dataset (``unit_piece``), or the cached file that holds it."""
    _inputs[:] = inputs
    try:
        yield from parallel_map(_files_at, list(range(len(inputs))))
    finally:
        _inputs.clear()


def _files_at(index: int) -> tuple[dict[str, str | bytes | Path], bytes | Path]:
    unit = _inputs[index]
    key = unit.key()
    files = cached_files(key, lambda: _render(unit))
    piece = files.pop(PIECE)
    # The 公示卡 carries the data's date and the public address: kept apart, so a new day remakes only the cards.
    card_key = key_of("unit-card", key, unit.site_url or "", unit.date)
    return {**files, **cached_files(card_key, lambda: _render_card(unit))}, piece


def _render_card(unit: UnitInputs) -> dict[str, str | bytes]:
    slug = unit.evaluation.slug
    card, qr = render_card(unit.evaluation, unit.findings, unit.site_url, unit.date)
    return {f"{slug}/{CARD_DIR}/index.md": card, **({f"{slug}/{CARD_DIR}/{QR_FILE}": qr} if qr else {})}


def _render(unit: UnitInputs) -> dict[str, str | bytes]:
    ev, slug = unit.evaluation, unit.evaluation.slug
    charts = unit_charts_of(ev, unit.history)
    files: dict[str, str | bytes] = {
        f"{slug}/index.md": render_unit_page(ev, unit.findings, unit.peers, unit.history, charts),
        f"{slug}/{FIGURES_FILE}": render_unit_figures(ev, unit.history, charts),
        f"{slug}/summary.json": json.dumps(unit.summary.as_json(), ensure_ascii=False, separators=(",", ":")),
    }
    tables = UnitTables.of(ev)  # rows, worksheet rows and JSON shared by its downloads and its piece
    files.update({f"{slug}/{name}": content for name, content in unit_downloads(ev, tables).items()})
    files[PIECE] = unit_piece(ev, unit.findings, tables)
    return files
