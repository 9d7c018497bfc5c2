"""Unit pages are built apart from MkDocs' own loop, over the cores (jixiao/unit_pages.py): the site is byte for byte
what MkDocs alone makes, a page's warning still stops a strict build, and a page's error names the page."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import markdown
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import jixiao.plugin as plugin
import jixiao.unit_pages as unit_pages
from jixiao.build import BuildFailed, build_site
from jixiao.demo import write_demo
from jixiao.site import forget
from tests.conftest import ROOT

URL = "https://example.gov.cn/jixiao/"


def _build(data: Path, site: Path) -> dict[str, bytes]:
    forget()
    build_site(data, site, ROOT / "mkdocs.yml", site_url=URL)
    return _site_files(site)


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("apart") / "data"
    write_demo(data, units=6, years=[2023, 2024])  # 24 unit pages and cards: enough for the worker processes
    return data


def test_the_site_is_what_mkdocs_alone_makes(demo_data, tmp_path, monkeypatch):
    apart = _build(demo_data, tmp_path / "apart")
    monkeypatch.setattr(plugin, "UNITS_APART", False)
    alone = _build(demo_data, tmp_path / "alone")
    unit_pages_built = [
        p for p in apart if p[:4].isdigit() and p.count("/") >= 2 and p.endswith("index.html")
    ]
    assert len(unit_pages_built) == 24  # 12 unit-years, each a page and a 公示卡
    assert "示例县" in apart[unit_pages_built[0]].decode()
    # Every unit page is in the sitemap, as MkDocs alone lists it.
    sitemap = apart["sitemap.xml"].decode()
    assert all(f"<loc>{URL}{quote(p.removesuffix('index.html'))}</loc>" in sitemap for p in unit_pages_built)
    assert sorted(apart) == sorted(alone)
    assert [p for p in apart if apart[p] != alone[p]] == []


def test_a_warning_on_a_unit_page_stops_the_strict_build_once(demo_data, tmp_path, monkeypatch, caplog):
    original = unit_pages.mkdocs_build._populate_page

    def warn_on_one(page, config, files, dirty=False):
        if page.file.src_uri.startswith("2024/") and page.file.src_uri.endswith("/card/index.md"):
            logging.getLogger("mkdocs.plugins.test").warning("公示卡上的链接无效：%s", page.file.src_uri)
        return original(page, config, files, dirty)

    site = tmp_path / "site"
    before = _build(demo_data, site)
    monkeypatch.setattr(unit_pages.mkdocs_build, "_populate_page", warn_on_one)
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(BuildFailed, match="strict"):
        forget()
        build_site(demo_data, site, ROOT / "mkdocs.yml", site_url=URL)
    warned = [r.getMessage() for r in caplog.records if "公示卡上的链接无效" in r.getMessage()]
    assert len(warned) == 6 and len(set(warned)) == 6  # one per card of 2024, logged once each, in the parent
    assert _site_files(site) == before  # the previous site, as it was


def test_an_error_on_a_unit_page_names_the_page(demo_data, tmp_path, monkeypatch, caplog):
    original = unit_pages.mkdocs_build._build_page

    def fail(page, *args, **kwargs):
        if page.file.src_uri.count("/") >= 2 and page.file.src_uri[:4].isdigit():
            raise ValueError("模板出错")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(unit_pages.mkdocs_build, "_build_page", fail)
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(BuildFailed, match="原网站未改动"):
        forget()
        build_site(demo_data, tmp_path / "site", ROOT / "mkdocs.yml", site_url=URL)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        re.fullmatch(r"网页 20\d\d/示例\S+/(card/)?index\.md 生成失败：模板出错", e) for e in errors
    ), errors
    assert not (tmp_path / "site").exists()


@pytest.fixture
def cached_build(tmp_path, monkeypatch):
    """Builds with a build cache, in this process (so the pages built can be counted): the unit pages built."""
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JIXIAO_JOBS", "1")
    built: list[str] = []
    original = unit_pages.mkdocs_build._populate_page

    def count(page, *args, **kwargs):
        if page.file.src_uri[:4].isdigit() and page.file.src_uri.count("/") >= 2:
            built.append(page.file.src_uri)
        return original(page, *args, **kwargs)

    monkeypatch.setattr(unit_pages.mkdocs_build, "_populate_page", count)

    def build(data: Path, site: Path, url: str = URL) -> tuple[dict[str, bytes], list[str]]:
        built.clear()
        forget()
        build_site(data, site, ROOT / "mkdocs.yml", site_url=url)
        return _site_files(site), list(built)

    return build


def test_a_rebuild_reuses_the_unit_pages_whose_markdown_and_site_did_not_change(
    demo_data, tmp_path, cached_build, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    first, built = cached_build(data, tmp_path / "site")
    assert len(built) == 24
    second, built = cached_build(data, tmp_path / "site")
    assert built == [] and second == first
    # A corrected unit: its pages and the pages that show it are built again, the others reused.
    path = data / "2024" / "示例镇04" / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("示例县", "示例县（更正）", 1), encoding="utf-8")
    corrected, built = cached_build(data, tmp_path / "site")
    assert "2024/示例镇04/index.md" in built and 1 < len(built) < 24
    assert "示例县（更正）" in corrected["2024/示例镇04/index.html"].decode()
    monkeypatch.setenv("JIXIAO_CACHE", "off")
    scratch, built = cached_build(data, tmp_path / "scratch")
    assert len(built) == 24 and corrected == scratch


def test_a_change_to_the_site_builds_every_unit_page_again(demo_data, tmp_path, cached_build):
    cached_build(demo_data, tmp_path / "site")
    moved, built = cached_build(demo_data, tmp_path / "site", url="https://example.gov.cn/other/")
    assert len(built) == 24
    assert 'href="https://example.gov.cn/other/2024/' in moved["2024/示例镇04/index.html"].decode()


def test_a_reused_page_raises_its_warnings_again(demo_data, tmp_path, cached_build, monkeypatch, caplog):
    populate = unit_pages.mkdocs_build._populate_page

    def warn(page, *args, **kwargs):
        if page.file.src_uri == "2024/示例镇04/index.md":
            logging.getLogger("mkdocs.plugins.test").warning("链接无效")
        return populate(page, *args, **kwargs)

    monkeypatch.setattr(unit_pages.mkdocs_build, "_populate_page", warn)
    with pytest.raises(BuildFailed, match="strict"):
        cached_build(demo_data, tmp_path / "site")
    monkeypatch.setattr(unit_pages.mkdocs_build, "_populate_page", populate)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(BuildFailed, match="strict"):
        cached_build(demo_data, tmp_path / "site")  # built from the cache: the warning comes back with it
    assert [r.getMessage() for r in caplog.records].count("链接无效") == 1


def test_the_kept_pages_are_found_again_by_another_process(demo_data, tmp_path):
    """The key must not depend on the process: sets print in an order that follows the hash seed."""
    cache = tmp_path / "cache"
    for seed in ("1", "2"):
        env = {**os.environ, "JIXIAO_CACHE": str(cache), "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "jixiao.cli", "build", "-q", "--data", str(demo_data)]
        subprocess.run([*command, "--site", str(tmp_path / "site")], env=env, check=True, cwd=tmp_path)
        kept = sorted(p.name for p in cache.rglob("unit-html-*.files"))
        assert len(kept) == 24  # the second build added none: it found every page kept by the first


def _kept_inodes(cache: Path) -> set[int]:
    return {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}


def test_unit_files_and_pages_are_links_of_the_cache_else_copies(
    demo_data, tmp_path, cached_build, monkeypatch
):
    """A unit's downloads and its page lie in the site as hard links of the build cache's files (the next build
    links them again rather than copying; deleting the old site frees nothing the cache still holds); where links
    cannot be made they are copies; the site is the same either way."""
    umask = os.umask(0o022)
    try:
        linked, _ = cached_build(demo_data, tmp_path / "site")
        linked_again, built = cached_build(demo_data, tmp_path / "site")
        site, kept = tmp_path / "site", _kept_inodes(tmp_path / "cache")
        unit = sorted(p for p in (site / "2024" / "示例镇04").rglob("*") if p.is_file())
        assert len(unit) >= 5 and any(p.suffix == ".xlsx" for p in unit)  # its page, card, downloads
        for path in unit:
            # the cache's file itself (and the previous site's link of it, until that site is removed)
            assert path.stat().st_ino in kept and path.stat().st_nlink >= 2, path
            assert path.stat().st_mode & 0o777 == 0o644, path
        assert built == [] and linked_again == linked

        def refuse(*args, **kwargs):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "link", refuse)
        copied, _ = cached_build(demo_data, tmp_path / "copied")
        unit = [p for p in (tmp_path / "copied" / "2024" / "示例镇04").rglob("*") if p.is_file()]
        assert unit and all(p.stat().st_nlink == 1 and p.stat().st_mode & 0o777 == 0o644 for p in unit)
    finally:
        os.umask(umask)
    assert copied == linked


def test_a_site_file_edited_in_place_is_not_reused(demo_data, tmp_path, cached_build):
    """A portal's script that edits the published site writes into the cache's file (the same inode): the next
    build sees that the entry no longer matches what it recorded and makes the page and the download again."""
    site = tmp_path / "site"
    before, _ = cached_build(demo_data, site)
    page = site / "2024" / "示例镇04" / "index.html"
    download = next(p for p in (site / "2024" / "示例镇04").rglob("*.xlsx"))
    with open(page, "ab") as f:
        f.write("<p>门户追加的内容</p>".encode())
    with open(download, "r+b") as f:  # the same size: only its modification time tells
        f.write(b"X")
    after, built = cached_build(demo_data, site)
    assert built == ["2024/示例镇04/index.md"]
    assert after == before


def _config(extensions: list) -> MkDocsConfig:
    config = MkDocsConfig()
    config.load_dict({"site_name": "测试", "docs_dir": "docs", "markdown_extensions": extensions})
    assert config.validate() == ([], [])
    return config


def _file(path: str, text: str, site: Path) -> File:
    file = File(path, src_dir=None, dest_dir=str(site), use_directory_urls=True)
    file.content_string = text
    return file


# Pages that leave state behind in Python-Markdown if it is not reset: link references, abbreviations, footnotes,
# heading ids; and HTML blocks (stashed) between headings.
_SOURCES = {
    "a/index.md": '# 甲 {: #top }\n\n<div class="x">\n<p>表</p>\n</div>\n\n## 乙\n\n见[说明][ref]，HTML[^1]。\n\n'
    "[ref]: ../b/\n*[HTML]: 超文本\n[^1]: 注。\n\n## 乙\n\n<table><tr><td>1</td></tr></table>\n",
    "b/index.md": "见[说明][ref]与 HTML[^1]。\n\n## 乙\n\n<div>\n\n**粗**\n\n</div>\n\n## 丙\n\n[上一页](../a/)\n",
    "c/index.md": "# 丁\n\n<p>只有 HTML</p>\n",
}


def test_pages_rendered_with_one_markdown_instance_are_mkdocs_own(tmp_path):
    """Each page as MkDocs renders it with a new Markdown instance: nothing of the page before carries over."""
    extensions = ["toc", "attr_list", "abbr", "footnotes", "tables", "admonition", "jixiao.markdown_html"]
    config = _config(extensions)
    files = Files([_file(path, text, tmp_path) for path, text in _SOURCES.items()])
    rendered = {}
    try:
        unit_pages._job.clear()
        for kind in (
            Page,
            unit_pages._Page,
            unit_pages._Page,
        ):  # the second round reuses the instance throughout
            for file in files:
                page = kind(None, file, config)
                page.read_source(config)
                page.render(config, files)
                rendered.setdefault(file.src_uri, []).append((page.content, str(page.toc), page.title))
        assert isinstance(unit_pages._job.get("markdown"), markdown.Markdown)  # really reused
    finally:
        unit_pages._job.clear()
    assert len(rendered) == 3 and all(len(set(versions)) == 1 for versions in rendered.values()), rendered
    assert 'href="../b/"' in rendered["a/index.md"][0][0] and "[说明][ref]" in rendered["b/index.md"][0][0]


def test_an_extension_that_may_keep_state_gets_a_new_instance_per_page(tmp_path):
    try:
        unit_pages._job.clear()
        own = _config(["toc", "jixiao.markdown_html"])
        assert unit_pages._markdown(own) is unit_pages._markdown(own)
        unit_pages._job.clear()
        other = _config(["toc", "pymdownx.caret"])
        assert unit_pages._markdown(other) is not unit_pages._markdown(other)
        assert "markdown" not in unit_pages._job
    finally:
        unit_pages._job.clear()


def test_a_page_that_fails_to_convert_leaves_no_instance_behind(tmp_path, monkeypatch):
    config = _config(["toc", "jixiao.markdown_html"])
    file = _file("a/index.md", _SOURCES["a/index.md"], tmp_path)
    try:
        unit_pages._job.clear()
        md = unit_pages._markdown(config)
        monkeypatch.setattr(md, "convert", lambda text: (_ for _ in ()).throw(ValueError("坏了")))
        page = unit_pages._Page(None, file, config)
        page.read_source(config)
        with pytest.raises(ValueError, match="坏了"):
            page.render(config, Files([file]))
        assert "markdown" not in unit_pages._job  # the next page starts from a new instance
    finally:
        unit_pages._job.clear()
