"""Reports made the ways real ones are: heading styles, automatic numbering, no bold at all, long headings.

The seed fixture is built with the same bold-and-short rule the reader uses to find headings, so it cannot show that
rule failing; these documents are made differently, with wordings from shared/realdata (徐闻、丰都、岳阳、南县).
"""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jixiao.forms import import_files


def sections_of(path) -> list[tuple[str, int]]:
    report = import_files([path]).data["report"]
    return [(s["heading"], s["level"]) for s in report["sections"]]


def test_headings_marked_only_by_heading_styles(tmp_path):
    """Word's 标题 1 / 标题 2 styles with the numbering left to Word (not typed in the text)."""
    doc = Document()
    doc.add_paragraph("下桥镇人民政府2024年度绩效自评报告", style="Title")
    doc.add_paragraph("单位基本情况", style="Heading 1")
    doc.add_paragraph("机构核定编制107人,无下属二级预算单位。")
    doc.add_paragraph("绩效目标", style="Heading 2")
    doc.add_paragraph("核心绩效目标:资金支出率≥98%、支出及时率≥97%、工作质量达标率≥98%。")
    doc.add_paragraph("评价依据", style="Heading 2")
    doc.add_paragraph("《预算法》《财政支出绩效评价管理暂行办法》及上级绩效工作通知。")
    path = tmp_path / "报告.docx"
    doc.save(path)
    assert sections_of(path) == [("单位基本情况", 1), ("绩效目标", 2), ("评价依据", 2)]
    report = import_files([path]).data["report"]
    assert report["title"] == "下桥镇人民政府2024年度绩效自评报告"
    assert report["sections"][0]["text"] == "机构核定编制107人,无下属二级预算单位。"


def test_numbered_headings_with_no_bold_and_no_style(tmp_path):
    doc = Document()
    doc.add_paragraph("丰都县江池镇人民政府2023年度绩效自评报告")
    for text in (
        "一、基本情况",
        "江池镇在2023年开展了林业有害生物防治、农村公路养护等102个项目。",
        "（一）预算情况",
        "2023年度丰都县江池镇年初预算1848.31万元,全年(调整)预算数3587.78万元。",
        "二、评价结论",
        "1.存在问题",
        "一是项目前期论证不够充分。二是资金拨付进度偏慢。",
    ):
        doc.add_paragraph(text)
    path = tmp_path / "报告.docx"
    doc.save(path)
    assert sections_of(path) == [
        ("一、基本情况", 1),
        ("（一）预算情况", 2),
        ("二、评价结论", 1),
        ("1.存在问题", 3),
    ]
    report = import_files([path]).data["report"]
    assert report["problems"] == ["一是项目前期论证不够充分。", "二是资金拨付进度偏慢。"]


def test_long_headings_in_heading_styles_are_headings(tmp_path):
    long = "（一）部门（单位）基本情况、主要职能、人员编制及年度重点工作任务完成情况"
    assert len(long) > 30
    doc = Document()
    doc.add_paragraph("一、部门（单位）概况", style="Heading 1")
    doc.add_paragraph(long, style="Heading 2")
    doc.add_paragraph("人员编制128人，实有人数185人。")
    path = tmp_path / "报告.docx"
    doc.save(path)
    assert sections_of(path) == [("一、部门（单位）概况", 1), (long, 2)]


