"""Progress of long work, on stderr: a bar per phase on a terminal, one plain line per phase otherwise.

The command line picks the mode (``-q`` turns it off); the stages report through ``current()`` so they need not
know who is watching. Under a plain ``mkdocs build`` nobody set a mode and nothing is shown here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

OFF, LINES, BAR = "off", "lines", "bar"


class Phase:
    """One phase of the work: advanced once per item, closed with a note of what it did."""

    def __init__(self, mode: str, label: str, total: int | None, unit: str):
        self.mode, self.label, self.total, self.unit = mode, label, total, unit
        self.count, self.note = 0, ""
        self.started = time.perf_counter()
        self._bar, self.closed = None, False
        if mode == BAR:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=label, unit=unit, file=sys.stderr, leave=True, dynamic_ncols=True
            )

    def done(self, count: int) -> None:
        """For work counted only at its end (Pagefind says how many pages it indexed)."""
        self.advance(count - self.count)

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self._bar is not None:
            self._bar.update(n)

    def __enter__(self) -> Phase:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None and not self.note:
            self.note = "未完成"
        self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        seconds = time.perf_counter() - self.started
        if self._bar is not None:
            if self.note:
                self._bar.set_postfix_str(self.note, refresh=False)
            self._bar.close()
        elif self.mode == LINES:
            done = self.total if self.total is not None else self.count
            note = f"，{self.note}" if self.note else ""
            print(f"{self.label}：{done} {self.unit}{note}（{seconds:.1f} 秒）", file=sys.stderr, flush=True)


class Progress:
    def __init__(self, mode: str = OFF):
        self.mode = mode

    def phase(self, label: str, total: int | None = None, unit: str = "个") -> Phase:
        """A phase to use with ``with`` (closed at the end of the block) or to ``close()`` explicitly."""
        return Phase(self.mode, label, total, unit)


def for_stream(quiet: bool, stream=None) -> Progress:
    """Off when quiet, a bar when ``stream`` (stderr) is a terminal, plain lines otherwise (logs, CI, pipes)."""
    if quiet:
        return Progress(OFF)
    stream = stream or sys.stderr
    return Progress(BAR if stream.isatty() else LINES)


_current = [Progress(OFF)]


def current() -> Progress:
    return _current[0]


@contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Report through ``progress`` for the duration of one command."""
    previous = _current[0]
    _current[0] = progress
    try:
        yield progress
    finally:
        _current[0] = previous
