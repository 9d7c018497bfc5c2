"""Reader behaviours found with the held-out corpus (tests/fixtures/heldout): each quirk in isolation."""

from __future__ import annotations

import pytest

from jixiao.forms import import_files
from jixiao.forms.cell_text import clean_name, is_template_name, parse_flag, split_label
from jixiao.forms.cells import parse_measure

from .test_forms import make_xlsx


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("□辖区道路养护里程", "辖区道路养护里程"),
        ("☑农村低保资金发放及时率", "农村低保资金发放及时率"),
        ("£群众满意度", "群众满意度"),  # Wingdings' □ exported as text
        ("R 环境整治村屯数", "环境整治村屯数"),  # Wingdings' ☑
        ("口腔健康检查覆盖率", "口腔健康检查覆盖率"),  # 口 is a word here, not a box
        ("R&D投入强度", "R&D投入强度"),
    ],
)
def test_checkbox_residue_is_not_part_of_a_name(cell, name):
    assert clean_name(cell) == (name, False)


@pytest.mark.parametrize(
    ("cell", "flag"),
    [
        ("是", True),
        ("否", False),
        ("R是 £否", True),
        ("£是 R否", False),
        ("☑是 □否", True),
        ("□是 ☑否", False),
    ]
    + [("√", True), (None, None), ("口是 口否", False)],
)
def test_yes_no_cells_and_their_ticked_option(cell, flag):
    assert parse_flag(cell) == flag


@pytest.mark.parametrize(
    ("label", "name", "points"),
    [
        ("产出指标（30分，自评得分29分）", "产出指标", 30),
        ("效益指标(20分,自评得分19.5分)", "效益指标", 20),
        ("履职效能（15分）", "履职效能", 15),
        ("(50分)", None, 50),
    ],
)
def test_scores_written_inside_a_level_label(label, name, points):
    assert split_label(label) == (name, points)


@pytest.mark.parametrize("cell", ["l00%", "1OO%", "2 95%", "IO"])
def test_ocr_damage_is_kept_as_printed_with_a_doubt(cell):
    measure = parse_measure(cell)
    assert measure.value == cell and measure.op is None and measure.doubt


@pytest.mark.parametrize("cell", ["（≥**人）", "(≥**%)", "（200字以内）"])
def test_template_guidance_in_a_cell_is_no_value(cell):
    assert parse_measure(cell).value is None and is_template_name(clean_name("□" + cell)[0])


HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "标准分", "自评分", "是否核心指标"]


def test_subtotal_rows_neither_end_the_table_nor_become_indicators(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            HEADER,
            ["产出指标", "数量指标", "救助人次", "≥1500人次", "1620人次", 10, 10, "R是 £否"],
            [None, "小计", None, None, None, 10, 10, None],
            ["效益指标", "社会效益指标", "基本生活保障率", "=100%", "100%", 20, 20, "£是 R否"],
            [None, "小计", None, None, None, 20, 20, None],
            ["合计", None, None, None, None, 30, 30, None],
            ["备注：本表为示例", None, None, None, None, None, None, None],
        ],
        merges=["A2:A3", "B3:E3", "A4:A5", "B5:E5"],
    )
    indicators = import_files([path]).data["indicators"]
    assert [(i["level1"], i["name"], i["weight"], i["score"]) for i in indicators] == [
        ("产出指标", "救助人次", 10, 10),
        ("效益指标", "基本生活保障率", 20, 20),
    ]
    # 标准分 / 自评分 are 分值 / 得分; 是否核心指标 marks the core indicator.
    assert [i.get("core", False) for i in indicators] == [True, False]


def test_a_doubtful_target_is_not_declared_qualitative_and_its_cell_is_named(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [HEADER[:7], ["产出指标", "质量指标", "验收合格率", "l00%", "1OO%", 10, 10]],
    )
    imported = import_files([path])
    indicator = imported.data["indicators"][0]
    assert indicator["target"] == "l00%" and indicator["actual"] == "1OO%" and "op" not in indicator
    assert [(f.rule, f.location.cell) for f in imported.findings] == [
        ("doubtful-cell", "D2"),
        ("doubtful-cell", "E2"),
    ]


