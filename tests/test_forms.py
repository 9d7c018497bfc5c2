"""Reading the official forms: the seed's files reproduce the transcription; each real-world quirk is understood."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jixiao.findings import InvalidData
from jixiao.forms import import_files
from jixiao.forms.cell_text import clean_name, is_template_name
from jixiao.forms.cells import parse_measure, parse_number, parse_op
from jixiao.load import load_unit
from jixiao.model import Evaluation

from .conftest import FIXTURES, SEED

IMPORT_ONLY = ("sources", "released_files")


def without_import_only(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k not in IMPORT_ONLY}
    data["report"] = {k: v for k, v in data["report"].items() if k != "stated"}
    return data


def test_seed_files_reproduce_the_hand_transcription():
    imported = load_unit(SEED).canonical()
    expected = Evaluation.model_validate(
        yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    )
    assert without_import_only(imported) == expected.canonical()
    assert [s["file"] for s in imported["sources"]] == ["打分表.xls", "自评报告.docx", "自评表.xlsx"]
    assert all(len(s["sha256"]) == 64 for s in imported["sources"])


@pytest.mark.parametrize("stem", ["自评表", "打分表"])
def test_legacy_xls_reads_like_xlsx(stem):
    xlsx = import_files([FIXTURES / f"{stem}.xlsx"]).data
    xls = import_files([FIXTURES / f"{stem}.xls"]).data
    assert xlsx == xls
    # The sheet was recognised and read whole: 49 indicators, or the 93.8-point scoring sheet.
    if stem == "自评表":
        assert len(xlsx["indicators"]) == 49 and xlsx["funds"]["final_budget"] == 1599.38
    else:
        assert xlsx["scores"]["total"] == 93.8 and len(xlsx["scores"]["items"]) == 25


def test_report_states_figures_with_their_sentences():
    stated = {s["field"]: s for s in import_files([FIXTURES / "自评报告.docx"]).data["report"]["stated"]}
    assert stated["funds.execution_progress[6].rate"]["value"] == 45.9
    assert "1-6月预算执行735.65万元，执行率45.9%" in stated["funds.execution_progress[6].rate"]["quote"]
    assert stated["scores.items[严控一般性支出].score"]["value"] == 2
    assert stated["project_summary.groups[常年项目].amount"]["value"] == 282.86
    assert stated["funds.general_expenditure.budget_prev"]["value"] == 74.91
    assert len(stated) >= 100


def test_report_headings_without_heading_styles():
    report = import_files([FIXTURES / "自评报告.docx"]).data["report"]
    levels = {s["heading"]: s["level"] for s in report["sections"]}
    assert levels["一、部门（单位）基本情况"] == 1
    assert levels["（2）机构职能"] == 2  # "（2）" written where "（二）" was meant
    assert levels["1.履职效能（15分）"] == 3
    assert levels["（1）预算编审履职效果（5分）"] == 4
    target = next(s for s in report["sections"] if s["heading"] == "（2）目标设置（4分）")
    assert target["text"].startswith("绩效目标制定科学合理")  # heading and text shared one paragraph


# --- cell values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "op", "value", "unit"),
    [
        ("≥50个", "≥", 50, "个"),
        ("≤90万元", "≤", 90, "万元"),
        ("=8个", "=", 8, "个"),
        ("150万", None, 150, "万"),
        ("≥100百分比", "≥", 100, "%"),
        ("≥266米", "≥", 266, "米"),
        ("＝100", "=", 100, None),
        ("﹦5", "=", 5, None),
        ("≧3次", "≥", 3, "次"),
        ("≦2天", "≤", 2, "天"),
        ("１２３", None, 123, None),
        ("９０％", None, 90, "%"),
        ("1,059.39", None, 1059.39, None),
        ("大于等于95%", "≥", 95, "%"),
        ("&NULL&", None, None, None),
        ("完成", None, "完成", None),
        ("达成预期指标", None, "达成预期指标", None),
        ("9月前", "≤", 9, "月"),  # a deadline: by September
        ("12月底", "≤", 12, "月"),
        ("7月", None, 7, "月"),
        ("95%以上", "≥", 95, "%"),
        ("100人次以下", "≤", 100, "人次"),
        ("不低于90%", "≥", 90, "%"),
        ("控制在5%以内", "≤", 5, "%"),
        ("═100", "=", 100, None),
        (">=95%", "≥", 95, "%"),
        ("> 95%", ">", 95, "%"),
        ("54. 96", None, 54.96, None),  # a PDF's space inside a decimal
        ("1, 059.39万元", None, 1059.39, "万元"),
        ("≥１２", "≥", 12, None),
        ("5‰", None, 5, "‰"),
        ("達到95%", "≥", 95, "%"),  # traditional characters
        ("2023年12月31日前", None, "2023年12月31日前", None),
        ("2024年12月31日", None, "2024年12月31日", None),
        (12, None, 12, None),
        (466.7, None, 466.7, None),
        ("266米≥", "≥", 266, "米"),  # the sign typed after the unit
        ("5天<", "<", 5, "天"),
    ],
)
def test_parse_measure(cell, op, value, unit):
    measure = parse_measure(cell)
    assert (measure.op, measure.value, measure.unit) == (op, value, unit)


@pytest.mark.parametrize(
    ("cell", "op"),
    [
        ("≥", "≥"),
        (">=", "≥"),
        ("≧", "≥"),
        ("大于等于", "≥"),
        ("＝", "="),
        ("﹦", "="),
        ("≤", "≤"),
        ("≦", "≤"),
        ("小于等于", "≤"),
        ("定性", "定性"),
        ("正向", "≥"),
        ("反向", "≤"),
        (None, None),
    ],
)
def test_parse_op(cell, op):
    assert parse_op(cell) == op


@pytest.mark.parametrize(
    ("target", "actual", "compared", "note"),
    [
        ("≤5000元", "0.6万元", (5000, 6000, "元"), "0.6万元 换算为 6000元"),  # 6,000 元 misses the target
        ("≥1万人次", "12000人次", (1, 1.2, "万人次"), "12000人次 换算为 1.2万人次"),
        ("≥0.9", "95%", (90, 95, "%"), "0.9 按百分比读作 90%"),
        ("≥10个", "12个", (10, 12, "个"), None),  # same unit: nothing to do
        ("≥10个", "12人", (10, 12, "个"), None),  # different things: left for the reader to see
    ],
)
def test_an_actual_in_another_scale_of_the_target_unit_is_compared_in_the_target_unit(
    target, actual, compared, note
):
    from jixiao.forms.cells import reconcile

    t, a, said = reconcile(parse_measure(target), parse_measure(actual))
    assert (t.value, a.value, t.unit) == compared
    assert (note is None and said is None) or note in said


@pytest.mark.parametrize("cell", ["Q100%", "Q0", "IO", "1O"])
def test_damaged_cells_are_kept_as_text_with_a_doubt(cell):
    """A PDF's ≤ printed as Q, OCR's IO for 10: flagged for review, never guessed."""
    measure = parse_measure(cell)
    assert measure.value == cell and measure.doubt


def test_ordinary_words_raise_no_doubt():
    assert parse_measure("完成").doubt is None and parse_measure("OK").doubt is None


@pytest.mark.parametrize(
    ("cell", "name", "core"),
    [
        ("★指标1：便民服务中心入驻人数", "便民服务中心入驻人数", True),
        ("指标2：覆盖率", "覆盖率", False),
        (" 三级指标 ", "三级指标", False),
        ("1.完成率", "完成率", False),
    ],
)
def test_clean_name(cell, name, core):
    assert clean_name(cell) == (name, core)


@pytest.mark.parametrize("cell", ["指标2：", "……", "...", None, "指标3"])
def test_template_rows_are_not_indicators(cell):
    assert is_template_name(clean_name(cell)[0])


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


@given(
    amounts,
    st.sampled_from(["", "≥", "≤", "＝", "大于等于"]),
    st.sampled_from(["", "万元", "个", "%"]),
    st.booleans(),
    st.booleans(),
)
def test_numbers_survive_every_way_of_writing_them(amount, op, unit, grouped, full_width):
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    if full_width:
        text = text.replace(",", "").translate(FULL)
    measure = parse_measure(f"{op}{text}{unit}")
    assert measure.value == pytest.approx(float(amount))
    assert measure.op == (parse_op(op) if op else None)
    assert measure.unit == (unit or None)


def test_plain_numbers():
    assert parse_number("93.8分") == 93.8
    assert parse_number(" 1,599.38 ") == 1599.38
    assert parse_number("≥5") is None  # an operator makes it a target, not an amount


# --- variant workbooks -------------------------------------------------------------------------------------


def make_xlsx(path: Path, rows: list[list], merges: list[str] = (), sheet: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for merge in merges:
        ws.merge_cells(merge)
    book.save(path)
    return path


NATIONAL_TARGET = [
    ["部门整体支出绩效目标完成情况自评表"],
    ["（2024年度）"],
    [None, None, None, None, None, None, "单位：元"],
    ["部门名称", "示例县示例局"],
    ["年度部门整体支出预算", "资金总额", None, "财政拨款", None, "其他资金"],
    [None, 15993800, None, 15000000, None, "993,800"],
    ["目标", "完成年度工作任务。"],
    ["年度主要任务", "任务名称", "主要内容"],
    ["年度主要任务", "道路养护", "养护道路 100 公里。"],
    # 分值 before the target, no 指标性质 column: the operator is glued to the value.
    ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "偏差原因"],
    ["产出指标", "数量指标", "★指标1：养护道路长度", 10, "≥100公里", "≥108公里", None],
    [None, None, "指标2：", None, None, None, None],
    [None, None, "……", None, None, None, None],
    [None, "时效指标", "完成时间", 5, "9月前", "完成", None],
    [None, "质量指标", "验收合格率", 5, "＝１００％", "98%", "一段路面返工"],
    ["成本指标", "经济成本指标", "其中：人员经费", None, None, None, None],
    [None, None, "养护成本", 5, "≤90万元", "85万元", None],
    ["合计", None, None, 25, None, None, None],
]


def test_national_target_sheet_with_every_quirk(tmp_path):
    path = make_xlsx(tmp_path / "目标表.xlsx", NATIONAL_TARGET, merges=["A11:A14"])
    imported = import_files([path])
    data = imported.data
    assert data["year"] == 2024 and data["unit"]["name"] == "示例县示例局"
    # 元 converted to 万元, and said so.
    assert data["funds"] == {"final_budget": 1599.38, "fiscal_funds": 1500.0, "other_funds": 99.38}
    assert imported.sources[0]["notes"] == [
        "工作表“Sheet1” › G3 单元格：金额单位为元，已换算为万元（÷10000）"
    ]
    assert data["tasks"] == [{"name": "道路养护", "content": "养护道路 100 公里。"}]
    assert data["indicators"] == [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "养护道路长度",
            "op": "≥",
            "target": 100,
            "unit": "公里",
            "weight": 10,
            "actual": 108,
            "core": True,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "完成时间",
            "op": "≤",  # a deadline: by September
            "target": 9,
            "unit": "月",
            "weight": 5,
            "actual": "完成",
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "验收合格率",
            "op": "=",
            "target": 100,
            "unit": "%",
            "weight": 5,
            "actual": 98,
            "note": "一段路面返工",
        },
        {
            "level1": "成本指标",
            "level2": "经济成本指标",
            "name": "养护成本",
            "op": "≤",
            "target": 90,
            "unit": "万元",
            "weight": 5,
            "actual": 85,
        },
    ]


TWO_ROW_HEADER = [
    ["部门整体支出绩效目标完成情况自评表"],
    ["部门名称", "示例镇人民政府"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", None, None, "权重", "实际完成值"],
    [None, None, None, "指标性质", "指标值", "度量单位", None, None],
    ["满意度指标", "满意度指标", "群众满意度", "≥", 90, "%", 10, 95],
]


def test_two_row_header(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx", TWO_ROW_HEADER, merges=["D3:F3", "A3:A4", "B3:B4", "C3:C4", "G3:G4", "H3:H4"]
    )
    assert import_files([path]).data["indicators"] == [
        {
            "level1": "满意度指标",
            "level2": "满意度指标",
            "name": "群众满意度",
            "op": "≥",
            "target": 90,
            "unit": "%",
            "weight": 10,
            "actual": 95,
        }
    ]


SCORING_WITH_ERRORS = [
    ["部门预算绩效自评打分表"],
    ["一级指标", "二级指标", "三级指标", "指标分值", "指标解释", "自评得分", "备注"],
    ["评价得分", None, None, None, None, 12],
    ["总体绩效（10分）", "履职效能（10分）", "预算编审履职效果", 5, "编审情况", 6, None],
    [None, None, "预算执行履职效果", 5, None, "五", None],
]


def test_scoring_sheet_problems_name_their_cells_and_the_sheet_is_still_read(tmp_path):
    path = make_xlsx(tmp_path / "打分.xlsx", SCORING_WITH_ERRORS, sheet="打分表")
    imported = import_files([path])
    assert [f.line() for f in imported.findings] == [
        f"{path}:打分表!F4: 自评得分 6 超过分值 5（“预算编审履职效果”） [score-over-max]",
        f"{path}:打分表!F5: 自评得分应为数字，实际为 '五'，未读取 [invalid-number]",
    ]
    # A score over its maximum is read as printed (the score-range check judges it); one unreadable cell is no
    # lost file.
    assert [f.severity for f in imported.findings] == ["warning", "warning"]
    assert imported.data["scores"]["items"][0]["score"] == 6


def test_an_ocr_damaged_score_is_a_finding_on_its_cell_and_the_rest_is_read(tmp_path):
    rows = [row[:] for row in SCORING_WITH_ERRORS]
    rows[3][5], rows[4][5] = 5, "IO"
    path = make_xlsx(tmp_path / "打分.xlsx", rows, sheet="打分表")
    imported = import_files([path])
    assert [i["name"] for i in imported.data["scores"]["items"]] == ["预算编审履职效果", "预算执行履职效果"]
    (finding,) = imported.findings
    assert finding.line().startswith(
        f"{path}:打分表!F5: 自评得分应为数字，实际为 'IO'，未读取（字母与数字混杂"
    )
    assert finding.severity == "warning"


def test_scoring_maxima_from_labels(tmp_path):
    rows = [row[:] for row in SCORING_WITH_ERRORS]
    rows[3][5], rows[4][5] = 5, 4.5
    path = make_xlsx(tmp_path / "打分.xlsx", rows, merges=["A4:A5", "B4:B5"], sheet="打分表")
    scores = import_files([path]).data["scores"]
    assert scores["total"] == 12
    assert [
        (i["level1"], i["level1_max"], i["level2"], i["level2_max"], i["score"]) for i in scores["items"]
    ] == [("总体绩效", 10, "履职效能", 10, 5), ("总体绩效", 10, "履职效能", 10, 4.5)]


NATIONAL_PROJECT = [
    ["项目支出绩效自评表"],
    ["（2024年度）"],
    ["项目名称", "乡村道路维护"],
    ["主管部门", "示例县交通运输局", None, "实施单位", "示例镇人民政府"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 120, 114, 10, 0.95, 9.5],
    [None, "其中：当年财政拨款", 100, 120, 114, None, None, None],
    ["年度总体目标", "预期目标", None, None, "实际完成情况"],
    [None, "维护道路 50 公里", None, None, "维护道路 52 公里"],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [None, "产出指标", "数量指标", "指标1：维护里程", "≥50公里", "52公里", 40, 40, None],
    [None, None, "质量指标", "指标1：验收合格率", "100%", "98%", 20, 18, "雨季影响"],
    [None, "满意度指标", "服务对象满意度指标", "指标1：群众满意度", "≥90%", "93%", 30, 30, None],
    ["总分", None, None, None, None, None, 100, 97.5, None],
]


def test_project_sheet_national_template(tmp_path):
    path = make_xlsx(tmp_path / "项目.xlsx", NATIONAL_PROJECT, merges=["A5:A7", "A10:A13"])
    project = import_files([path]).data["projects"][0]
    assert project["name"] == "乡村道路维护"
    assert project["department"] == "示例县交通运输局" and project["implementer"] == "示例镇人民政府"
    assert project["funds"] == {
        "initial_budget": 100,
        "final_budget": 120,
        "expenditure": 114,
        "max": 10,
        "execution_rate": 95.0,
        "score": 9.5,
    }
    assert project["goal"] == "维护道路 50 公里" and project["goal_result"] == "维护道路 52 公里"
    assert [
        (i["name"], i.get("op"), i["target"], i["actual"], i["weight"], i["score"])
        for i in project["indicators"]
    ] == [
        ("维护里程", "≥", 50, 52, 40, 40),
        ("验收合格率", None, 100, 98, 20, 18),  # no operator written: none invented
        ("群众满意度", "≥", 90, 93, 30, 30),
    ]
    assert project["indicators"][1]["note"] == "雨季影响"
    assert project["total_score"] == 97.5


def test_project_sheet_sichuan_wording(tmp_path):
    rows = [row[:] for row in NATIONAL_PROJECT]
    rows[4] = ["项目资金（元）", None, "年初预算", "调整后预算数", "预算执行数", "权重", "预算执行率", "得分"]
    rows[5] = [None, "年度资金总额", 1000000, 1200000, 1140000, 10, "95%", 9.5]
    imported = import_files([make_xlsx(tmp_path / "项目.xlsx", rows)])
    assert imported.data["projects"][0]["funds"] == {
        "initial_budget": 100,
        "final_budget": 120,
        "expenditure": 114,
        "max": 10,
        "execution_rate": 95,
        "score": 9.5,
    }
    assert "已换算为万元" in imported.sources[0]["notes"][0]


def test_unrecognised_sheet_says_what_was_expected_and_found(tmp_path):
    path = make_xlsx(tmp_path / "其他.xlsx", [["序号", "姓名", "金额"], [1, "某某", 3]])
    with pytest.raises(InvalidData) as err:
        import_files([path])
    (finding,) = err.value.findings
    assert finding.rule == "missing-headers" and finding.location.terminal() == str(path)
    assert "应有“三级指标”“指标值”“实际完成值”" in finding.message
    assert "找到的是：序号、姓名、金额" in finding.message


def test_bad_files_are_all_reported_at_once(tmp_path):
    from jixiao.forms.legacy import soffice

    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    locked = tmp_path / "加密.xlsx"
    locked.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    doc = tmp_path / "报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InvalidData) as err:
        import_files([empty, corrupt, locked, doc, FIXTURES / "自评表.xlsx"])
    assert [(f.rule, f.location.terminal()) for f in err.value.findings] == [
        ("empty-file", str(empty)),
        ("unreadable-file", str(corrupt)),
        ("encrypted-file", str(locked)),
        # converted by LibreOffice where installed (this one is broken); else an info that it was not read
        ("unreadable-file" if soffice() else "legacy-word-unread", str(doc)),
    ]


def test_unchanged_files_are_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    first = import_files([FIXTURES / "打分表.xlsx"]).data
    assert len(list((tmp_path / "cache").iterdir())) == 1

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr("jixiao.forms.workbook.read_workbook", fail)
    assert import_files([FIXTURES / "打分表.xlsx"]).data == first


def test_report_with_heading_styles_lists_tables_and_pictures(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("示例局关于2024年绩效自评的报告")
    doc.add_heading("一、基本情况", level=1)
    doc.add_paragraph("本局下设 3 个科室。")
    doc.add_paragraph("负责道路养护", style="List Bullet")
    doc.add_paragraph("负责农村公路建设", style="List Bullet")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "金额（万元）"
    table.cell(1, 0).text, table.cell(1, 1).text = "道路养护", "120"
    doc.add_heading("（一）存在问题", level=2)
    doc.add_paragraph("一是预算编制不够精细。二是绩效目标不够量化。")
    path = tmp_path / "报告.docx"
    doc.save(path)
    report = import_files([path]).data["report"]
    assert report["title"] == "示例局关于2024年绩效自评的报告"
    first, second = report["sections"]
    assert (first["heading"], first["level"]) == ("一、基本情况", 1)
    assert first["text"] == "本局下设 3 个科室。\n\n- 负责道路养护\n\n- 负责农村公路建设"
    assert first["tables"] == [[["项目", "金额（万元）"], ["道路养护", "120"]]]
    assert (second["heading"], second["level"]) == ("（一）存在问题", 2)
    assert report["problems"] == ["一是预算编制不够精细。", "二是绩效目标不够量化。"]


def test_report_without_numbered_headings_is_an_error(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("这是一份通知，不是自评报告。")
    path = tmp_path / "通知.docx"
    doc.save(path)
    with pytest.raises(InvalidData) as err:
        import_files([path])
    assert [(f.rule, f.location.terminal()) for f in err.value.findings] == [("missing-headings", str(path))]


def test_scoring_sheet_with_a_score_column_per_level(tmp_path):
    rows = [
        ["部门预算绩效自评打分表"],
        ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "自评得分"],
        ["总体绩效", 20, "预算管理", 20, "预算编制质量", 8, 7],
        [None, None, None, None, "支出执行进度", 12, 12],
        ["评价得分", None, None, None, None, None, 19],
    ]
    path = make_xlsx(
        tmp_path / "打分.xlsx", rows, merges=["A3:A4", "B3:B4", "C3:C4", "D3:D4"], sheet="打分表"
    )
    scores = import_files([path]).data["scores"]
    assert scores["total"] == 19
    assert [(i["level1_max"], i["level2_max"], i["name"], i["max"], i["score"]) for i in scores["items"]] == [
        (20, 20, "预算编制质量", 8, 7),
        (20, 20, "支出执行进度", 12, 12),
    ]


def test_budget_amounts_to_the_right_of_their_labels(tmp_path):
    rows = [
        ["部门整体支出绩效目标完成情况自评表"],
        ["部门名称", "示例局"],
        ["资金总额", 320.5, "财政拨款", 300, "其他资金", 20.5],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "权重", "实际完成值"],
        ["产出指标", "数量指标", "培训次数", "≥", 2, 10, 3],
    ]
    data = import_files([make_xlsx(tmp_path / "t.xlsx", rows)]).data
    assert data["funds"] == {"final_budget": 320.5, "fiscal_funds": 300, "other_funds": 20.5}


def test_a_web_page_saved_as_xls_is_read_as_tables(tmp_path):
    """Finance systems export "xls" files that are HTML tables (often GB18030): read them like a workbook."""
    html = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
    <table border="1">
    <tr><td colspan="8">部门预算绩效自评打分表</td></tr>
    <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标分值</td><td>指标解释</td><td>自评得分</td><td>备注</td></tr>
    <tr><td>评价得分</td><td colspan="4"></td><td>9</td><td></td></tr>
    <tr><td rowspan="2">总体绩效（10分）</td><td rowspan="2">履职效能（10分）</td><td>预算编审履职效果</td><td>5</td>
        <td>编审情况</td><td>5</td><td></td></tr>
    <tr><td>预算执行履职效果</td><td>5</td><td></td><td>4</td><td>执行偏慢</td></tr>
    </table></body></html>"""
    path = tmp_path / "打分表.xls"
    path.write_bytes(html.encode("gb18030"))
    scores = import_files([path]).data["scores"]
    assert scores["total"] == 9
    assert [
        (i["level1"], i["level2"], i["name"], i["max"], i["score"], i.get("note")) for i in scores["items"]
    ] == [
        ("总体绩效", "履职效能", "预算编审履职效果", 5, 5, None),
        ("总体绩效", "履职效能", "预算执行履职效果", 5, 4, "执行偏慢"),
    ]


