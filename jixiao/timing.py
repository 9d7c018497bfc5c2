"""Wall time per build phase (load, checks, pages, downloads, MkDocs, Pagefind), for the scale benchmark.

Phases nest: time spent in an inner phase counts for it alone, not for the phase around it (page generation runs
inside MkDocs' build, and MkDocs' own share is what is left).
"""

from __future__ import annotations

import resource
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = defaultdict(float)
# CPU seconds per phase, of this process and the workers it waited for
_cpu: dict[str, float] = defaultdict(float)
# Per open phase: [started, time in inner phases, CPU at start, CPU in inner phases]
_stack: list[list[float]] = []
# Each phase's start and end on the wall clock (time.time), innermost first when they nest: the scale benchmark
# lays its memory samples over them to say which phase needed the most.
_spans: list[tuple[str, float, float]] = []


@contextmanager
def phase(name: str) -> Iterator[None]:
    started, wall = time.perf_counter(), time.time()
    _stack.append([started, 0.0, _cpu_now(), 0.0])
    try:
        yield
    finally:
        _, inner, cpu_started, inner_cpu = _stack.pop()
        elapsed, cpu = time.perf_counter() - started, _cpu_now() - cpu_started
        _totals[name] += elapsed - inner
        _cpu[name] += cpu - inner_cpu
        _spans.append((name, wall, time.time()))
        if _stack:
            _stack[-1][1] += elapsed
            _stack[-1][3] += cpu


def _cpu_now() -> float:
    """CPU seconds of this process and of the processes it has waited for (workers, Pagefind)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def phases() -> dict[str, float]:
    """Seconds per phase since the last reset."""
    return dict(_totals)


def cpu_phases() -> dict[str, float]:
    """CPU seconds per phase since the last reset (the build's processes together: above the wall time when the
    cores share the work)."""
    return dict(_cpu)


def spans() -> list[tuple[str, float, float]]:
    """(phase, start, end) on the wall clock since the last reset, inner phases before the phase around them."""
    return list(_spans)


def absorb(totals: dict[str, float], cpu: dict[str, float], spans: list) -> None:
    """Add the phases another process timed (a build's child process, jixiao.build)."""
    for name, seconds in totals.items():
        _totals[name] += seconds
    for name, seconds in cpu.items():
        _cpu[name] += seconds
    _spans.extend(tuple(span) for span in spans)


def reset() -> None:
    _totals.clear()
    _cpu.clear()
    _spans.clear()