def test_a_score_over_its_weight_is_read_as_printed_with_a_warning(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx", [HEADER[:7], ["产出指标", "时效指标", "完成时间", "11月底前", "11月", 10, 12]]
    )
    imported = import_files([path])
    assert imported.data["indicators"][0]["score"] == 12
    assert [(f.rule, f.severity) for f in imported.findings] == [("score-over-max", "warning")]


def test_budget_split_under_the_total_as_其中(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["部门名称", "示例局"],
            [
                "年度预算情况（万元）",
                None,
                "年初预算数",
                "全年预算数",
                "全年执行数",
                "分值",
                "执行率",
                "得分",
            ],
            [None, "年度资金总额", 2356.8, 2689.45, 2601.22, 10, "96.72%", 9.67],
            [None, "其中：基本支出", 1520.3, 1580.1, 1578.9],
            [None, "项目支出", 836.5, 1109.35, 1022.32],
            HEADER[:7],
            ["产出指标", "数量指标", "办件量", "≥8000件", "8326件", 15, 15],
        ],
    )
    funds = import_files([path]).data["funds"]
    assert funds["by_nature"] == [
        {"name": "基本支出", "amount": 1578.9},
        {"name": "项目支出", "amount": 1022.32},
    ]


def test_project_funds_as_预算数_and_执行数(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["项目名称", "垃圾分类处理补助"],
            ["预算执行情况（万元）", "预算数", "执行数", "执行率"],
            [None, 360, 352.8, "98%"],
            ["序号", "指标名称", "指标性质", "目标值", "度量单位", "实际完成值", "得分系数", "是否核心指标"],
            [1, "覆盖小区数", "≥", 120, "个", 126, 1, "是"],
        ],
    )
    project = import_files([path]).data["projects"][0]
    assert project["funds"] == {"final_budget": 360, "expenditure": 352.8, "execution_rate": 98}
    assert project["indicators"][0]["core"] is True


def test_a_header_with_target_and_actual_sub_columns_is_no_scoring_sheet(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["项目名称", "新型职业农民培育"],
            ["一级指标", "二级指标", "三级指标", "年度目标", None, "实际完成", None, "分值", "得分"],
            [None, None, None, "指标值", "单位", "完成值", "单位", None, None],
            ["产出指标", "数量指标", "培训农民人数", "≥500", "人", 532, "人", 20, 20],
        ],
        merges=["A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:H3", "I2:I3"],
    )
    data = import_files([path]).data
    assert "scores" not in data
    assert data["projects"][0]["indicators"] == [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "培训农民人数",
            "op": "≥",
            "target": 500,
            "unit": "人",
            "weight": 20,
            "actual": 532,
            "score": 20,
        }
    ]


# --- the lines printed above a table: its money unit and its year ------------------------------------------------
def _project_table(name: str, amounts: tuple) -> str:
    initial, final, spent = amounts
    return (
        f"<table><tr><td>项目名称</td><td>{name}</td></tr>"
        "<tr><td rowspan=2>项目资金</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td></tr>"
        f"<tr><td>年度资金总额</td><td>{initial}</td><td>{final}</td><td>{spent}</td></tr>"
        "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td></tr>"
        "<tr><td>产出指标</td><td>数量指标</td><td>接待人次</td><td>≥8万人次</td><td>8.6万人次</td></tr></table>"
    )


def test_the_money_unit_printed_above_each_table_of_a_page(tmp_path):
    from .test_forms import _page

    path = tmp_path / "公开.html"
    body = (
        "<h1>示例局2023年度项目支出绩效自评结果公开</h1><p>附件1</p><p>单位：万元</p>"
        + _project_table("甲项目", (200, 200, 196))
        + "<p>附件2</p><p>单位：元</p>"
        + _project_table("乙项目", ("856,000.00", "856,000.00", "812,300.00"))
        + "<p>单位：万元</p>"
        + _project_table("丙项目", (45, 45, 45))
    )
    path.write_bytes(_page(body))
    imported = import_files([path])
    funds = [p["funds"] for p in imported.data["projects"]]
    assert funds == [
        {"initial_budget": 200, "final_budget": 200, "expenditure": 196},
        {"initial_budget": 85.6, "final_budget": 85.6, "expenditure": 81.23},
        {"initial_budget": 45, "final_budget": 45, "expenditure": 45},
    ]
    assert any("单位：元" in note and "换算为万元" in note for note in imported.sources[0]["notes"])


