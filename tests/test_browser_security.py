"""Injection-proof pages in a real browser: a hostile site title and hostile data stay inert on every kind of page,
under a strict Content-Security-Policy that nothing on the site violates."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
import yaml

from jixiao.plugin import CONTENT_SECURITY_POLICY, NOT_FOUND_POLICY

from .conftest import DATA, ROOT, serve_under_subpath
from .test_browser import browser, visit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

TITLE = '<img src=x onerror=alert(1)>"\' onmouseover=alert(2) x="'
UNIT = "<img src=x onerror=alert(3)>宝城镇人民政府"
GOAL = '目标 [点我](javascript:alert(4)) <javascript:alert(5)> <a href="data:text/html,<script>alert(6)</script>">x</a> <script>alert(7)</script>'
INDICATOR = "<img src=x onerror=alert(8)></script><script>alert(10)</script>指标"
# Every kind of page, with what proves it was that page.
PAGES = {
    "": "1,599.38",
    quote("2024/宝城镇") + "/": "宝城镇人民政府",
    "units/": "单位目录",
    "compare/": "单位比较",
    "compare/?u=" + quote("2024/宝城镇") + "&u=" + quote("2024/宝城乡"): "宝城乡",
    "indicators/": "指标查询",
    "checks/": "数据核对",
    "open-data/": "开放数据",
    "about/": "说明",
    "data-format/": "数据格式",
    "search/?q=" + quote("绩效"): "搜索",
    "search/?q=onerror": "搜索",  # results whose names and excerpts hold the hostile text
    "404.html": "404",  # the page a portal serves for a missing address
}
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from jixiao.build import build_site

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    (data / "site.yaml").write_text(yaml.safe_dump({"title": TITLE}, allow_unicode=True), encoding="utf-8")
    unit_yaml = data / "2024" / "宝城镇" / "unit.yaml"
    unit = yaml.safe_load(unit_yaml.read_text(encoding="utf-8"))
    unit["corrections"] = [
        {"field": "unit.name", "value": UNIT, "reason": "<b onmouseover=alert(9)>理由</b>"},
        {"field": "goal", "value": GOAL, "reason": "测试"},
        {"field": "indicators[1].name", "value": INDICATOR, "reason": "测试"},
    ]
    unit_yaml.write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    # A second unit, so the comparison draws two side by side (cards and charts from data).
    twin = data / "2024" / "宝城乡"
    shutil.copytree(data / "2024" / "宝城镇", twin)
    unit["unit"]["short_name"] = "宝城乡"
    unit["corrections"][0]["value"] = UNIT.replace("宝城镇", "宝城乡")
    (twin / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    site = root / "site"
    build_site(data, site, ROOT / "mkdocs.yml", site_url="http://127.0.0.1/portal/jixiao/")
    yield from serve_under_subpath(site, root / "portal")


def test_no_page_violates_the_policy_and_hostile_text_stays_inert(visit, hostile_site):  # noqa: F811
    violations, dialogs, pages = [], [], 0
    for path, proof in PAGES.items():
        v = visit("about:blank", bypass_csp=False)
        v.page.add_init_script(WATCH)
        v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        v.page.goto(hostile_site + path)
        v.page.wait_for_load_state("networkidle")
        if path.startswith("search/"):
            v.page.wait_for_selector(".jx-result", timeout=15000)  # the WebAssembly search ran
        if path.startswith("indicators/"):
            v.page.wait_for_selector("text=指标", timeout=15000)
        if path.startswith("compare/?"):
            v.page.wait_for_selector("#jx-compare .jx-card", timeout=15000)
        if path.startswith(quote("2024")):
            # Charts wait for the reader (jixiao charts.js): ask for them all, as printing does.
            v.page.evaluate("window.jixiaoCharts && window.jixiaoCharts.drawAll()")
            v.page.wait_for_selector(".jx-chart[data-rendered]", timeout=15000)
            # The reader goes to the header's search box: the search page's files and the index's metas are fetched.
            v.page.click("#jx-header-q")
            v.page.wait_for_selector("link[rel=prefetch] >> nth=4", state="attached", timeout=15000)
            v.page.wait_for_load_state("networkidle")
        html = v.page.content()
        assert proof in v.page.inner_text("body"), path
        policy = NOT_FOUND_POLICY if path == "404.html" else CONTENT_SECURITY_POLICY
        assert f'content="{policy}"' in html
        violations += [f"{path}: {x}" for x in v.page.evaluate("window.__violations")]
        # No tag or attribute from the title or the data became markup, no data URL became a link.
        assert v.page.locator("img[src=x], [onmouseover], [onerror]").count() == 0, path
        assert v.page.locator("a[href^='javascript:' i], a[href^='data:' i]").count() == 0, path
        assert v.foreign == [], path
        pages += 1
    print(
        f"\nCSP: {pages} kinds of page visited, {len(violations)} violations, {len(dialogs)} scripts from data ran"
    )
    assert pages == len(PAGES) and violations == [] and dialogs == [], "\n".join(violations)


def test_the_hostile_title_reads_as_text_where_a_reader_sees_it(visit, hostile_site):  # noqa: F811
    v = visit(hostile_site + quote("2024/宝城镇") + "/", bypass_csp=False)
    page = v.page
    # Angle brackets shown full-width (as in page titles): no theme script can ever take them for a tag.
    shown = TITLE.replace("<", "＜").replace(">", "＞")
    assert page.title().endswith(shown)
    assert shown in page.locator(".md-header__topic").first.inner_text()
    logo = page.locator(".md-header__button.md-logo")
    assert logo.get_attribute("aria-label") == shown and logo.get_attribute("title") == shown
    assert UNIT in page.locator("h1").inner_text()
    assert "javascript:alert(4)" in page.inner_text("body")  # shown as text, never a link
