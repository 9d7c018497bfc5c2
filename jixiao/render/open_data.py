"""The open-data page and its files: the whole dataset as CSV (UTF-8 with BOM), XLSX (a sheet per table) and
JSON, a JSON Schema of evaluation.yaml, a data dictionary generated from the model, and every original file."""

from __future__ import annotations

import json

from jixiao.collection import UnitSummary
from jixiao.gate import published
from jixiao.model import Evaluation, Indicator, ScoreItem
from jixiao.render.downloads import (
    INDICATOR_COLUMNS,
    SCORE_COLUMNS,
    STATUS_COLUMN,
    indicator_rows,
    indicators_table,
    score_rows,
    scores_table,
)
from jixiao.render.env import render
from jixiao.render.findings import FindingView
from jixiao.render.tabular import Table, csv_bytes, xlsx_bytes
from jixiao.reproducible import data_dates, source_date

UNIT_COLUMNS = {
    "单位": "预算单位全称",
    "简称": "单位简称（数据目录名）",
    "类型": "乡镇、街道、部门或其他",
    "年度": "自评年度",
    "调整后预算（万元）": "年初预算加中期调整后的全年预算",
    "决算支出（万元）": "全年实际支出",
    "预算执行率（%）": "决算支出 ÷ 调整后预算，本站计算",
    "自评得分": "部门预算绩效自评打分表的评价得分",
    "等级": "优 90—100，良 80—89.99，中 60—79.99，差 60 以下",
    "指标数": "年度绩效指标项数",
    "达成": "本站按指标性质判定为达成的指标数",
    "需核对": "数据核对中“需核对”的条数",
    "提示": "数据核对中“提示”的条数",
    "页面": "本站该单位该年度页面的相对地址",
}
FINDING_COLUMNS = {
    "单位": "预算单位全称",
    "年度": "自评年度",
    "规则": "核对规则名称",
    "规则编号": "核对规则编号",
    "级别": "需核对或提示",
    "说明": "核对结果：所述数字、按金额计算的数字与算式",
    "位置": "原始文件、工作表、单元格或字段",
}


def units_table(rows: list[UnitSummary]) -> Table:
    return Table(
        list(UNIT_COLUMNS),
        [
            (
                r.name,
                r.short,
                r.kind,
                r.year,
                r.budget,
                r.expenditure,
                None if r.execution is None else round(r.execution, 2),
                r.score,
                r.grade,
                r.total,
                r.met,
                r.warnings,
                r.infos,
                f"{r.slug}/",
            )
            for r in rows
        ],
    )


def findings_table(items: list[tuple[Evaluation, list[FindingView]]]) -> Table:
    return Table(
        list(FINDING_COLUMNS),
        [
            (ev.unit.name, ev.year, v.title, v.rule, v.label, v.message, v.place)
            for ev, views in items
            for v in views
        ],
    )


def dataset_files(
    evaluations: list[Evaluation],
    rows: list[UnitSummary],
    findings: list[tuple[Evaluation, list[FindingView]]],
) -> dict[str, bytes]:
    """File name (in open-data/) -> content."""
    tables = {
        "单位": units_table(rows),
        "绩效指标": indicators_table([row for ev in evaluations for row in indicator_rows(ev)]),
        "自评打分": scores_table([row for ev in evaluations for row in score_rows(ev)]),
        "数据核对": findings_table(findings),
    }
    names = {
        "单位": "units.csv",
        "绩效指标": "indicators.csv",
        "自评打分": "scores.csv",
        "数据核对": "findings.csv",
    }
    files = {names[sheet]: csv_bytes(table) for sheet, table in tables.items()}
    files["jixiao-data.xlsx"] = xlsx_bytes(tables, source_date(data_dates(evaluations)))
    files["evaluations.json"] = json.dumps(
        [ev.canonical() for ev in evaluations], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    files["evaluation.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=1).encode("utf-8")
    return files


def _model_dictionary(columns: dict[str, str], model) -> list[tuple[str, str]]:
    out = [("单位", "预算单位全称"), ("年度", "自评年度")]
    for field, header in columns.items():
        info = model.model_fields[field]
        out.append((header, "；".join(x for x in (info.title, info.description) if x)))
    return out


def render_open_data_page(
    evaluations: list[Evaluation],
    files: dict[str, bytes],
    title: str,
    licence: str | None,
    county: str | None,
    data_date: str | None = None,
    site_url: str | None = None,
) -> str:
    originals = [(ev, s) for ev in evaluations for s in ev.sources if published(s)]
    dictionary = {
        "units.csv": list(UNIT_COLUMNS.items()),
        "indicators.csv": [
            *_model_dictionary(INDICATOR_COLUMNS, Indicator),
            (STATUS_COLUMN, "达成、未达成、定性或无法判定"),
        ],
        "scores.csv": _model_dictionary(SCORE_COLUMNS, ScoreItem),
        "findings.csv": list(FINDING_COLUMNS.items()),
    }
    return render(
        "open_data.md.j2",
        title=title,
        county=county,
        files={name: len(content) for name, content in files.items()},
        dictionary=dictionary,
        originals=originals,
        units=len(evaluations),
        licence=licence
        or "本站数据来自各预算单位依法主动公开的政府信息（《中华人民共和国政府信息公开条例》），可自由复制、使用和再发布，请注明来源。",
        # The data's date (SOURCE_DATE_EPOCH, else the data's own), never the clock: a rebuild is identical.
        today=data_date or source_date(data_dates(evaluations)).date().isoformat(),
        site_url=site_url,
    )