def test_the_money_unit_on_a_line_above_the_project_in_the_same_sheet(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["2023年度项目支出绩效自评表"],
            [None, None, None, None, "单位：元"],
            ["项目名称", "城乡居民医保补助"],
            ["项目资金", None, "年初预算数", "全年预算数", "全年执行数"],
            [None, "年度资金总额", "12,500,000.00", "13,200,000.00", "13,150,000.00"],
        ],
    )
    data = import_files([path]).data
    assert data["year"] == 2023
    assert data["projects"][0]["funds"] == {"initial_budget": 1250, "final_budget": 1320, "expenditure": 1315}


def test_the_year_and_unit_of_a_word_table_come_from_the_paragraphs_above_it(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评表（2023年度）")
    document.add_paragraph("单位：元")
    rows = [
        ["部门名称", "示例县统计局", None, None],
        ["年度预算", "年初预算数", "全年预算数", "全年执行数"],
        ["年度资金总额", "3,652,000", "3,986,000", "3,914,000"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "统计调查项目", "≥28项"],
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value or ""
    document.save(tmp_path / "自评表.docx")
    data = import_files([tmp_path / "自评表.docx"]).data
    assert data["year"] == 2023
    assert (data["funds"]["initial_budget"], data["funds"]["final_budget"]) == (365.2, 398.6)


def test_a_header_of_two_rows_repeated_on_the_next_pdf_page_is_dropped():
    """A table continued on the next page repeats its whole header (Word's and Chromium's repeated header rows)."""
    from jixiao.forms.pdf_source import _join

    def row(*texts):
        return [(t, (n, 0, n + 1, 1)) for n, t in enumerate(texts)]

    head = [row("一级指标", "三级指标", "年度指标值", ""), row("", "", "指标性质", "指标值")]
    first = [*head, row("产出指标", "道路保洁面积", "≥", "320")]
    second = [*head, row("效益指标", "绿化覆盖率", "≥", "40")]
    (grid,) = _join(
        [(1, 800, (0, 100, 500, 760), first, []), (2, 800, (0, 80, 500, 300), second, [])], "x.pdf"
    )
    assert [r[1] for r in grid.rows] == ["三级指标", None, "道路保洁面积", "绿化覆盖率"]


# --- report sentences in other provinces' words --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        ("年初预算数2,850.00万元，全年预算数3,256.78万元。", "funds.initial_budget", 2850),
        ("2023年年初预算为2,150.00万元。", "funds.initial_budget", 2150),
        ("年初预算为2,150.00万元，调整预算2,480.35万元。", "funds.final_budget", 2480.35),
        ("全年执行数3,198.62万元，预算执行率98.21%。", "funds.expenditure", 3198.62),
        ("调整预算2,480.35万元，实际支出2,396.12万元。", "funds.expenditure", 2396.12),
        ("其中：一般公共预算拨款2,986.45万元。", "funds.by_source[一般公共预算财政拨款].amount", 2986.45),
        ("本单位编制人数38人，实有人数41人。", "staffing.authorized", 38),
        ("本单位编制人数38人，实有人数41人。", "staffing.funded", 41),
        ("本部门2023年度部门整体支出绩效自评得分为96.5分。", "scores.total", 96.5),
    ],
)
def test_report_sentences_in_other_words(sentence, field, value):
    from jixiao.forms.statements import extract_statements

    stated = {s["field"]: s["value"] for s in extract_statements([{"heading": "", "text": sentence}])}
    assert stated[field] == value


def test_the_three_public_spending_is_not_the_units_spending():
    from jixiao.forms.statements import extract_statements

    text = "“三公”经费预算12.50万元，实际支出9.86万元。"
    stated = {s["field"]: s["value"] for s in extract_statements([{"heading": "", "text": text}])}
    assert stated == {"funds.three_public.budget": 12.5, "funds.three_public.actual": 9.86}


def test_a_reports_year_comes_from_its_title(tmp_path):
    from .test_forms import _page

    path = tmp_path / "报告.html"
    body = "<h1>示例局2023年度部门整体支出绩效评价报告</h1><p><strong>一、基本情况</strong></p><p>本单位编制人数38人。</p>"
    path.write_bytes(_page(body))
    assert import_files([path]).data["year"] == 2023


