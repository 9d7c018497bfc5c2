"""Work spread over the cores, and results kept by content hash so an unchanged unit is not done twice.

A county of 100 units rebuilds in seconds either way; a province of 20,000 unit-years does not. Loading and
checking a unit folder depends on its files alone; its downloads on its evaluation alone. So both are done in
worker processes (one per core) and kept in the cache directory under a key made of everything they depend on:
the bytes of the inputs, where they lie (findings name the paths), and jixiao's own source (a changed renderer or
rule never serves a stale result). Correcting one unit then redoes one unit's work.

The cache holds pickles: it is as trusted as the code that wrote it (like Python's own __pycache__), and lives in
the build's cache directory (``JIXIAO_CACHE``, ``off`` disables it, as for the parsed files).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from jixiao.forms import cache_dir

T = TypeVar("T")
R = TypeVar("R")
# Below this many items a worker pool costs more than it saves.
_POOL_MIN = 16
_LIBRARIES = (
    *("pydantic", "python-calamine", "python-docx", "xlrd", "openpyxl", "Jinja2"),
    # and what builds the unit pages from their Markdown (jixiao.unit_pages), and the search index's parts
    *("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "pagefind"),
)


def jobs() -> int:
    """Worker processes: one per core, or ``JIXIAO_JOBS``."""
    try:
        return max(1, int(os.environ.get("JIXIAO_JOBS", "")))
    except ValueError:
        return os.cpu_count() or 1


def parallel_map(fn: Callable[[T], R], items: list[T], chunksize: int = 8) -> Iterator[R]:
    """``map(fn, items)`` in order, over worker processes when there is enough work and more than one core."""
    if len(items) < _POOL_MIN or jobs() == 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, items)
        return
    # The first item here: what the work loads on first use (templates compiled, modules imported) is loaded once,
    # before the fork, and every worker inherits it, including those started afresh below.
    yield fn(items[0])
    # fork: the workers start with every module already imported, and read the data the parent already holds.
    # Frozen first, the parent's objects are never walked by the workers' garbage collector, so the memory pages
    # that hold them stay shared rather than copied into each worker (at 20,000 units, gigabytes). Reading an
    # object still copies its page (its reference count changes): a worker is replaced after _PER_WORKER items, so
    # what it copied is given back rather than growing to the whole data set.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(
            min(jobs(), len(items) - 1), maxtasksperchild=max(1, _PER_WORKER // chunksize)
        ) as pool:
            yield from pool.imap(fn, items[1:], chunksize)
    finally:
        gc.unfreeze()


# Items a worker process handles before a fresh one takes over (a fork of a big parent takes milliseconds).
_PER_WORKER = 1000


@cache
def code_version() -> str:
    """A digest of jixiao's source, templates and the libraries that shape its output."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if (
            path.is_file()
            and path.suffix in {".py", ".j2", ".txt", ".yml", ".html"}
            and "__pycache__" not in path.parts
        ):
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    return digest.hexdigest()[:16]


def key_of(kind: str, *parts: bytes | str) -> str:
    """A cache key for ``kind`` of work from everything it depends on."""
    digest = hashlib.sha256(f"{kind}\0{code_version()}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return f"{kind}-{digest.hexdigest()[:32]}"


def folder_digest(folder: Path, files: Iterable[Path]) -> str:
    """The unit folder's path and every file's name and bytes."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode())
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _enabled() -> bool:
    return os.environ.get("JIXIAO_CACHE") != "off"


def _path(key: str) -> Path:
    return cache_dir() / "units" / key[-2:] / f"{key}.pickle"


# The cache's folders this process has made (or found): made once, not asked for again with every entry.
_made: set[Path] = set()


def _make(folder: Path) -> None:
    if folder not in _made:
        folder.mkdir(parents=True, exist_ok=True)
        _made.add(folder)


def cached(key: str, compute: Callable[[], R]) -> R:
    """The kept result for ``key``, or ``compute()`` kept for next time."""
    if not _enabled():
        return compute()
    path = _path(key)
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    result = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # whole or not at all: another build may be reading
    except OSError:
        pass  # a read-only checkout still builds, just without the cache
    return result


def cached_files(key: str, compute: Callable[[], dict[str, str | bytes]]) -> dict[str, str | bytes | Path]:
    """Like ``cached``, for a set of generated files: kept as files, and given back as their paths, so a build
    of 20,000 units holds file names in memory rather than every page and download.

    The files lie beside the other entries (``<key>.<writer>.<n>``), with no folder of their own: making and
    renaming a folder per entry cost more system time than writing the files in it (a unit's files and its 公示卡,
    20,000 times). The entry's list of files (``<key>.files``) is written last, so a build never reads files
    another build is still writing; each build writes its own files (``<writer>``: its process and a random
    part), so two builds keeping the same entry never write the same file.
    """
    if not _enabled():
        return compute()
    index = _path(key).with_suffix(".files")
    folder = index.parent
    try:
        writer, paths = json.loads(index.read_bytes())
        return {path: folder / f"{key}.{writer}.{n}" for n, path in enumerate(paths)}
    except (OSError, ValueError, TypeError):
        pass
    files = compute()
    writer = f"{os.getpid()}-{_BUILD}"
    try:
        _make(folder)
        for n, content in enumerate(files.values()):
            _write(folder / f"{key}.{writer}.{n}", content)
        listing = json.dumps([writer, list(files)], ensure_ascii=False)
        try:
            _write(index, listing, os.O_EXCL)  # in one write; a build reading it before then finds no JSON
        except FileExistsError:
            # Another build kept the same files first, or one that was stopped left its list unfinished: this
            # build's list takes its place whole.
            partial = folder / f"{key}.{writer}.tmp"
            _write(partial, listing)
            os.replace(partial, index)
    except OSError:
        return files  # a read-only cache folder: the build still works, from memory
    return {path: folder / f"{key}.{writer}.{n}" for n, path in enumerate(files)}


# Random, so that a later build whose process has the same id as an earlier one still writes files of its own.
_BUILD = os.urandom(4).hex()


def _write(path: Path, content: str | bytes, flags: int = os.O_TRUNC) -> None:
    # os.open rather than open(): no buffered file object for content written at once.
    data = memoryview(content.encode("utf-8") if isinstance(content, str) else content)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | flags, 0o644)
    try:
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)
