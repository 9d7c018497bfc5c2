"""Many units and years: demo data, overview, directory, peers, history, comparison, explorer, open data."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import openpyxl
import yaml

from jixiao.cli import main
from jixiao.collection import UnitSummary, normalised_name, peers
from jixiao.render.explorer_page import TEXT_COLUMNS

from .conftest import ROOT


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_demo_writes_fictional_units_and_is_deterministic(demo, tmp_path):
    data, _ = demo
    folders = sorted(p.relative_to(data).as_posix() for p in data.glob("*/*") if p.is_dir())
    assert folders == [
        "2023/示例局03",
        "2023/示例街道02",
        "2023/示例镇01",
        "2024/示例局03",
        "2024/示例街道02",
        "2024/示例镇01",
    ]
    assert yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8"))["demo"] is True
    assert main(["demo", "--units", "3", "--years", "2023,2024", "--out", str(tmp_path / "again")]) == 0
    for folder in folders:
        assert (tmp_path / "again" / folder / "evaluation.yaml").read_bytes() == (
            data / folder / "evaluation.yaml"
        ).read_bytes()


def test_demo_never_writes_into_real_data(capsys):
    assert main(["demo", "--units", "3", "--out", str(ROOT / "data")]) == 1
    assert "这里有真实数据" in capsys.readouterr().err


def test_every_page_says_demo_data(demo):
    _, site = demo
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert "演示数据（虚构）" in page.read_text(encoding="utf-8"), page


def test_overview_ranks_the_latest_year_and_switches_years(demo):
    _, site = demo
    home = read(site, "index.html")
    table = re.search(r'<table class="jx-table jx-stack" id="jx-ranking".*?</table>', home, re.S).group(0)
    assert table.count('<th scope="row">') == 3
    assert "2024 年度各单位自评结果（3 个）" in home
    assert re.search(r'<a href="2023/">2023</a>', home)
    year = read(site, "2023/index.html")
    assert "2023 年度各单位自评结果（3 个）" in year
    assert 'href="../2023/示例镇01/"' in year
    bars = re.findall(
        r'<span class="jx-hbar jx-w-(\d+)"></span><span class="jx-hbar-value">(\d+)</span>', home
    )
    assert sum(int(n) for _, n in bars) == 3 and "100" in [w for w, _ in bars]


def test_directory_groups_units_by_kind(demo):
    _, site = demo
    directory = read(site, "units/index.html")
    for kind in ("乡镇", "街道", "部门"):
        assert f">{kind}</a>（1 个）" in directory
        hub = read(site, f"units/{kind}/index.html")
        assert "2023</a> · " in hub  # links to every year of the unit


def test_nav_stays_short(demo):
    _, site = demo
    about = read(site, "about/index.html")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', about, re.S).group(0)
    assert "示例镇01" not in nav and "示例局03" not in nav


def test_unit_page_has_peers_history_and_summary(demo):
    _, site = demo
    page = read(site, "2024/示例镇01/index.html")
    assert "历年对比" in page and "相近单位" not in page  # one 乡镇 a year: no peer of the same kind
    assert 'href="../../2023/示例镇01/"' in page
    figures = json.loads(read(site, "2024/示例镇01/figures.json"))
    assert {"trend-money", "trend-rates"} <= set(figures)
    summary = json.loads(read(site, "2024/示例镇01/summary.json"))
    assert summary["slug"] == "2024/示例镇01" and summary["dims"] and summary["progress"]


def test_peers_are_same_kind_and_nearest_budget():
    def unit(slug, kind, budget):
        return UnitSummary(slug, slug, slug, kind, 2024, budget, budget, 100, 90, "优", 1, 1, 1, 0, 0, 10)

    units = [
        unit("a", "乡镇", 100),
        unit("b", "乡镇", 150),
        unit("c", "乡镇", 1000),
        unit("d", "部门", 101),
        unit("e", "乡镇", 90),
        unit("f", "乡镇", 400),
    ]
    near = peers(units)
    assert [p.slug for p in near["a"]] == ["e", "b", "f"]
    assert near["d"] == []


def test_indicator_names_are_grouped_ignoring_punctuation():
    assert normalised_name("村、社区劝导员人数") == normalised_name("村社区劝导员人数 ")
    assert normalised_name("乡（镇）出勤率") == normalised_name("乡(镇)出勤率")


def _expanded(data: dict) -> dict:
    """The explorer's rows as explorer.js restores them: texts from their numbers, the key where left out."""
    rows = []
    for r in data["rows"]:
        r = r if len(r) == 10 else [*r, r[3]]
        rows.append([data["texts"][v] if c in TEXT_COLUMNS and v is not None else v for c, v in enumerate(r)])
    return {**data, "rows": rows}