def test_tasks_end_where_the_next_part_of_the_form_begins(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["部门名称", "示例县审计局"],
            ["年度主要任务", "任务名称", "主要内容"],
            [None, "审计项目", "完成审计项目35个。"],
            ["年度总体目标", "依法履行审计监督职责。"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "完成审计项目数", "≥35个"],
        ],
        merges=["A2:A3"],
    )
    data = import_files([path]).data
    assert data["tasks"] == [{"name": "审计项目", "content": "完成审计项目35个。"}]


def test_the_year_in_a_scoring_sheets_title(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["部门整体支出绩效自评打分表（2023年度）"],
            ["评价单位：示例局"],
            ["一级指标", "二级指标", "三级指标", "标准分", "评分标准", "自评分"],
            ["决策（15分）", "目标设定（6分）", "绩效目标合理性", 3, "依据充分得3分", 3],
        ],
    )
    data = import_files([path]).data
    assert data["year"] == 2023 and data["scores"]["items"][0]["score"] == 3


def test_a_lost_level1_cell_is_read_from_the_family_and_said(tmp_path):
    """A 一级 cell split by a page break comes back empty: 社会效益指标 does not belong under 产出指标 but under
    效益指标, and the source notes say it was read so."""
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["产出指标", "数量指标", "清运量", "≥4.5万吨", "4.62万吨"],
            [None, "质量指标", "无害化处理率", "=100%", "100%"],
            [None, "社会效益指标", "投诉下降率", "≥10%", "12.4%"],
            [None, "可持续影响指标", "设施完好率", "≥95%", "98%"],
            [None, "服务对象满意度指标", "群众满意度", "≥90%", "93%"],
        ],
    )
    imported = import_files([path])
    levels = [i.get("level1") for i in imported.data["indicators"]]
    assert levels == ["产出指标", "产出指标", "效益指标", "效益指标", "满意度指标"]
    assert imported.sources[0]["notes"] == [
        "工作表“Sheet1” › A4 单元格：一级指标单元格为空（多为分页处断开的合并单元格），按二级指标“社会效益指标”读作“效益指标”",
        "工作表“Sheet1” › A6 单元格：一级指标单元格为空（多为分页处断开的合并单元格），按二级指标“服务对象满意度指标”读作“满意度指标”",
    ]


def test_a_scoring_table_nested_by_numbering_in_one_column(tmp_path):
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["评价指标", "分值", "评分标准", "得分"],
            ["一、部门决策", 25, None, 23],
            ["（一）目标任务", 15, None, 15],
            ["1.相关性", 5, "与职能相符得5分", 5],
            ["（二）预算编制", 10, None, 8],
            ["2.测算依据", 5, "依据充分得5分", 4],
            ["合计", 30, None, 9],
        ],
    )
    scores = import_files([path]).data["scores"]
    assert scores["total"] == 9
    assert scores["items"] == [
        {"level1": "部门决策", "level1_max": 25, "level2": "目标任务", "level2_max": 15, "name": "相关性"}
        | {"max": 5, "score": 5, "explanation": "与职能相符得5分"},
        {"level1": "部门决策", "level1_max": 25, "level2": "预算编制", "level2_max": 10, "name": "测算依据"}
        | {"max": 5, "score": 4, "explanation": "依据充分得5分"},
    ]


@pytest.mark.parametrize(
    "labels",
    [
        # 2017 部门整体支出绩效评价得分表: the points inside the labels, one 得分 column, levels by numbering …
        ["一、部门决策（25分）", "（一）目标任务（15分）", "1.相关性（5分）", "2.明确性（10分）"]
        + ["（二）预算编制（10分）", "3.测算依据（10分）", "二、部门管理（20分）", "4.资金管理（20分）"],
        # … or by the cell's indentation only, which no reader sees: the rows without a score are the headings.
        ["部门决策（25分）", "目标任务（15分）", "相关性（5分）", "明确性（10分）"]
        + ["预算编制（10分）", "测算依据（10分）", "部门管理（20分）", "资金管理（20分）"],
    ],
)
def test_a_2017_score_table_with_the_points_inside_its_labels(tmp_path, labels):
    scores = [None, None, 5, 8, None, 6, None, 17]
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [["2017年部门整体支出绩效评价得分表", None], ["评价指标", "得分"]]
        + [[label, score] for label, score in zip(labels, scores, strict=True)]
        + [["总分", 36]],
    )
    read = import_files([path]).data["scores"]
    assert read["total"] == 36
    assert [(i["level1"], i["level2"], i["name"], i["max"], i["score"]) for i in read["items"]] == [
        ("部门决策", "目标任务", "相关性", 5, 5),
        ("部门决策", "目标任务", "明确性", 10, 8),
        ("部门决策", "预算编制", "测算依据", 10, 6),
        ("部门管理", "部门管理", "资金管理", 20, 17),
    ]


