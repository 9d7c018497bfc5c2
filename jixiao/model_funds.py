"""The money and people of one evaluation: staffing, the funds (budget, sources, structure, execution progress,
“三公” and general expenditure), assets, and the summary of the unit's budget projects. Money in 万元.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from jixiao.model_base import PCT, PERSONS, WAN, Money, Strict


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
