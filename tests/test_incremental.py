"""Incremental builds: an unchanged unit is neither loaded nor rendered again, a changed one is, and the site is
the same as a build from scratch (jixiao/incremental.py, jixiao/units.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from jixiao import incremental, site, units
from jixiao.demo import write_demo
from jixiao.incremental import parallel_map


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JIXIAO_JOBS", "1")  # in this process, so the calls can be counted
    write_demo(tmp_path / "data", units=9, years=[2023, 2024])
    return tmp_path / "data"


def _generate(data: Path, monkeypatch) -> tuple[dict[str, bytes], list[str], list[str]]:
    """Every generated file, and the unit folders loaded and the unit pages rendered on the way."""
    loaded_folders, rendered = [], []
    load, render = site.load_unit_with_origins, units._render
    monkeypatch.setattr(
        site, "load_unit_with_origins", lambda f, *rest: loaded_folders.append(f.name) or load(f, *rest)
    )
    monkeypatch.setattr(units, "_render", lambda u: rendered.append(u.evaluation.slug) or render(u))
    files: dict[str, bytes] = {}

    def write(path: str, content: str | bytes | Path) -> None:
        # Kept units come back as the cached files that hold them: compare what they hold.
        files[path] = (
            content.read_bytes()
            if isinstance(content, Path)
            else (content.encode() if isinstance(content, str) else content)
        )

    site.forget()
    site.generate(data, write, lambda path, text: None)
    site.forget()
    return files, loaded_folders, rendered


def _correct(folder: Path) -> None:
    path = folder / "evaluation.yaml"
    ev = yaml.safe_load(path.read_text(encoding="utf-8"))
    ev["indicators"][0]["actual"] = "已更正"
    path.write_text(yaml.safe_dump(ev, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_second_build_reuses_every_unit(demo, monkeypatch):
    first, loaded, rendered = _generate(demo, monkeypatch)
    assert len(loaded) == len(rendered) == 18
    second, loaded, rendered = _generate(demo, monkeypatch)
    assert loaded == rendered == []
    assert second == first


def test_a_corrected_unit_is_redone_with_the_pages_that_show_it(demo, monkeypatch):
    _generate(demo, monkeypatch)
    _correct(demo / "2024" / "示例镇04")
    files, loaded, rendered = _generate(demo, monkeypatch)
    assert loaded == ["示例镇04"]
    assert "2024/示例镇04" in rendered and 1 < len(rendered) < 18  # itself, its peers and its other year
    assert "已更正" in files["2024/示例镇04/index.md"].decode()
    monkeypatch.setenv("JIXIAO_CACHE", "off")
    scratch, loaded, rendered = _generate(demo, monkeypatch)
    assert len(loaded) == len(rendered) == 18
    assert files == scratch


def test_a_change_of_jixiao_itself_redoes_everything(demo, monkeypatch):
    _generate(demo, monkeypatch)
    monkeypatch.setattr(incremental, "code_version", lambda: "another-version")
    _, loaded, rendered = _generate(demo, monkeypatch)
    assert len(loaded) == len(rendered) == 18


def _square(n: int) -> int:
    return n * n


def test_parallel_map_keeps_the_order(monkeypatch):
    monkeypatch.setenv("JIXIAO_JOBS", "2")
    items = list(range(100))
    assert list(parallel_map(_square, items)) == [n * n for n in items]


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_parallel_map_warms_up_here_and_replaces_its_workers(monkeypatch):
    """The first item runs in this process (what it loads is inherited by every worker); a worker is replaced
    after its share, so the memory it copied from this process is given back; the order holds throughout."""
    monkeypatch.setenv("JIXIAO_JOBS", "2")
    monkeypatch.setattr(incremental, "_PER_WORKER", 16)
    items = list(range(200))
    results = list(parallel_map(_square_and_pid, items, chunksize=8))
    assert [r for r, _ in results] == [n * n for n in items]
    assert results[0][1] == os.getpid()
    workers = {pid for _, pid in results[1:]}
    assert os.getpid() not in workers and len(workers) >= 199 // 16  # fresh workers, 16 items each at most


def test_kept_files_are_published_by_link_and_an_edited_one_is_done_again(tmp_path, monkeypatch):
    """A kept file is linked into the site (no copy); one edited in place through the site (they share the inode)
    no longer matches what its entry recorded, so it is made again, into new files: never written through."""
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    made: list[int] = []

    def compute() -> dict[str, str | bytes]:
        made.append(1)
        return {"a/index.md": "# 页面\n", "a/data.csv": b"x,y\n1,2\n"}

    kept = incremental.cached_files("test-linked", compute)
    assert all(isinstance(p, incremental.Kept) for p in kept.values()) and len(made) == 1
    site = tmp_path / "site"
    site.mkdir()
    published = site / "data.csv"
    incremental.publish(kept["a/data.csv"], published)
    assert published.stat().st_ino == kept["a/data.csv"].stat().st_ino and published.stat().st_nlink == 2
    assert incremental.cached_files("test-linked", compute) == kept and len(made) == 1  # reused as it is
    with open(published, "r+b") as f:  # a portal's script edits the site file in place, same size
        f.write(b"X")
    again = incremental.cached_files("test-linked", compute)
    assert len(made) == 2 and again["a/data.csv"] != kept["a/data.csv"]
    assert again["a/data.csv"].read_bytes() == b"x,y\n1,2\n"
    assert incremental.cached_files("test-linked", compute) == again and len(made) == 2
    # Published again over the edited file: the link is replaced, the edited inode is not written.
    incremental.publish(again["a/data.csv"], published)
    assert published.read_bytes() == b"x,y\n1,2\n" and kept["a/data.csv"].read_bytes() == b"X,y\n1,2\n"


@pytest.mark.parametrize("errno_", [18, 1, 31])  # EXDEV, EPERM, EMLINK
def test_a_kept_file_is_copied_where_it_cannot_be_linked(tmp_path, monkeypatch, errno_):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    kept = incremental.cached_files("test-copied", lambda: {"data.csv": b"x,y\n"})
    old = tmp_path / "data.csv"
    os.link(
        kept["data.csv"], old
    )  # what an earlier build left there (a --dirty build): never written through

    def refuse(*args, **kwargs):
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(os, "link", refuse)
    incremental.publish(kept["data.csv"], old)
    assert old.read_bytes() == b"x,y\n" and old.stat().st_nlink == 1 and kept["data.csv"].stat().st_nlink == 1