def test_percentages_stored_as_fractions_are_read_as_the_sheet_shows_them(tmp_path):
    """Excel keeps 95% as 0.95 under a percent number format; the reader sees 95 with the unit %, as printed."""
    import openpyxl

    from jixiao.forms import import_files

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["部门整体支出绩效目标完成情况自评表"],
        ["部门名称", "示例局"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "实际完成值"],
        ["产出指标", "质量指标", "验收合格率", "≥", 0.95, None, 10, 0.955],
        ["产出指标", "数量指标", "培训次数", "≥", 5, "次", 10, 6],
    ):
        sheet.append(row)
    sheet["E4"].number_format = "0%"
    sheet["H4"].number_format = "0.0%"
    sheet["G4"].number_format = '0"分"'  # not a percentage: stays 10
    book.save(tmp_path / "表.xlsx")
    first, second = import_files([tmp_path / "表.xlsx"]).data["indicators"]
    assert (first["target"], first["unit"], first["actual"], first["weight"]) == (95, "%", 95.5, 10)
    assert (second["target"], second["unit"], second["actual"]) == (5, "次", 6)


def test_a_percent_sign_inside_quotes_is_not_a_percent_format():
    from jixiao.forms.number_formats import percent_styles

    styles = (
        b'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0&quot;%&quot;"/>'
        b'<numFmt numFmtId="165" formatCode="0.0%"/></numFmts>'
        b'<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="9"/></cellXfs>'
        b"</styleSheet>"
    )
    assert percent_styles(styles) == {2, 3}


def test_an_actual_written_in_万元_against_a_target_in_元_is_judged_in_元(tmp_path):
    from jixiao.metrics import indicator_status
    from jixiao.model import Indicator

    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["成本指标", "经济成本指标", "户均补助标准", "≤5000元", "0.6万元"],  # 6,000 元: over the ceiling
            [None, None, "人均培训成本", "≤300元", "0.02万元"],  # 200 元: within it
        ],
    )
    imported = import_files([path])
    first, second = imported.data["indicators"]
    assert (first["target"], first["actual"], first["unit"]) == (5000, 6000, "元")
    assert indicator_status(Indicator.model_validate(first)) == "未达成"
    assert indicator_status(Indicator.model_validate(second)) == "达成"
    # What was converted is said where the source notes are shown, at its cell.
    notes = imported.sources[0]["notes"]
    assert any("E2" in n and "0.6万元 换算为 6000元" in n for n in notes), notes


def test_an_actual_column_headed_实际完成情况_is_no_project_result(tmp_path):
    """重庆's flat list heads its actual column 实际完成情况, a label that elsewhere introduces the project's 完成情况:
    the first indicator's "3个" must not become the project's result."""
    path = make_xlsx(
        tmp_path / "t.xlsx",
        [
            ["2023年度项目绩效目标自评表"],
            ["项目名称", "场镇环境整治"],
            ["序号", "指标名称", "是否核心指标", "预期指标值", "实际完成情况", "标准分", "得分系数", "评分"],
            [1, "整治场镇数量", "是", "=3个", "3个", 30, 1, 30],
            [2, "群众满意度", "否", "≥90%", "88%", 20, 0.9, 18],
        ],
    )
    project = import_files([path]).data["projects"][0]
    assert "goal_result" not in project
    assert [(i["name"], i["actual"]) for i in project["indicators"]] == [
        ("整治场镇数量", 3),
        ("群众满意度", 88),
    ]


