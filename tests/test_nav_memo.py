"""Pages outside the navigation share their sidebars, rendered once per build (jixiao/nav_memo.py): the site comes
out byte for byte as when every page renders its own, and a project's own templates turn the sharing off."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import material

import jixiao.nav_memo as nav_memo
from jixiao.build import build_site
from jixiao.demo import write_demo
from jixiao.project import THEME_DIR
from jixiao.site import forget
from tests.conftest import ROOT


def _build(data: Path, site: Path) -> dict[str, bytes]:
    forget()
    build_site(data, site, ROOT / "mkdocs.yml")
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_shared_sidebars_are_the_pages_own(tmp_path, monkeypatch):
    write_demo(tmp_path / "data", units=4, years=[2023, 2024])
    keys: list = []
    key = nav_memo.site_nav_key
    monkeypatch.setattr(nav_memo, "site_nav_key", lambda *a: keys.append(key(*a)) or keys[-1])
    configs: list = []
    config_key = nav_memo.config_key
    monkeypatch.setattr(nav_memo, "config_key", lambda *a: configs.append(config_key(*a)) or configs[-1])
    headers = {"rendered": 0, "shared": 0}
    shared_header = nav_memo.shared_header

    def count_headers(memo, page, nav, config, render):
        def counted():
            headers["rendered"] += 1
            return render()

        headers["shared"] += 1
        return shared_header(memo, page, nav, config, counted)

    monkeypatch.setattr(nav_memo, "shared_header", count_headers)
    monkeypatch.setenv("JIXIAO_JOBS", "1")  # the keys are counted in this process
    shared = _build(tmp_path / "data", tmp_path / "shared")
    monkeypatch.setattr(nav_memo, "usable", lambda config: False)
    own = _build(tmp_path / "data", tmp_path / "own")
    outside = [k for k in keys if k is not None]
    # 8 unit pages and 8 公示卡 outside the navigation, sharing a few sidebars (per depth and year).
    assert len(outside) >= 16 and len(set(outside)) < len(outside) / 2
    # Every page's header and configuration script: rendered once per depth, each page's header with its own title.
    assert len(configs) > 20 and None not in configs and len(set(configs)) < len(configs) / 4
    assert headers["shared"] > 20 and headers["rendered"] < headers["shared"] / 4
    assert sorted(shared) == sorted(own)
    assert [p for p in shared if shared[p] != own[p]] == []
    unit_page = next(
        p for p in shared if p.startswith("2024/") and p.count("/") == 2 and p.endswith("index.html")
    )
    html = shared[unit_page].decode()
    assert 'data-md-type="navigation"' in html and "单位目录" in html and 'data-md-component="toc"' in html
    assert 'data-md-component="header-topic"' in html and '<script id="__config"' in html
    title = re.search(r'header-topic">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', html)
    assert title and title[1].endswith(" 2024 年绩效自评")  # the unit page's own title, not the first page's


def test_a_projects_own_partials_turn_the_sharing_off(tmp_path):
    packaged = [str(THEME_DIR), str(Path(material.__file__).parent / "templates")]
    config = SimpleNamespace(theme=SimpleNamespace(dirs=packaged))
    assert nav_memo.usable(config)
    (tmp_path / "overrides" / "partials").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "nav.html").write_text("{{ page.title }}", encoding="utf-8")
    config.theme.dirs = [str(tmp_path / "overrides"), *packaged]
    assert not nav_memo.usable(config)


def test_a_header_is_kept_only_where_the_title_is_found_where_the_template_prints_it():
    head = '<header><div class="md-header__topic" data-md-component="header-topic">\n  <span class="md-ellipsis">\n    '
    tail = "\n  </span></div></header>"
    assert nav_memo._around_title(head + "示例镇01 2024 年绩效自评" + tail, "示例镇01 2024 年绩效自评") == (
        head,
        tail,
    )
    assert (
        nav_memo._around_title(head + "\u3000标题" + tail, "\u3000标题") is None
    )  # runs into the template's
    assert nav_memo._around_title(head + tail, "") is None
    assert nav_memo._around_title(head + "别的" + tail, "标题") is None
    assert nav_memo._around_title(head + "标题" + tail + head + "标题" + tail, "标题") is None  # two topics
