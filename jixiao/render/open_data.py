"""The open-data page and its files: the whole dataset as CSV (UTF-8 with BOM), XLSX (a sheet per table) and
JSON, a JSON Schema of evaluation.yaml, a data dictionary generated from the model, and every original file."""

from __future__ import annotations

import json

import pandas as pd

from jixiao.collection import UnitSummary
from jixiao.gate import published
from jixiao.model import Evaluation, Indicator, ScoreItem
from jixiao.render.downloads import (
    INDICATOR_COLUMNS,
    SCORE_COLUMNS,
    indicators_frame,
    scores_frame,
    to_csv,
    write_xlsx,
)
from jixiao.render.env import render
from jixiao.render.findings import FindingView
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


def units_frame(rows: list[UnitSummary]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "单位": r.name,
                "简称": r.short,
                "类型": r.kind,
                "年度": r.year,
                "调整后预算（万元）": r.budget,
                "决算支出（万元）": r.expenditure,
                "预算执行率（%）": None if r.execution is None else round(r.execution, 2),
                "自评得分": r.score,
                "等级": r.grade,
                "指标数": r.total,
                "达成": r.met,
                "需核对": r.warnings,
                "提示": r.infos,
                "页面": f"{r.slug}/",
            }
            for r in rows
        ],
        columns=list(UNIT_COLUMNS),
    )


def findings_frame(items: list[tuple[Evaluation, list[FindingView]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "单位": ev.unit.name,
                "年度": ev.year,
                "规则": v.title,
                "规则编号": v.rule,
                "级别": v.label,
                "说明": v.message,
                "位置": v.place,
            }
            for ev, views in items
            for v in views
        ],
        columns=list(FINDING_COLUMNS),
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def dataset_files(
    evaluations: list[Evaluation],
    rows: list[UnitSummary],
    findings: list[tuple[Evaluation, list[FindingView]]],
) -> dict[str, bytes]:
    """File name (in open-data/) -> content."""
    tables = {
        "单位": units_frame(rows),
        "绩效指标": _concat([indicators_frame(ev) for ev in evaluations]),
        "自评打分": _concat([scores_frame(ev) for ev in evaluations]),
        "数据核对": findings_frame(findings),
    }
    names = {
        "单位": "units.csv",
        "绩效指标": "indicators.csv",
        "自评打分": "scores.csv",
        "数据核对": "findings.csv",
    }
    files = {names[sheet]: to_csv(frame) for sheet, frame in tables.items()}
    files["jixiao-data.xlsx"] = write_xlsx(tables, source_date(data_dates(evaluations)))
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
            ("状态（本站计算）", "达成、未达成、定性或无法判定"),
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