def test_html_spans_are_placed_once_and_cover_their_cells():
    """rowspan × colspan blocks cover every cell they span (anchored at their top-left); a span past the last
    row ends with the table; a 1,000-row export is read in one pass."""
    from jixiao.forms.html_tables import read_html_tables

    html = (
        "<table><tr><td rowspan=2 colspan=2>甲</td><td>乙</td></tr>"
        "<tr><td>丙</td></tr><tr><td>丁</td><td>戊</td><td rowspan=99>己</td></tr></table>"
    )
    (grid,) = read_html_tables(html.encode(), "t.xls")
    assert grid.rows == [["甲", "甲", "乙"], ["甲", "甲", "丙"], ["丁", "戊", "己"]]
    assert grid.where(1, 1).cell == "A1" and grid.where(2, 2).cell == "C3"
    body = "".join(f"<tr><td rowspan=2>{r}</td>" + "<td>x</td>" * 9 + "</tr>" for r in range(1000))
    (big,) = read_html_tables(f"<table>{body}</table>".encode(), "big.xls")
    assert big.height == 1000 and big.value(999, 0) == 998 and big.anchor(999, 0) == (998, 0)


# --- formats, headers, nothing dropped (#8) and money units, report numbers (#13 items 1–2) --------------------


@pytest.mark.parametrize(
    ("label", "factor"),
    [("（单位：元）", 1e-4), ("金额单位：千元", 0.1), ("单位:万元", 1), ("单位：元", 1e-4)],
)
def test_money_unit_stated_anywhere_is_converted_and_said(tmp_path, label, factor):
    rows = [
        ["部门整体支出绩效目标完成情况自评表", None, None, None, None, label],
        ["部门名称", "示例局"],
        ["资金总额", 1599380, "财政拨款", 1500000, "其他资金", 99380],
    ]
    imported = import_files([make_xlsx(tmp_path / "t.xlsx", rows)])
    assert imported.data["funds"]["final_budget"] == pytest.approx(1599380 * factor)
    assert bool(imported.sources[0].get("notes")) == (factor != 1)


