"""The canonical model of one evaluation: one unit (预算单位) in one year.

Every field declares its type, constraints, unit and a Chinese title; the data-format page (数据格式) is generated
from these declarations, so the documentation and the code cannot drift. Money is in 万元, rates in percent
(45.9 means 45.9%). Unknown fields are errors: a typo must never vanish silently.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from jixiao.limits import MAX_AMOUNT, MAX_NUMBER

WAN = {"unit": "万元"}
PCT = {"unit": "%"}
PERSONS = {"unit": "人"}

Money = Annotated[float, Field(ge=0, le=MAX_AMOUNT, json_schema_extra=WAN)]
# Strict comparisons (> <) stay strict: a target ">95" is not met by 95.
Op = Literal["≥", ">", "≤", "<", "=", "定性"]
UnitKind = Literal["乡镇", "街道", "部门", "其他"]
# int first: a whole number stays as written (5, not 5.0) in JSON and downloads.
Value = int | float | str


# C0 control characters other than tab and line breaks, DEL, and the non-characters: never in a real text, and a
# NUL in a unit's name would pass the checks only to break a spreadsheet writer at the end of the build.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


class Strict(BaseModel):
    """Base of every part: unknown fields are an error; NaN, infinity, absurd figures and control characters too."""

    model_config = ConfigDict(extra="forbid", frozen=False, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _plain(cls, value):
        _check_plain(value)
        return value


def _check_plain(value) -> None:
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(f"含控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），请删除")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"数值不能是 {value}（NaN 或无穷大）")
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"数值 {value:g} 超出合理范围（绝对值不超过 {MAX_NUMBER:g}）")
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_plain(key)
            _check_plain(item)


class Unit(Strict):
    name: str = Field(min_length=1, title="单位全称", description="预算单位的全称，如“渠县宝城镇人民政府”。")
    short_name: str | None = Field(
        None, min_length=1, title="简称", description="页面与导航使用的简称；与数据目录名一致，如“宝城镇”。"
    )
    kind: UnitKind = Field(title="单位类型", description="乡镇、街道、部门或其他，用于分组与比较。")
    county: str | None = Field(None, title="所属县（市、区）")
    city: str | None = Field(None, title="所属市（州）")
    province: str | None = Field(None, title="所属省份")


class Staffing(Strict):
    authorized: int | None = Field(None, ge=0, title="核定编制人数", json_schema_extra=PERSONS)
    authorized_by_type: dict[str, Annotated[int, Field(ge=0)]] | None = Field(
        None,
        title="分类编制",
        description="按编制类型（行政、事业、工勤……）的编制人数。",
        json_schema_extra=PERSONS,
    )
    funded: int | None = Field(None, ge=0, title="实际财政供养人数", json_schema_extra=PERSONS)
    active: int | None = Field(None, ge=0, title="在职人数", json_schema_extra=PERSONS)
    retired: int | None = Field(None, ge=0, title="退休人数", json_schema_extra=PERSONS)
    contract: int | None = Field(None, ge=0, title="长期聘用人数", json_schema_extra=PERSONS)
    note: str | None = Field(None, title="说明", description="原文对人员情况的补充说明。")


class Amount(Strict):
    name: str = Field(min_length=1, title="项目名称")
    amount: Money = Field(title="金额")
    share: float | None = Field(
        None,
        ge=0,
        le=100,
        title="所述占比",
        description="原文写明的占比（不是重新计算的）。",
        json_schema_extra=PCT,
    )


class Progress(Strict):
    month: int = Field(ge=1, le=12, title="截至月份", description="累计至该月末，如 6 表示 1—6 月。")
    amount: Money = Field(title="累计支出")
    rate: float | None = Field(None, ge=0, title="所述执行率", json_schema_extra=PCT)


class ThreePublic(Strict):
    budget: Money | None = Field(None, title="“三公”经费预算")
    actual: Money | None = Field(None, title="“三公”经费实际支出")


Year = Annotated[int, Field(ge=1990, le=2100)]


class GeneralExpenditure(Strict):
    year: Year | None = Field(None, title="本年年度", description="报告写明的“本年”是哪一年，如 2024。")
    year_prev: Year | None = Field(None, title="上年年度", description="报告写明的“上年”是哪一年，如 2023。")
    budget: Money | None = Field(None, title="本年预算安排")
    budget_prev: Money | None = Field(None, title="上年预算安排")
    actual: Money | None = Field(None, title="本年决算")
    actual_prev: Money | None = Field(None, title="上年决算")
    budget_change_rate: float | None = Field(
        None, title="所述预算压减率", description="原文写明的预算压减率（压减为正）。", json_schema_extra=PCT
    )
    actual_change_rate: float | None = Field(
        None, title="所述决算增长率", description="原文写明的决算增长率（增长为正）。", json_schema_extra=PCT
    )


class Funds(Strict):
    initial_budget: Money | None = Field(None, title="年初预算")
    adjustment: float | None = Field(None, title="中期调整", description="可为负数。", json_schema_extra=WAN)
    final_budget: Money = Field(title="调整后预算")
    fiscal_funds: Money | None = Field(None, title="财政拨款", description="自评表表头的“财政拨款”。")
    other_funds: Money | None = Field(None, title="其他资金")
    by_source: list[Amount] = Field(
        default_factory=list, title="收入来源", description="按预算类别（“两本”）。"
    )
    expenditure: Money | None = Field(None, title="决算支出")
    by_nature: list[Amount] = Field(
        default_factory=list, title="支出按性质", description="基本支出、项目支出。"
    )
    by_economic: list[Amount] = Field(
        default_factory=list, title="支出按经济分类", description="人员经费、公用经费、项目支出。"
    )
    execution_rate: float | None = Field(None, ge=0, title="所述预算执行率", json_schema_extra=PCT)
    execution_max: float | None = Field(
        None,
        ge=0,
        title="预算执行分值",
        description="自评表资金栏“分值”：预算执行率一项的满分（通常 10 分）。",
    )
    execution_score: float | None = Field(
        None, ge=0, title="预算执行得分", description="自评表资金栏“得分”：预算执行率一项的自评得分。"
    )
    execution_progress: list[Progress] = Field(default_factory=list, title="支出执行进度")
    three_public: ThreePublic | None = Field(None, title="“三公”经费")
    general_expenditure: GeneralExpenditure | None = Field(None, title="一般性支出")
    carryover: Money | None = Field(None, title="年末结转结余")


class Assets(Strict):
    year: Year | None = Field(None, title="本年年度", description="报告写明的人均占有资产所属年度。")
    year_prev: Year | None = Field(None, title="上年年度", description="报告写明的上年人均占有资产所属年度。")
    per_capita: Money | None = Field(None, title="人均占有资产")
    per_capita_prev: Money | None = Field(None, title="上年人均占有资产")
    per_capita_change_rate: float | None = Field(None, title="所述人均资产变化率", json_schema_extra=PCT)
    utilization_rate: float | None = Field(None, ge=0, le=100, title="固定资产利用率", json_schema_extra=PCT)
    idle_over_one_year: int | None = Field(None, ge=0, title="闲置一年以上资产数量")


class ProjectGroup(Strict):
    name: str = Field(min_length=1, title="项目类别", description="如“常年项目”“阶段（一次性）项目”。")
    count: int = Field(ge=0, title="项目个数")
    amount: Money | None = Field(None, title="预算总金额")
    execution_rate: float | None = Field(None, ge=0, title="所述执行进度", json_schema_extra=PCT)
    high_balance_count: int | None = Field(None, ge=0, title="结余率大于10%的项目数")


class FundCount(Strict):
    name: str = Field(min_length=1, title="预算类别")
    count: int = Field(ge=0, title="项目个数")


class NamedProject(Strict):
    name: str = Field(min_length=1, title="项目名称")
    fund: str | None = Field(None, title="预算类别")
    amount: Money | None = Field(None, title="金额")


class ProjectSummary(Strict):
    total: int | None = Field(None, ge=0, title="部门预算项目总数")
    groups: list[ProjectGroup] = Field(default_factory=list, title="按项目类别")
    by_fund: list[FundCount] = Field(default_factory=list, title="按预算类别")
    adjusted_count: int | None = Field(None, ge=0, title="调整预算的项目数")
    completed_count: int | None = Field(None, ge=0, title="完成数量指标的项目数")
    budget: Money | None = Field(None, title="项目预算安排", description="报告所述全部项目的预算合计。")
    expenditure: Money | None = Field(
        None, title="项目资金已使用", description="报告所述全部项目的支出合计。"
    )
    execution_rate: float | None = Field(None, ge=0, title="所述项目资金执行率", json_schema_extra=PCT)
    named: list[NamedProject] = Field(default_factory=list, title="报告点名的项目")


class Task(Strict):
    name: str = Field(min_length=1, title="任务名称")
    content: str = Field(title="主要内容")


class IndicatorPart(Strict):
    name: str = Field(min_length=1, title="分项名称", description="如“其中桃树种植面积”。")
    op: Op | None = Field(None, title="指标性质")
    target: Value | None = Field(None, title="指标值")
    unit: str | None = Field(None, title="度量单位")
    actual: Value | None = Field(None, title="实际完成值")


class Indicator(Strict):
    level1: str | None = Field(
        None, title="一级指标", description="产出指标、效益指标、满意度指标、成本指标……"
    )
    level2: str | None = Field(None, title="二级指标", description="数量指标、质量指标、时效指标……")
    name: str = Field(min_length=1, title="三级指标")
    op: Op | None = Field(
        None,
        title="指标性质",
        description=(
            "≥、>、≤、<、= 或 定性（录入时 >=、≧、＝、大于等于、不低于 等统一为 ≥ ≤ =；>、大于、高于、超过 仍为 >）。"
            "原表没有写明时不填：本站按指标类别的通常读法判定（成本指标按 ≤，其余按 ≥），并在数据核对中说明。"
        ),
    )
    target: Value | None = Field(None, title="指标值", description="数字（已去掉符号、单位、千分位）或文字。")
    unit: str | None = Field(None, title="度量单位")
    weight: float | None = Field(None, ge=0, title="权重（分值）")
    actual: Value | None = Field(None, title="实际完成值")
    score: float | None = Field(
        None, ge=0, title="得分", description="表中填报的该指标得分（项目支出绩效自评表常有）。"
    )
    core: bool = Field(False, title="核心指标", description="原表以 ★ 标注的核心指标。")
    note: str | None = Field(None, title="备注或偏差原因")
    parts: list[IndicatorPart] = Field(
        default_factory=list,
        title="其中",
        description="紧随其后、没有分值和得分的分项行（如“其中桃树种植面积”），不单独计分。",
    )


class ScoreItem(Strict):
    level1: str = Field(min_length=1, title="一级指标")
    level1_max: float | None = Field(None, ge=0, title="一级分值")
    level2: str = Field(min_length=1, title="二级指标")
    level2_max: float | None = Field(
        None, ge=0, title="二级分值", description="常写在标签里，如“履职效能（15分）”。"
    )
    name: str = Field(min_length=1, title="三级指标")
    max: float = Field(ge=0, title="指标分值")
    score: float = Field(ge=0, title="自评得分")
    explanation: str | None = Field(None, title="指标解释")
    note: str | None = Field(None, title="备注")


class Deduction(Strict):
    level1: str = Field(min_length=1, title="一级指标", description="通常为“扣分项”。")
    level1_max: float | None = Field(None, ge=0, title="扣分上限")
    name: str = Field(min_length=1, title="扣分项目")
    points: float | None = Field(None, ge=0, title="扣减分数", description="原表为“-”或空时不填。")
    explanation: str | None = Field(None, title="指标解释")


class Scores(Strict):
    total: float = Field(ge=0, le=100, title="评价得分", description="打分表写明的总分。")
    items: list[ScoreItem] = Field(default_factory=list, title="打分项目")
    deductions: list[Deduction] = Field(default_factory=list, title="扣分项")


class Section(Strict):
    heading: str = Field(
        min_length=1, title="标题", description="保留原文编号，如“一、部门（单位）基本情况”。"
    )
    level: int = Field(ge=1, le=4, title="层级", description="一、为 1；（一）为 2；1. 为 3；（1）为 4。")
    text: str = Field("", title="正文", description="段落之间空一行；列表项以“- ”开头。")
    tables: list[list[list[str]]] = Field(
        default_factory=list, title="表格", description="报告中的表格，逐行逐格。"
    )
    pictures: list[str] = Field(
        default_factory=list,
        title="图片",
        description="报告在本节嵌入的图片（文件名）；图片中的表格无法读取。",
    )


class Statement(Strict):
    field: str = Field(
        min_length=1,
        title="对应字段",
        description="如 funds.initial_budget、scores.items[预算编制质量].score。",
    )
    value: float = Field(title="所述数值")
    quote: str = Field(min_length=1, title="原文", description="报告中写明该数值的原句。")


class Report(Strict):
    title: str = Field(min_length=1, title="报告标题")
    sections: list[Section] = Field(default_factory=list, title="章节")
    problems: list[str] = Field(default_factory=list, title="存在问题")
    suggestions: list[str] = Field(default_factory=list, title="改进建议")
    stated: list[Statement] = Field(
        default_factory=list, title="报告所述数值", description="从报告标准句式中读出的数值，供与表格核对。"
    )


class Publication(Strict):
    date: dt.date = Field(title="公开日期")
    content: str = Field(min_length=1, title="公开内容")


class Source(Strict):
    file: str = Field(min_length=1, title="文件名")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", title="SHA-256")
    kind: str | None = Field(None, title="文件类型", description="如“部门整体支出绩效目标完成情况自评表”。")
    notes: list[str] = Field(default_factory=list, title="读取说明", description="如金额由元换算为万元。")
    withheld: str | None = Field(
        None,
        title="未公开原因",
        description="无法检查其中是否有个人信息的部分（图片、嵌入对象、没有文字层的页面、不认识的类型）：原件不上网。",
    )
    released: str | None = Field(
        None,
        title="公开理由",
        description="无法自动检查、经单位在 unit.yaml 的 released_files 中说明理由后公开。",
    )


class ReleasedFile(Strict):
    file: str = Field(min_length=1, title="文件名", description="单位目录中的原始文件名，如“自评报告.docx”。")
    reason: str = Field(
        min_length=2,
        title="理由",
        description="为什么可以公开，如“图片为自评表截图，已人工核对不含个人信息”。",
    )


class AllowedPersonalData(Strict):
    value: str = Field(min_length=5, title="号码", description="例如单位公开的办公手机号。")
    reason: str = Field(min_length=2, title="理由", description="为什么可以公开，如“办公室对外公开电话”。")


class Correction(Strict):
    field: str = Field(
        min_length=1, title="字段", description="如 funds.final_budget 或 indicators[3].actual。"
    )
    value: object = Field(title="更正后的值")
    reason: str = Field(min_length=2, title="更正理由")
    original: object | None = Field(None, title="文件中的值", description="导入时自动填写。")


class ProjectFunds(Strict):
    initial_budget: Money | None = Field(None, title="年初预算数")
    final_budget: Money | None = Field(None, title="全年预算数（调整后预算）")
    expenditure: Money | None = Field(None, title="全年执行数")
    execution_rate: float | None = Field(None, ge=0, title="执行率", json_schema_extra=PCT)
    max: float | None = Field(None, ge=0, title="分值（权重）")
    score: float | None = Field(None, ge=0, title="得分")


class Project(Strict):
    """One 项目支出绩效自评表."""

    name: str = Field(min_length=1, title="项目名称")
    department: str | None = Field(None, title="主管部门")
    implementer: str | None = Field(None, title="实施单位")
    funds: ProjectFunds | None = Field(None, title="项目资金")
    goal: str | None = Field(None, title="年度总体目标（预期目标）")
    goal_result: str | None = Field(None, title="实际完成情况")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    total_score: float | None = Field(None, ge=0, title="总分")


class Evaluation(Strict):
    """One unit's performance self-evaluation (绩效自评) for one year."""

    unit: Unit = Field(title="预算单位")
    year: int = Field(ge=2000, le=2100, title="年度")
    staffing: Staffing | None = Field(None, title="人员概况")
    funds: Funds = Field(title="资金收支")
    assets: Assets | None = Field(None, title="资产")
    project_summary: ProjectSummary | None = Field(None, title="部门预算项目概况")
    goal: str | None = Field(None, title="年度总体目标")
    tasks: list[Task] = Field(default_factory=list, title="年度主要任务")
    indicators: list[Indicator] = Field(default_factory=list, title="年度绩效指标")
    scores: Scores | None = Field(None, title="部门预算绩效自评打分表")
    report: Report | None = Field(None, title="自评报告")
    projects: list[Project] = Field(default_factory=list, title="项目支出绩效自评表")
    publications: list[Publication] = Field(default_factory=list, title="信息公开情况")
    sources: list[Source] = Field(default_factory=list, title="原始文件")
    personal_data_allowed: list[AllowedPersonalData] = Field(
        default_factory=list,
        title="允许公开的号码",
        description="个人信息检查会拦下手机号等号码；确属公开信息的，逐个登记并说明理由（不存在一键关闭检查）。",
    )
    released_files: list[ReleasedFile] = Field(
        default_factory=list,
        title="人工核对后公开的原件",
        description="含图片等无法自动检查的原件默认不公开；确认不含个人信息的，逐个登记文件名和理由后公开，页面显示理由。",
    )
    corrections: list[Correction] = Field(
        default_factory=list,
        title="更正记录",
        description="对原始文件数值的更正：字段、更正后的值、理由；页面公开显示。",
    )

    def canonical(self) -> dict:
        """The canonical JSON structure (as in evaluation.yaml): absent and default fields left out."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    @property
    def slug(self) -> str:
        """The page address below the site root: ``<year>/<short name>``."""
        return f"{self.year}/{self.unit.short_name or self.unit.name}"

    @property
    def display_name(self) -> str:
        return self.unit.short_name or self.unit.name


def _site_address(value: str) -> str:
    """The public address of the site: http(s) with a host; it names a folder, so it ends with “/”."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"应为网站的 http(s) 地址，如 https://portal.example/jixiao/；实际为 {value!r}")
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl()


class SiteInfo(Strict):
    """``site.yaml`` at the top of a data directory: what the whole site is."""

    title: str | None = Field(
        None, title="网站名称", description="如“渠县预算绩效自评公开”；缺省时按县名生成。"
    )
    county: str | None = Field(None, title="县（市、区）")
    demo: bool = Field(False, title="演示数据", description="为真时每一页都标明“演示数据（虚构）”。")
    licence: str | None = Field(None, title="数据许可", description="开放数据页显示的许可说明。")
    url: Annotated[str, AfterValidator(_site_address)] | None = Field(
        None,
        title="网站地址",
        description="网站发布后的地址，如 https://portal.example/jixiao/；404 页面据此找到样式和链接。"
        "命令行的 --site-url 优先。",
    )
