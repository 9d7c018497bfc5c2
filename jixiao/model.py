"""The canonical model of one evaluation: one unit (预算单位) in one year.

Every field declares its type, constraints, unit and a Chinese title; the data-format page (数据格式) is generated
from these declarations, so the documentation and the code cannot drift. Money is in 万元, rates in percent
(45.9 means 45.9%). Unknown fields are errors: a typo must never vanish silently.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from jixiao.model_base import PCT, Money, Op, Strict, UnitKind, Value
from jixiao.model_funds import Assets, Funds, ProjectSummary, Staffing


class Unit(Strict):
    name: str = Field(min_length=1, title="单位全称", description="预算单位的全称，如“渠县宝城镇人民政府”。")
    short_name: str | None = Field(
        None, min_length=1, title="简称", description="页面与导航使用的简称；与数据目录名一致，如“宝城镇”。"
    )
    kind: UnitKind = Field(title="单位类型", description="乡镇、街道、部门或其他，用于分组与比较。")
    county: str | None = Field(None, title="所属县（市、区）")
    city: str | None = Field(None, title="所属市（州）")
    province: str | None = Field(None, title="所属省份")


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