def test_an_unknown_money_unit_is_a_finding(tmp_path):
    rows = [["部门整体支出绩效目标完成情况自评表", None, "单位：美元"], ["资金总额", 5]]
    with pytest.raises(InvalidData) as err:
        import_files([make_xlsx(tmp_path / "t.xlsx", rows)])
    assert [f.rule for f in err.value.findings] == ["unknown-money-unit"]


def test_report_figures_with_thousands_separators_and_full_width_digits():
    from jixiao.forms.statements import extract_statements

    text = "年初预算收入1,354.29万元，中期调整预算收入２４５.０９万元，调整后财政拨款收入1,599.38万元。项目资金共2179万元,已完成拨付2113.63万元,执行率97%。"
    stated = {s["field"]: s["value"] for s in extract_statements([{"heading": "", "text": text}])}
    assert stated["funds.initial_budget"] == 1354.29
    assert stated["funds.adjustment"] == 245.09
    assert stated["funds.final_budget"] == 1599.38
    # The issue's own sentence, half-width commas and all: the project money, what was paid out, and the rate.
    assert stated["project_summary.budget"] == 2179
    assert stated["project_summary.expenditure"] == 2113.63
    assert stated["project_summary.execution_rate"] == 97


def test_paid_out_and_a_rate_belong_only_to_the_project_money_they_follow():
    from jixiao.forms.statements import extract_statements

    text = "已完成拨付120万元，执行率40%。"  # whose money? nothing says, so nothing is read
    assert extract_statements([{"heading": "", "text": text}]) == []


