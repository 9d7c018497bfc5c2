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

import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
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


class Kept(type(Path())):  # type: ignore[misc]  # PosixPath (or WindowsPath), the class Path() makes here
    """A file of the build cache given back by ``cached_files``: a ``Path`` that says where it comes from, so the
    site publishes it by hard link (``publish``) — and never a file of the data folder, whose inode a site must
    not share."""


def cached_files(
    key: str, compute: Callable[[], dict[str, str | bytes | Path]]
) -> dict[str, str | bytes | Path]:
    """Like ``cached``, for a set of generated files: kept as files, and given back as their paths (``Kept``), so
    a build of 20,000 units holds file names in memory rather than every page and download.

    The files lie beside the other entries (``<key>.<writer>.<n>``), with no folder of their own: making and
    renaming a folder per entry cost more system time than writing the files in it (a unit's files and its 公示卡,
    20,000 times). The entry's list of files (``<key>.files``) is written last, so a build never reads files
    another build is still writing; each build writes its own files (``<writer>``: its process and a random
    part), so two builds keeping the same entry never write the same file.

    A kept file is never written again once it is listed (each is made with O_EXCL), because the site shares it:
    ``publish`` links it into the site rather than copying it. So that a site file edited in place (a portal's
    script) cannot poison the cache through the inode they share, the list records every file's size and
    modification time, and an entry whose files no longer match is done again, as if it were missing.

    ``compute`` may give a file it already wrote (a ``Path``, such as a page MkDocs wrote into the site): it is
    kept by linking it into the cache (copied where the cache lies on another disk), not written again.
    """
    if not _enabled():
        return compute()
    index = _path(key).with_suffix(".files")
    folder = index.parent
    try:
        writer, paths, stats = json.loads(index.read_bytes())
        kept = {path: Kept(folder, f"{key}.{writer}.{n}") for n, path in enumerate(paths)}
        if len(stats) == len(kept) and all(_stat(p) == s for p, s in zip(kept.values(), stats, strict=True)):
            return kept
    except (OSError, ValueError, TypeError):
        pass
    files = compute()
    try:
        _make(folder)
        writer, stats = _keep(folder, key, list(files.values()))
        listing = json.dumps([writer, list(files), stats], ensure_ascii=False)
        try:
            _write(index, listing, os.O_EXCL)  # in one write; a build reading it before then finds no JSON
        except FileExistsError:
            # Another build kept the same files first, or one that was stopped left its list unfinished, or the
            # files listed were edited: this build's list takes its place whole.
            partial = folder / f"{key}.{writer}.tmp"
            _write(partial, listing)
            os.replace(partial, index)
    except OSError:
        return files  # a read-only cache folder: the build still works, from memory
    return {path: Kept(folder, f"{key}.{writer}.{n}") for n, path in enumerate(files)}


def read(content: str | bytes | Path) -> str | bytes:
    """A file's content as ``cached_files`` gives it back: in memory, or the kept file that holds it."""
    return content.read_bytes() if isinstance(content, Path) else content


def _stat(path: Path) -> list[int]:
    """What the listing records of a kept file: its size and modification time (a write changes either)."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def _keep(folder: Path, key: str, contents: list[str | bytes | Path]) -> tuple[str, list[list[int]]]:
    """Write (or link) ``contents`` as new files of ``key``'s entry: the writer's name and each file's stat."""
    writer = f"{os.getpid()}-{_BUILD}"
    while True:
        try:
            stats = []
            for n, content in enumerate(contents):
                path = folder / f"{key}.{writer}.{n}"
                if isinstance(content, Path):
                    _adopt(content, path)
                    stats.append(_stat(path))
                else:
                    stats.append(_write(path, content, os.O_EXCL))
            return writer, stats
        except FileExistsError:
            # A name already taken (a process of an earlier build with the same id and random part, or this
            # process keeping the same entry again after its files were edited): never written through, so this
            # build writes under a name of its own.
            writer = f"{os.getpid()}-{os.urandom(4).hex()}"


def _adopt(made: Path, path: Path) -> None:
    try:
        os.link(made, path)
    except FileExistsError:
        raise
    except OSError:  # another disk, a file system without links
        with open(made, "rb") as f:
            _write(path, f.read(), os.O_EXCL)


def publish(kept: Path, dest: str | Path) -> None:
    """Put a kept file at ``dest`` in the site: a hard link of it where the cache and the site share a file system
    (no copy, and deleting the site later frees no blocks: the cache still holds them), else a copy.

    A file already at ``dest`` (a ``--dirty`` build, ``mkdocs serve``) is removed first, never written through:
    it may itself be a link of a kept file."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    try:
        os.link(kept, dest)
    except OSError:  # EXDEV (another disk), EPERM (no links there), EMLINK (too many links)…
        shutil.copyfile(kept, dest)


# Random, so that a later build whose process has the same id as an earlier one still writes files of its own.
_BUILD = os.urandom(4).hex()


def _write(path: Path, content: str | bytes, flags: int = os.O_TRUNC) -> list[int]:
    """Write ``content`` to ``path``: the file's size and modification time once written (as ``_stat``)."""
    # os.open rather than open(): no buffered file object for content written at once.
    data = memoryview(content.encode("utf-8") if isinstance(content, str) else content)
    # 0o644 under the umask: what a copy into the site would get, and the site links these files.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | flags, 0o644)
    try:
        while data:
            data = data[os.write(fd, data) :]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return [st.st_size, st.st_mtime_ns]
