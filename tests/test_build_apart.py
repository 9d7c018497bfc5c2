"""A big site is built in a child process (jixiao/build.py): the memory it held is given back before the search
index is made. The site, the errors and the timings are the same as a build in one process; a child that dies
leaves the previous site as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import jixiao.build as build
from jixiao import timing
from jixiao.cli import main
from jixiao.demo import write_demo
from jixiao.site import forget
from jixiao.target import MARK
from tests.conftest import ROOT
from tests.test_cli import BAD_YAML, expected_bad_lines, write_unit


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _previous_site(site: Path) -> None:
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (site / MARK).write_text("a site jixiao built", encoding="utf-8")


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("apart-build") / "data"
    write_demo(data, units=4, years=[2023, 2024])
    return data


def test_a_site_built_in_a_child_process_is_the_same_site(demo_data, tmp_path, monkeypatch):
    forget()
    in_process = build.build_site(demo_data, tmp_path / "here", ROOT / "mkdocs.yml")
    monkeypatch.setattr(build, "IN_PROCESS_UNITS", 0)
    forget()
    timing.reset()
    built = build.build_site(demo_data, tmp_path / "apart", ROOT / "mkdocs.yml")
    here, apart = _snapshot(tmp_path / "here"), _snapshot(tmp_path / "apart")
    assert len([p for p in apart if p.endswith("index.html")]) > 20
    assert sorted(here) == sorted(apart) and [p for p in here if here[p] != apart[p]] == []
    assert (built.units, built.summary) == (8, in_process.summary)
    # The phases the child timed are the build's, as the scale benchmark reads them.
    phases = timing.phases()
    assert {"load", "unit files", "unit pages", "mkdocs", "pagefind"} <= set(phases), phases
    assert all(seconds > 0 for name, seconds in phases.items() if name != "checks"), phases


def test_bad_data_in_a_child_build_names_every_problem(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(build, "IN_PROCESS_UNITS", 0)
    path = write_unit(tmp_path / "data", BAD_YAML)
    site = tmp_path / "site"
    _previous_site(site)
    assert main(["build", "--data", str(tmp_path / "data"), "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-len(expected_bad_lines(path)) - 1 :] == [
        *expected_bad_lines(path),
        "共 5 处错误，未生成网站。",
    ]
    assert "Traceback" not in err
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]  # the staging folder is gone


def test_a_child_that_dies_leaves_the_previous_site(demo_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(build, "IN_PROCESS_UNITS", 0)
    monkeypatch.setattr(build, "_run_mkdocs", lambda *args: os._exit(9))  # as the kernel's OOM killer would
    site = tmp_path / "site"
    _previous_site(site)
    assert main(["build", "-q", "--data", str(demo_data), "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "生成网页的进程意外退出（退出码 9），原网站未改动" in err and "Traceback" not in err
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_a_child_build_leaves_no_copy_of_the_open_data_in_the_cache(demo_data, tmp_path, monkeypatch):
    """The site's dataset is written aside in the cache, then copied into the site. A forked child leaves without
    exit handlers: its folder (300 MB for a province) is removed by the child itself, not left behind."""
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(build, "IN_PROCESS_UNITS", 0)
    forget()
    build.build_site(demo_data, tmp_path / "site", ROOT / "mkdocs.yml")
    published = sorted(p.name for p in (tmp_path / "site" / "open-data").iterdir())
    assert {"indicators.csv", "jixiao-data.xlsx", "evaluations.json"} <= set(published)
    aside = tmp_path / "cache" / "open-data"
    assert aside.is_dir() and sorted(aside.iterdir()) == []