def _numbered(paragraph, level: int = 0) -> None:
    """Give a paragraph Word's automatic list numbering (w:numPr), as a numbered list item has."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "1")
    num_pr.append(ilvl)
    num_pr.append(num_id)
    p_pr.append(num_pr)


def test_numbered_list_items_stay_list_items_under_their_heading(tmp_path):
    doc = Document()
    doc.add_paragraph("四、存在问题")
    for text in ("项目资金共2179万元,已完成拨付2113.63万元,执行率97%。", "绩效目标设置不够细化。"):
        _numbered(doc.add_paragraph(text))
    doc.add_paragraph("五、改进建议")
    doc.add_paragraph("加强预算绩效管理。")
    path = tmp_path / "报告.docx"
    doc.save(path)
    report = import_files([path]).data["report"]
    assert [(s["heading"], s["level"]) for s in report["sections"]] == [
        ("四、存在问题", 1),
        ("五、改进建议", 1),
    ]
    assert report["sections"][0]["text"] == (
        "- 项目资金共2179万元,已完成拨付2113.63万元,执行率97%。\n\n- 绩效目标设置不够细化。"
    )


def test_a_legacy_word_report_is_read_through_libreoffice(tmp_path):
    """Portals attach .doc files: with LibreOffice installed (CI installs it) they read like a .docx."""
    import shutil
    import subprocess

    import pytest

    from jixiao.forms.legacy import soffice

    if soffice() is None:
        if __import__("os").environ.get("JIXIAO_REQUIRE_BROWSER"):
            pytest.fail("CI installs LibreOffice (libreoffice-writer-nogui) to test .doc reports")
        pytest.skip("LibreOffice is not installed")
    doc = Document()
    doc.add_paragraph("一、部门基本情况")
    doc.add_paragraph("核定编制56人，实有人数49人。")
    doc.add_paragraph("二、部门资金收支情况")
    doc.add_paragraph("年初预算收入1,354.29万元，调整后预算1,599.38万元。")
    made = tmp_path / "made"
    made.mkdir()
    doc.save(made / "报告.docx")
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(made / "报告.docx"),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    legacy = tmp_path / "报告.doc"
    assert legacy.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real OLE .doc, not a renamed .docx
    shutil.rmtree(made)
    report = import_files([legacy]).data["report"]
    assert [s["heading"] for s in report["sections"]] == ["一、部门基本情况", "二、部门资金收支情况"]
    stated = {s["field"]: s["value"] for s in report["stated"]}
    assert stated["funds.initial_budget"] == 1354.29 and stated["funds.final_budget"] == 1599.38


def test_without_libreoffice_a_legacy_word_report_is_named_as_unread(tmp_path, monkeypatch, capsys):
    """A machine without LibreOffice: `jixiao check` names the .doc it could not read and says what to do; the
    unit's other files are still read and nothing stops the build."""
    import os
    import shutil
    import subprocess

    import pytest

    from jixiao.cli import main
    from jixiao.forms import legacy

    from .conftest import SEED

    program = legacy.soffice()
    if program is None:  # the real .doc is made by LibreOffice, here, from the seed's report
        if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
            pytest.fail("CI installs LibreOffice (libreoffice-writer-nogui) to test .doc reports")
        pytest.skip("LibreOffice is not installed")
    unit = tmp_path / "data" / "2024" / "宝城镇"
    shutil.copytree(SEED, unit)
    subprocess.run(
        [program, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc"]
        + ["--outdir", str(unit), str(unit / "自评报告.docx")],
        capture_output=True,
        timeout=180,
        check=True,
    )
    (unit / "自评报告.docx").unlink()
    assert (unit / "自评报告.doc").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    settings = unit / "unit.yaml"  # its released_files entry names the report
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("自评报告.docx", "自评报告.doc"), encoding="utf-8"
    )

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    assert main(["check", "--data", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        f"{unit / '自评报告.doc'}: 旧版 Word/WPS 文件：本机没有 LibreOffice，无法读取内容（原件是否公开，由个人信息检查决定）；"
        "请另存为 .docx，或安装 LibreOffice 后重试 [legacy-word-unread]"
    ) in out
    # The workbooks were read as ever: their notes are there, and the unread report is no error.
    assert any(line.startswith(f"{unit / '自评表.xlsx'}:Sheet1!") for line in out)
    assert out[-1] == "检查完毕：1 个单位，0 处错误，0 处需核对，5 条提示。"
