"""Safe and reproducible builds: the target is checked and locked, a build stages in a folder of its own, nothing
jixiao did not create is deleted, and the same data gives a byte-identical site."""

from __future__ import annotations

import fcntl
import filecmp
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao import target
from jixiao.cli import main
from jixiao.target import MARK

from .conftest import DATA, ROOT, SITE_URL


def build(capsys, data: Path, site: Path, *extra: str) -> tuple[int, str]:
    code = main(["build", "-q", "--data", str(data), "--site", str(site), *extra])
    return code, capsys.readouterr().err


@pytest.fixture
def data(tmp_path) -> Path:
    import shutil

    copy = tmp_path / "project" / "data"
    shutil.copytree(DATA, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "where, message",
    [
        (lambda d: d, "网站目录不能是数据目录"),
        (lambda d: d / "2024", "网站目录不能是数据目录"),
        (lambda d: d / "2024" / "宝城镇", "网站目录不能是数据目录"),
        (lambda d: d.parent.parent, "网站目录不能是数据目录"),  # contains the data folder
    ],
)
def test_a_site_that_is_contains_or_lies_in_the_data_folder_is_refused(data, capsys, where, message):
    before = snapshot(data)
    code, err = build(capsys, data, where(data))
    assert code == 1 and message in err
    assert snapshot(data) == before


def test_a_site_that_is_the_project_is_refused(tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    monkeypatch.chdir(project)
    code, err = build(capsys, tmp_path / "other-data", project)
    assert code == 1 and "网站目录不能是项目目录" in err


def test_an_existing_file_is_never_replaced(data, tmp_path, capsys):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"a clerk's file")
    code, err = build(capsys, data, target)
    assert code == 1 and f"{target}: 已有同名文件，jixiao 不会覆盖它" in err
    assert target.read_bytes() == b"a clerk's file"


def test_a_folder_jixiao_did_not_build_is_never_replaced(data, tmp_path, capsys):
    target = tmp_path / "文件"
    target.mkdir()
    (target / "笔记.txt").write_text("重要", encoding="utf-8")
    code, err = build(capsys, data, target)
    assert code == 1 and "不是 jixiao 生成的网站" in err
    assert (target / "笔记.txt").read_text(encoding="utf-8") == "重要"


def test_an_unwritable_target_is_a_clean_error(data, tmp_path, capsys):
    parent = tmp_path / "a-file"
    parent.write_text("x")
    code, err = build(capsys, data, parent / "site")
    assert code == 1 and err.startswith(f"错误：{parent}: 无法写入") and "Traceback" not in err


def test_a_second_build_at_once_stops_with_a_clear_message(data, tmp_path, capsys):
    site = tmp_path / "site"
    with open(tmp_path / ".site.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a build in another process holds it
        code, err = build(capsys, data, site)
    assert code == 1 and "另一个 jixiao build 正在生成这个网站" in err
    assert not site.exists()


def test_builds_stage_apart_clean_leftovers_and_leave_foreign_folders(data, tmp_path, capsys):
    site = tmp_path / "site"
    killed = tmp_path / ".site.building-killed"  # a staging folder a killed build left
    killed.mkdir()
    (killed / MARK).write_text("x")
    (killed / "index.html").write_text("half a site")
    foreign = tmp_path / ".site.building-notours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not jixiao's")
    code, err = build(capsys, data, site)
    assert code == 0, err
    assert not killed.exists() and (foreign / "keep.txt").exists()
    assert (site / "index.html").is_file() and (site / MARK).is_file()
    assert oct(site.stat().st_mode & 0o777) != "0o700"  # readable by a web server, like any folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".site.building-notours",
        ".site.lock",
        "project",
        "site",
    ]
    # A rebuild replaces a site jixiao built.
    (site / "stale.html").write_text("old page")
    assert build(capsys, data, site)[0] == 0
    assert not (site / "stale.html").exists()


def test_the_previous_site_is_removed_apart_and_a_stopped_removal_by_the_next_build(
    data, tmp_path, capsys, monkeypatch
):
    """A rebuild swaps the new site in and leaves deleting the previous one to a detached process (jixiao.target):
    the new site is complete when the build returns, and the old one goes. A removal that was stopped leaves a
    marked folder: the next build removes it, and never a folder without the mark."""
    monkeypatch.setattr(target, "REMOVE_DETACHED", True)
    site = tmp_path / "site"
    assert build(capsys, data, site)[0] == 0
    first = snapshot(site)
    (site / "stale.html").write_text("old page")
    assert build(capsys, data, site)[0] == 0
    assert snapshot(site) == first  # the whole new site, at once
    for _ in range(600):  # the detached process is done (within a minute on the busiest machine)
        if not list(tmp_path.glob(".site.old-*")):
            break
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "project", "site"]
    stopped = tmp_path / ".site.old-stopped"
    (stopped / "site" / "2024").mkdir(parents=True)
    (stopped / MARK).write_text("x")
    (stopped / "site" / "2024" / "index.html").write_text("half deleted")
    foreign = tmp_path / ".site.old-notours"
    foreign.mkdir()
    monkeypatch.setattr(target, "REMOVE_DETACHED", False)
    assert build(capsys, data, site)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".site.lock",
        ".site.old-notours",
        "project",
        "site",
    ]


def test_a_failed_build_leaves_the_previous_site_untouched(data, tmp_path, capsys):
    site = tmp_path / "site"
    assert build(capsys, data, site)[0] == 0
    before = snapshot(site)
    (data / "2024" / "宝城镇" / "unit.yaml").write_text("unit: {kind: 不存在的类型}\n", encoding="utf-8")
    code, _ = build(capsys, data, site)
    assert code == 1 and snapshot(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.building")] == []


def test_two_builds_of_the_same_data_are_byte_identical(built_site, tmp_path):
    """One build in this process, one in a fresh one (another hash seed, another clock reading): every file."""
    other = tmp_path / "again"
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")}
    env["PYTHONHASHSEED"] = "12345"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao",
            "build",
            "-q",
            "--data",
            str(DATA),
            "--site",
            str(other),
            "--site-url",
            SITE_URL,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    first, second = snapshot(built_site), snapshot(other)
    assert len(first) > 50
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    print(f"\nrebuild comparison: {len(first)} files compared byte for byte, {len(differing)} differ")
    assert differing == []
    assert filecmp.cmp(built_site / "sitemap.xml", other / "sitemap.xml", shallow=False)


def test_no_page_carries_an_inline_script_or_handler_and_every_page_its_policy(built_site):
    import re

    from jixiao.plugin import CONTENT_SECURITY_POLICY, NOT_FOUND_POLICY

    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policy = NOT_FOUND_POLICY if page.name == "404.html" else CONTENT_SECURITY_POLICY
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in html, page
        inline = [
            s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s and "application/json" not in s
        ]
        assert inline == [], page
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), page
        assert not re.search(r"""href=["']?\s*(?:javascript|data):""", html, re.I), page
