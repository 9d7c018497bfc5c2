"""Wall time per build phase (load, checks, pages, downloads, MkDocs, Pagefind), for the scale benchmark.

Phases nest: time spent in an inner phase counts for it alone, not for the phase around it (page generation runs
inside MkDocs' build, and MkDocs' own share is what is left).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = defaultdict(float)
_stack: list[list[float]] = []  # per open phase: [started, time spent in inner phases]


@contextmanager
def phase(name: str) -> Iterator[None]:
    started = time.perf_counter()
    _stack.append([started, 0.0])
    try:
        yield
    finally:
        _, inner = _stack.pop()
        elapsed = time.perf_counter() - started
        _totals[name] += elapsed - inner
        if _stack:
            _stack[-1][1] += elapsed


def phases() -> dict[str, float]:
    """Seconds per phase since the last reset."""
    return dict(_totals)


def reset() -> None:
    _totals.clear()