def test_explorer_data_holds_every_indicator(demo):
    data_dir, site = demo
    data = _expanded(json.loads(read(site, "indicators/data.json")))
    expected = sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8"))["indicators"])
        for p in data_dir.glob("*/*/evaluation.yaml")
    )
    assert len(data["rows"]) == expected > 0
    assert len(data["units"]) == 6
    # Each row says what the unit's data says, texts and figures alike.
    written = sorted(
        (
            path.parent.parent.name,
            i["level1"],
            i["level2"],
            i["name"],
            i.get("op"),
            i["target"],
            i.get("unit"),
            i["actual"],
        )
        for path in data_dir.glob("*/*/evaluation.yaml")
        for i in yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]
    )
    shown = sorted(
        (str(data["units"][r[0]][2]), r[1], r[2], r[3], r[4], r[5], r[6] or None, r[7]) for r in data["rows"]
    )
    assert shown == written
    assert {r[8] for r in data["rows"]} <= {"达成", "未达成", "定性", "无法判定"}
    page = read(site, "indicators/index.html")
    shared = re.search(r"多个单位共有的指标.*?<tbody>(.*?)</tbody>", page, re.S).group(1)
    names = {r[9] for r in data["rows"]}
    shared_names = [n for n in names if len({r[0] for r in data["rows"] if r[9] == n}) > 1]
    assert shared.count("<tr>") == min(len(shared_names), 200) > 0


def test_open_data_downloads(demo):
    _, site = demo
    for name in ("units.csv", "indicators.csv", "scores.csv", "findings.csv"):
        assert (site / "open-data" / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    evaluations = json.loads(read(site, "open-data/evaluations.json"))
    book = openpyxl.load_workbook(io.BytesIO((site / "open-data" / "jixiao-data.xlsx").read_bytes()))
    assert book.sheetnames == ["单位", "绩效指标", "自评打分", "数据核对"]
    assert book["单位"].max_row - 1 == len(evaluations) == 6
    assert book["绩效指标"].max_row - 1 == sum(len(e["indicators"]) for e in evaluations)
    assert book["自评打分"].max_row - 1 == sum(len(e["scores"]["items"]) for e in evaluations)
    schema = json.loads(read(site, "open-data/evaluation.schema.json"))
    assert schema["title"] == "Evaluation" and "indicators" in schema["properties"]
    page = read(site, "open-data/index.html")
    assert "数据字典" in page and "许可与引用" in page and "indicators.csv" in page


def test_compare_page_lists_every_unit_without_javascript(demo):
    _, site = demo
    page = read(site, "compare/index.html")
    table = re.search(r'<table class="jx-table jx-stack" id="jx-compare-all".*?</table>', page, re.S).group(0)
    assert table.count('<th scope="row">') == 6
    assert json.loads(read(site, "compare/units.json"))[0][0].startswith("2024/")


def test_demo_figures_are_plausible(tmp_path):
    """Whole people and times, satisfaction and other rates at most 100 %, a time limit within the year."""
    from jixiao.demo import write_demo

    checked = {"whole": 0, "percent": 0, "month": 0}
    for folder in write_demo(tmp_path, 30, [2023, 2024]):
        data = yaml.safe_load((folder / "evaluation.yaml").read_text(encoding="utf-8"))
        for ind in data["indicators"]:
            unit, values = ind.get("unit"), [ind["target"], ind["actual"]]
            if unit in ("人", "人次", "次", "个"):
                assert all(isinstance(v, int) for v in values), ind
                checked["whole"] += 1
            elif unit == "%":
                assert all(0 <= v <= 100 for v in values), ind
                checked["percent"] += 1
            elif unit == "月":
                assert all(isinstance(v, int) and 1 <= v <= 12 for v in values), ind
                checked["month"] += 1
        staffing = data["staffing"]
        assert all(isinstance(v, int) for k, v in staffing.items() if k != "authorized_by_type")
    assert min(checked.values()) > 10, checked


def test_directory_links_every_unit_directly(demo):
    """单位目录 lists every unit of each kind with a link to its latest year, not only the kinds."""
    _, site = demo
    page = read(site, "units/index.html")
    links = re.findall(r'<a href="\.\./(2024/[^"/]+)/">', page)
    assert sorted(links) == ["2024/示例局03", "2024/示例街道02", "2024/示例镇01"]


def test_citation_gives_the_data_date_not_a_download_date(demo):
    page = read(demo[1], "open-data/index.html")
    assert "数据更新于" in page and "数据下载于" not in page


def test_tab_titles_name_the_site_once(demo):
    home = read(demo[1], "index.html")
    assert re.search(r"<title>(.*?)</title>", home).group(1) == "示例县预算绩效自评公开（演示数据）"
    unit = read(demo[1], "2024/示例镇01/index.html")
    assert (
        re.search(r"<title>(.*?)</title>", unit).group(1)
        == "示例镇01 2024 年绩效自评 - 示例县预算绩效自评公开（演示数据）"
    )


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def h1_of(page: Path) -> str:
    return text_of(re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S).group(1)).rstrip(
        "¶"
    )