@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        ("2024年度财政拨款收入合计2024.05万元(均为一般公共预算收入)。", "funds.fiscal_funds", 2024.05),
        ("项目预算安排5413.6672万元,项目资金已使用4601.6423万元。", "project_summary.budget", 5413.6672),
        ("本年年初预算收入13542900元。", "funds.initial_budget", 1354.29),  # 元 converted to 万元
        ("年初预算1848.31万元,全年(调整)预算数3587.78万元。", "funds.final_budget", 3587.78),
        ("項目資金執行率85%", "project_summary.execution_rate", 85),  # traditional characters
    ],
)
def test_report_wordings_beyond_the_sichuan_template(sentence, field, value):
    from jixiao.forms.statements import extract_statements

    stated = {s["field"]: s for s in extract_statements([{"heading": "", "text": sentence}])}
    assert stated[field]["value"] == pytest.approx(value)
    assert stated[field]["quote"] in sentence  # quoted as written


def _page(body: str, charset: str = "utf-8") -> bytes:
    nav = '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/x">信息公开</a></li></ul>'
    footer = '<div class="footer">主办单位：县政府办</div>'
    html = f'<html><head><meta charset="{charset}"></head><body>{nav}<div class="content">{body}</div>{footer}</body></html>'
    return html.encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset)


