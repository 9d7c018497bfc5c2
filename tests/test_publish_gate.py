"""The publish gate: personal data planted in every part of real files is blocked, with the part named and the
value masked; what cannot be scanned is withheld unless released, and the page says which and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao.checks import Context, check_evaluation
from jixiao.forms import read_file, read_original
from jixiao.location import Location
from jixiao.privacy import mask

from . import planting
from .conftest import SEED

PERSONAL = {"personal-id", "personal-mobile", "personal-email", "personal-bank-card"}
BUILDERS = {
    "xlsx": planting.planted_xlsx,
    "docx": planting.planted_docx,
    "xls": planting.planted_xls,
    "html-xls": planting.planted_html,
    "pdf": planting.planted_pdf,
}
FIGURES: dict[str, tuple[int, int]] = {}


def personal_findings(seed, path: Path, original: bool = False):
    read = (read_original if original else read_file)(path, str(path))
    texts = [(Location(str(path), part="文件名"), path.name), *read.texts]
    ctx = Context(seed, str(path.parent), texts=texts)
    return [f for f in check_evaluation(ctx) if f.rule in PERSONAL], read


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_personal_data_planted_in_every_part_is_blocked_with_its_part_named(kind, seed, tmp_path):
    folder = tmp_path / "2024" / "宝城镇"
    folder.mkdir(parents=True)
    plants = BUILDERS[kind](folder)
    [path] = [p for p in folder.iterdir()]
    found, _ = personal_findings(seed, path, original=kind == "pdf")
    lines = {f.line(): f for f in found}
    blocked = 0
    for value, part_words in plants.items():
        hits = [f for f in found if mask(value.lower() if "@" in value else value) in f.message]
        assert len(hits) == 1, (value, part_words, list(lines))
        shown = hits[0].line() + " " + hits[0].location.words()
        assert all(word in shown for word in part_words), (part_words, shown)
        assert hits[0].severity == "error"
        blocked += 1
    # Never printed whole, not in the terminal line and not in the words a page shows.
    for f in found:
        assert not any(value in f.line() or value in f.location.words() for value in plants)
    assert len(plants) >= 4 and blocked == len(plants)
    FIGURES[kind] = (len(plants), blocked)


def test_planted_figures(capsys):
    """The figures for the report: planted and blocked per kind of file (run after the tests above)."""
    if len(FIGURES) < len(BUILDERS):
        pytest.skip("needs the planting tests of this module")
    with capsys.disabled():
        for kind, (planted, blocked) in FIGURES.items():
            print(f"\nplanted personal data: {kind}: {planted} planted, {blocked} blocked")
        total = sum(p for p, _ in FIGURES.values()), sum(b for _, b in FIGURES.values())
        print(f"planted personal data: total {total[0]} planted, {total[1]} blocked")
    assert total[0] == total[1] > 40


def test_a_planted_report_stops_the_build_and_nothing_is_published(tmp_path, capsys):
    from jixiao.cli import main

    folder = tmp_path / "data" / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    plants = planting.planted_docx(folder)
    site = tmp_path / "site"
    assert main(["build", "--data", str(tmp_path / "data"), "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert err.count("[personal-") >= len(plants)
    assert "自评报告.docx: 第 1 节首页页眉: 发现" in err
    assert not any(value in err for value in plants)
    assert not site.exists()


def test_pictures_and_pages_without_text_are_withheld_and_listed(seed, tmp_path):
    folder = tmp_path / "2024" / "宝城镇"
    folder.mkdir(parents=True)
    (folder / "扫描件.pdf").write_bytes(planting.simple_pdf(["", "Page two"]))
    (folder / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    _, scanned = personal_findings(seed, folder / "扫描件.pdf", original=True)
    assert scanned.unscanned == ["第 1 页没有文字层（可能是扫描件），无法检查"]
    _, picture = personal_findings(seed, folder / "照片.jpg", original=True)
    assert picture.unscanned == ["图片：无法检查图中是否有个人信息"]
    _, report = personal_findings(seed, SEED / "自评报告.docx")
    assert report.unscanned and "图片" in report.unscanned[0]


def test_the_gate_sees_a_pdf_s_notes_pictures_and_attachments(seed, tmp_path):
    """The gate reads a PDF through the table reader's own parse: a note's text is scanned where it stands; a page
    with a picture and an attached file withhold the original."""
    from jixiao.forms.pdf_source import read_pdf

    note = planting.planted_value()
    path = tmp_path / "附件.pdf"
    path.write_bytes(
        planting.simple_pdf(
            ["Page one", "Page two"], notes={2: f"call {note}"}, picture_on={1}, attachment=True
        )
    )
    read = read_original(path, str(path))
    ctx = Context(seed, str(tmp_path), texts=read.texts)
    [hit] = [f for f in check_evaluation(ctx) if f.rule in PERSONAL and mask(note) in f.message]
    assert "第 2 页" in hit.line() and "批注" in hit.line() and note not in hit.line()
    assert read.unscanned == ["第 1 页含图片，无法检查图中文字", "含附件（嵌入的文件），无法检查其内容"]
    # The reader's parse carries the same texts for the gate: a PDF read as data is not parsed a second time.
    parsed = read_pdf(path.read_bytes(), str(path))
    assert [t for _, t in parsed.texts if note in t] and parsed.unscanned == read.unscanned


def generated(data: Path) -> dict[str, str | bytes]:
    from jixiao import site

    out: dict[str, str | bytes] = {}
    site.forget()
    site.generate(data, out.__setitem__, lambda path, text: None)
    return out


def test_withheld_originals_stay_off_the_site_and_released_ones_say_why(tmp_path):
    import yaml

    data = tmp_path / "data"
    folder = data / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    (folder / "扫描件.pdf").write_bytes(planting.simple_pdf(["", ""]))
    (folder / "现场照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    unit["released_files"] = [{"file": "现场照片.jpg", "reason": "照片为会议现场全景，已人工核对无个人信息"}]
    (folder / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    out = generated(data)
    published = sorted(p.rsplit("/", 1)[1] for p in out if "/原始文件/" in p)
    # The report (pictures) is withheld too now that unit.yaml no longer releases it.
    assert published == ["打分表.xls", "现场照片.jpg", "自评表.xlsx"]
    page = out["2024/宝城镇/index.md"]
    assert '扫描件.pdf<br><small class="jx-withheld">（未公开）</small>' in page
    assert "原件未在本站公开：第 1—2 页没有文字层（可能是扫描件），无法检查。" in page
    assert '自评报告.docx<br><small class="jx-withheld">（未公开）</small>' in page
    assert "经单位人工核对后公开：照片为会议现场全景，已人工核对无个人信息" in page
    assert 'href="原始文件/%E6%89%AB' not in page  # no link to a withheld file


def test_a_release_naming_no_withheld_file_is_an_error(tmp_path):
    import yaml

    from jixiao.findings import InvalidData
    from jixiao.load import load_unit_with_origins

    folder = tmp_path / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    unit["released_files"].append({"file": "自评表.xlsx", "reason": "多余的登记"})
    unit["released_files"].append({"file": "不存在.pdf", "reason": "拼写错误"})
    (folder / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        load_unit_with_origins(folder)
    assert [(f.rule, f.location.field, f.message) for f in err.value.findings] == [
        ("unknown-release", "released_files[2].file", "“自评表.xlsx”已全部检查，无须登记"),
        ("unknown-release", "released_files[3].file", "“不存在.pdf”不在本单位目录中（文件名是否有误？）"),
    ]


def test_a_mobile_used_as_a_file_name_blocks_and_is_shown_masked(tmp_path, capsys):
    from jixiao.cli import main

    data = tmp_path / "data"
    folder = data / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    (folder / "张三１３９１２３４５６７８.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    assert main(["check", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert f"{folder}/张三139****5678.png: 文件名: 发现手机号 139****5678" in out
    assert "１３９１２３４５６７８" not in out and "13912345678" not in out