def target_of(site: Path, page: str, href: str) -> Path:
    """The file a relative link on ``page`` (a folder's index.html) leads to."""
    return ((site / page).parent / href / "index.html").resolve()


def test_comparison_with_one_unit_says_so_and_shows_its_table_open(built_site):
    page = read(built_site, "compare/index.html")
    lead = re.search(r'<p class="jx-lead">(.*?)</p>', page).group(1)
    assert text_of(lead) == (
        "比较需要至少两份自评，本站目前只有 1 份：渠县宝城镇人民政府 2024 年。其他单位的自评公开后，可以在这里并排比较。"
    )
    (href,) = re.findall(r'<a href="([^"]+)">', lead)
    assert (
        target_of(built_site, "compare/index.html", href) == (built_site / "2024/宝城镇/index.html").resolve()
    )
    # No picker to choose two from; the one unit's figures are shown at once, not behind a click.
    assert "jx-compare-form" not in page and 'id="jx-compare"' not in page
    assert '<details class="jx-all" open>' in page
    assert "<summary>展开全部 1 份自评的主要指标（可排序、查找）</summary>" in page


def test_comparison_of_many_units_offers_the_picker_and_folds_the_table(demo):
    _, site = demo
    page = read(site, "compare/index.html")
    lead = text_of(re.search(r'<p class="jx-lead">(.*?)</p>', page).group(1))
    assert lead.startswith("选 2—4 个单位（可以是不同年度）并排查看") and "已预先选好同类单位" in lead
    # The picker needs the script: on screen from the first paint when it runs, hidden by the style sheet when it
    # does not (test_browser's test_pickers_need_javascript_…); the table of every unit is folded under its summary.
    assert '<form class="jx-compare-form" method="get" data-defaults=' in page
    # The boxes start from the first listed unit and units of its kind and year (the demo has one of each kind).
    defaults = html.unescape(re.search(r'data-defaults="([^"]*)"', page).group(1))
    assert json.loads(defaults) == [["2024/示例镇01", "示例镇01（2024，乡镇）"]]
    assert page.count('role="combobox"') == 4 and page.count('<input type="hidden" name="u" value="">') == 4
    assert '<details class="jx-all">' in page and '<details class="jx-all" open>' not in page
    # The table is there for a browser without JavaScript; with it, the script builds the table when it is opened.
    assert re.search(
        r'<noscript class="jx-all-table">\s*<div class="jx-filter".*</table></div>\s*</noscript>', page, re.S
    )
    assert "<summary>展开全部 6 份自评的主要指标（可排序、查找）</summary>" in page


def test_unit_page_crumbs_lead_home_to_the_directory_and_the_kind(demo):
    _, site = demo
    unit = "2024/示例镇01/index.html"
    crumbs = re.search(
        r'<nav class="jx-crumbs" aria-label="当前位置"><ol>(.*?)</ol></nav>', read(site, unit), re.S
    )
    items = re.findall(r'<li( aria-current="page")?>(.*?)</li>', crumbs.group(1))
    assert [text_of(item) for _, item in items] == ["首页", "单位目录", "乡镇", "示例镇01", "2024"]
    assert [bool(current) for current, _ in items] == [False, False, False, False, True]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs.group(1))
    assert [name for _, name in links] == ["首页", "单位目录", "乡镇"]
    headings = [h1_of(target_of(site, unit, href)) for href, _ in links]
    assert headings == ["示例县预算绩效自评公开（演示数据）", "单位目录", "乡镇（1 个）"]


def test_year_switcher_leads_to_the_same_unit_in_its_other_year(demo):
    _, site = demo
    names = {
        "示例镇01": "示例县示例镇01人民政府",
        "示例街道02": "示例县示例街道02办事处",
        "示例局03": "示例县示例局03",
    }
    checked = 0
    for unit in names:
        for year, other in (("2024", "2023"), ("2023", "2024")):
            page = f"{year}/{unit}/index.html"
            nav = re.search(r'<nav class="jx-years" aria-label="年度">(.*?)</nav>', read(site, page)).group(1)
            assert text_of(nav) == "其他年度：2023 · 2024"
            assert f'<strong aria-current="page">{year}</strong>' in nav
            (href,) = re.findall(rf'<a href="([^"]+)">{other}</a>', nav)
            target = target_of(site, page, href)
            assert target == (site / other / unit / "index.html").resolve()
            assert h1_of(target) == f"{names[unit]} {other} 年预算绩效自评"
            checked += 1
    assert checked == 6