PROJECT_HEAD = (
    "<table><tr><td>项目名称</td><td>乡村道路维护</td></tr>"
    "<tr><td rowspan=3>项目资金（万元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td>"
    "<td>分值</td><td>执行率</td><td>得分</td></tr>"
    "<tr><td>年度资金总额：</td><td>0</td><td>0</td><td>0</td><td>10</td><td>0</td><td>0</td></tr>"
    "<tr><td>其中：本年财政拨款</td><td>50</td><td>48</td><td>48</td><td></td><td></td><td></td></tr></table>"
)
INDICATORS = (
    "<table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>年度指标值</td><td>全年实际值</td><td>得分</td></tr>"
    "<tr><td>产出指标</td><td>数量指标</td><td>养护道路长度</td><td>10</td><td>=8个</td><td>8</td><td>10</td></tr></table>"
)


def test_a_saved_page_with_the_project_block_and_indicators_as_two_tables(tmp_path):
    """The portal's navigation is not read; the indicator table continues the project above it; the zero total
    row gives way to 其中：本年财政拨款; "=8个" is a target of 8 个 with "="."""
    path = tmp_path / "公示.htm"
    path.write_bytes(_page(f"<h1>项目支出绩效自评表</h1>{PROJECT_HEAD}{INDICATORS}", "gbk"))
    imported = import_files([path])
    (project,) = imported.data["projects"]
    assert project["funds"] == {"initial_budget": 50, "final_budget": 48, "expenditure": 48, "max": 10}
    assert project["indicators"] == [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "养护道路长度",
            "op": "=",
            "target": 8,
            "unit": "个",
            "weight": 10,
            "actual": 8,
            "score": 10,
        }
    ]
    assert any("其中：本年财政拨款" in n for n in imported.sources[0]["notes"])