def _print_pdf(html_text: str, path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content(html_text)
        page.pdf(path=str(path), format="A4")
        browser.close()


UNRULED = """<html><head><meta charset="utf-8"><style>body{{font-family:"Droid Sans Fallback",sans-serif}}
td{{padding:2px 8px}}</style></head><body><table>
<tr><td>项目名称</td><td colspan="4">乡村道路维护</td></tr>
<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td></tr>
<tr><td>产出指标</td><td>数量指标</td><td>维护里程</td><td>≥20公里</td><td>22公里</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td{style}>{name}</td><td>≥90%</td><td>95%</td></tr>
</table></body></html>"""


def test_a_pdf_table_without_ruling_lines_is_read_by_the_alignment_of_its_words(tmp_path, printed_pdfs):
    if not printed_pdfs:
        pytest.skip("Chromium prints the PDF (required in CI)")
    path = tmp_path / "无框线.pdf"
    _print_pdf(UNRULED.format(style="", name="群众满意度"), path)
    project = import_files([path]).data["projects"][0]
    assert project["name"] == "乡村道路维护"
    assert [(i["level1"], i["name"], i["op"], i["target"], i["actual"]) for i in project["indicators"]] == [
        ("产出指标", "维护里程", "≥", 20, 22),
        ("满意度指标", "群众满意度", "≥", 90, 95),
    ]


def test_an_unruled_pdf_table_whose_cells_wrap_is_refused_not_half_read(tmp_path, printed_pdfs):
    from jixiao.findings import InvalidData

    if not printed_pdfs:
        pytest.skip("Chromium prints the PDF (required in CI)")
    path = tmp_path / "折行.pdf"
    _print_pdf(UNRULED.format(style=' style="width:40px"', name="受益群众对道路维护工作的满意度"), path)
    with pytest.raises(InvalidData) as raised:
        import_files([path])
    assert [f.line() for f in raised.value.findings] == [
        f"{path}: 第 1 页: 这张表没有框线，且单元格内的文字折行：分不清哪些行属于同一指标，未读取；"
        "请提供 Excel 原件或带框线的 PDF [unmapped-table]"
    ]


def test_an_unruled_wrapping_table_beside_a_readable_one_is_a_warning_not_silence(tmp_path, printed_pdfs):
    if not printed_pdfs:
        pytest.skip("Chromium prints the PDF (required in CI)")
    path = tmp_path / "两页.pdf"
    ruled = UNRULED.format(style="", name="群众满意度").replace("td{{", "td{{border:1px solid #000;")
    wrapped = UNRULED.format(style=' style="width:40px"', name="受益群众对道路维护工作的满意度")
    body = ruled.split("<body>")[1].split("</body>")[0] + '<div style="break-before:page"></div>'
    _print_pdf(wrapped.replace("<body>", "<body>" + body), path)
    imported = import_files([path])
    assert [p["name"] for p in imported.data["projects"]] == ["乡村道路维护"]
    assert [(f.rule, f.severity, f.location.part) for f in imported.findings] == [
        ("unmapped-table", "warning", "第 2 页")
    ]


def test_percentages_stored_as_fractions_in_a_binary_xls_are_read_as_shown(tmp_path):
    """The same under a legacy .xls's percent format (BIFF's style records): 0.955 is shown, and read, as 95.5%."""
    import xlwt

    from jixiao.metrics import indicator_status
    from jixiao.model import Indicator

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    percent = xlwt.easyxf(num_format_str="0.0%")
    rows = [
        ["部门整体支出绩效目标完成情况自评表"],
        ["部门名称", "示例局"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "实际完成值"],
        ["产出指标", "质量指标", "验收合格率", "≥", 0.95, None, 10, 0.955],
        [None, "数量指标", "培训人次", "≥", 200, "人次", 10, 230],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            styled = isinstance(value, float) and r == 3
            sheet.write(r, c, value, percent) if styled else sheet.write(r, c, value)
    path = tmp_path / "自评表.xls"
    book.save(str(path))
    first, second = import_files([path]).data["indicators"]
    assert (first["target"], first["actual"], first["unit"]) == (95, 95.5, "%")
    assert indicator_status(Indicator.model_validate(first)) == "达成"
    assert (second["target"], second["actual"], second["unit"]) == (
        200,
        230,
        "人次",
    )  # plain numbers untouched
