"""Where a build may write, and how it writes there without ever destroying what jixiao did not create.

- The target (``--site``) must not be, contain or lie inside the data folder, nor be or contain the project (the
  folder with mkdocs.yml: ``site/`` inside it is the default and fine); it must not be an existing file, nor a
  non-empty folder that jixiao did not build (every site jixiao builds carries the ``MARK`` file).
- A build takes a lock beside the target (a second build at once stops with a clear message), stages in a folder
  of its own, and swaps it in only when complete. Leftovers of a killed build (staging folders, the previous site
  set aside) carry the mark and are removed by the next build; nothing without the mark is ever removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jixiao.findings import JixiaoError

MARK = ".jixiao-site"
MARK_TEXT = "本文件夹是 jixiao 生成的网站；jixiao build 会整个替换它。\n"


class UnsafeTarget(JixiaoError):
    """The site folder cannot be written safely."""


def check_target(site_dir: Path, data_dir: Path, project_dir: Path) -> Path:
    """The resolved target, or UnsafeTarget saying why a build must not write there."""
    site, data, project = (Path(p).resolve() for p in (site_dir, data_dir, project_dir))
    shown = str(site_dir)
    if site == data or site.is_relative_to(data) or data.is_relative_to(site):
        raise UnsafeTarget(f"{shown}: 网站目录不能是数据目录 {data_dir}、在它里面或包含它，否则数据会被覆盖")
    if site == project or project.is_relative_to(site):
        raise UnsafeTarget(
            f"{shown}: 网站目录不能是项目目录 {project_dir} 或包含它，请用其中的 site/ 等子目录"
        )
    if site.exists() and not site.is_dir():
        raise UnsafeTarget(f"{shown}: 已有同名文件，jixiao 不会覆盖它；请换一个目录名")
    if site.is_dir() and any(site.iterdir()) and not is_ours(site):
        raise UnsafeTarget(
            f"{shown}: 这个目录不是空的，也不是 jixiao 生成的网站（没有 {MARK}），jixiao 不会替换它；请换一个目录"
        )
    return site


def is_ours(folder: Path) -> bool:
    return (folder / MARK).is_file() and not (folder / MARK).is_symlink()


def mark(folder: Path) -> None:
    (folder / MARK).write_text(MARK_TEXT, encoding="utf-8")


@contextlib.contextmanager
def locked(site: Path) -> Iterator[None]:
    """Hold the target's lock for the whole build; a second build at once stops with a clear message."""
    lock_file = site.with_name(f".{site.name}.lock")
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_file, "a+")  # noqa: SIM115 — held open for the whole build
    except OSError as err:
        raise UnsafeTarget(f"{site.parent}: 无法写入（{err.strerror}），网站未生成") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UnsafeTarget(f"{site}: 另一个 jixiao build 正在生成这个网站，请等它结束后再运行") from None
        yield
    finally:
        handle.close()  # closing releases the lock


def clean_leftovers(site: Path) -> None:
    """Staging folders and set-aside sites of killed builds (marked as ours) beside ``site``; call under the lock."""
    for leftover in site.parent.glob(f".{site.name}.*"):
        if leftover.is_dir() and not leftover.is_symlink() and is_ours(leftover):
            _remove(leftover)


def staging_for(site: Path) -> Path:
    """A new, marked folder of this build's own beside the target."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    except OSError as err:
        raise UnsafeTarget(f"{site.parent}: 无法写入（{err.strerror}），网站未生成") from None
    # mkdtemp makes the folder private (0700); a site is for a web server to read, as any new folder would be.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    mark(staging)
    return staging


def swap_in(staging: Path, site: Path) -> None:
    """Put the complete build in place of the previous site (which carries the mark, or is an empty folder)."""
    mark(staging)
    old = None
    if site.is_dir() and not any(site.iterdir()):
        site.rmdir()  # an empty folder made for the site: replaced by the site, nothing lost
    elif site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
        mark(old)
        site.rename(old / "site")
    staging.rename(site)
    if old is not None:
        remove_aside(old)


# Whether the previous site, once set aside, is deleted by a detached process rather than before the build returns
# (tests that list the folder right after a build switch it off).
REMOVE_DETACHED = True


def remove_aside(old: Path) -> None:
    """Delete a set-aside previous site. At 20,000 units it is ≈240,000 files, and deleting them costs tens of
    seconds on a disk that discards freed blocks at once: the new site is already in place, so that is left to a
    detached process and the user does not wait for it. A removal that is stopped (the machine goes down) leaves a
    marked ``.<site>.old-…`` folder, which the next build removes under its lock (``clean_leftovers``)."""
    if REMOVE_DETACHED:
        try:
            subprocess.Popen(
                [sys.executable, "-c", _REMOVE, str(old)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # not stopped with the build's terminal or process group
            )
            return
        except OSError:
            pass
    _remove(old)


def _remove(old: Path) -> None:
    # The site first and the mark last: a removal stopped halfway still leaves a folder the next build knows as ours.
    shutil.rmtree(old / "site", ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


_REMOVE = (
    "import sys; from pathlib import Path; from jixiao.target import _remove; _remove(Path(sys.argv[1]))"
)


def discard(staging: Path) -> None:
    if is_ours(staging):
        shutil.rmtree(staging, ignore_errors=True)


def project_of(config_file: Path | None) -> Path:
    return Path(config_file).resolve().parent if config_file else Path(os.getcwd()).resolve()