def test_an_indicator_table_alone_is_read_for_the_unit(tmp_path):
    path = tmp_path / "指标.html"
    path.write_bytes(_page(INDICATORS))
    assert import_files([path]).data["indicators"][0]["target"] == 8


def test_an_unmappable_evaluation_table_is_an_error_alone_and_a_warning_beside_usable_ones(tmp_path):
    odd = "<table><tr><td>考核内容</td><td>分值</td><td>得分</td></tr><tr><td>制度建设</td><td>5</td><td>5</td></tr></table>"
    alone = tmp_path / "alone.html"
    alone.write_bytes(_page(odd))
    with pytest.raises(InvalidData) as err:
        import_files([alone])
    (finding,) = err.value.findings
    assert finding.rule == "unmapped-table" and "找到的是：考核内容、分值、得分" in finding.message
    beside = tmp_path / "beside.html"
    beside.write_bytes(_page(PROJECT_HEAD + INDICATORS + odd))
    imported = import_files([beside])
    assert [(f.rule, f.severity) for f in imported.findings] == [("unmapped-table", "warning")]


def test_import_explain_says_how_each_table_was_recognised(tmp_path, capsys):
    from jixiao.cli import main

    path = tmp_path / "公示.html"
    path.write_bytes(_page(PROJECT_HEAD + INDICATORS))
    assert main(["import", "--explain", str(path)]) == 0
    err = capsys.readouterr().err
    assert "项目“乡村道路维护”" in err and "接续上一张表的项目“乡村道路维护”" in err
    assert "C → 三级指标（name）" in err and "E → 指标值（target）" in err


def test_import_explain_says_which_rows_were_not_taken_and_why(tmp_path, capsys):
    from jixiao.cli import main

    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["产出指标", "数量指标", "清运量", "≥4.5万吨", "4.62万吨"],
            [None, "质量指标", "指标1", None, None],
            [None, "小计", None, None, None],
            ["效益指标", "社会效益指标", "满意度", "≥90%", "95%"],
            ["合计", None, None, None, None],
            [None, None, "表外备注行", "1", "2"],
        ],
    )
    assert main(["import", "--explain", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "工作表“Sheet1” › 第 3 行：“指标1”是模板的占位名称，未作为指标读取" in err
    assert "工作表“Sheet1” › 第 4 行：小计行，不是指标" in err
    assert "工作表“Sheet1” › 第 6 行：合计（总分）行：指标表到此为止" in err


def test_a_pdf_without_a_text_layer_is_an_unread_original_with_a_warning(tmp_path, printed_pdfs):
    from jixiao.forms.pdf_source import read_pdf

    pdf = FIXTURES.parent / "realdata" / "files" / "01.pdf"
    if not printed_pdfs:
        pytest.skip("Chromium prints the PDF fixtures (required in CI)")
    assert not read_pdf(pdf.read_bytes(), "x").scanned
    blank = tmp_path / "扫描件.pdf"
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    doc.save(str(blank))
    read = import_files([blank])
    assert [f.rule for f in read.findings] == ["pdf-without-text"]
    assert read.sources[0]["kind"] == "原件（未读取内容）"
