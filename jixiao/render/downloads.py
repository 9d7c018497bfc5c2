"""Per-unit downloads: CSV (UTF-8 with BOM so Excel opens it), XLSX (a sheet per table) and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pandas as pd

from jixiao import metrics
from jixiao.model import Evaluation
from jixiao.reproducible import ZIP_EPOCH, data_dates, fixed_zip, source_date

INDICATOR_COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "op": "指标性质",
    "target": "指标值",
    "unit": "度量单位",
    "weight": "权重",
    "actual": "实际完成值",
    "score": "得分",
    "core": "核心指标",
    "note": "备注",
}
SCORE_COLUMNS = {
    "level1": "一级指标",
    "level1_max": "一级分值",
    "level2": "二级指标",
    "level2_max": "二级分值",
    "name": "三级指标",
    "max": "指标分值",
    "score": "自评得分",
    "explanation": "指标解释",
    "note": "备注",
}


def _head(ev: Evaluation) -> dict:
    return {"单位": ev.unit.name, "年度": ev.year}


def indicators_frame(ev: Evaluation) -> pd.DataFrame:
    rows = []
    for ind in ev.indicators:
        # Breakdown rows (parts) are in the JSON download; the flat table keeps one row per indicator.
        fields = ind.model_dump(exclude={"parts"}).items()
        row = {**_head(ev), **{INDICATOR_COLUMNS[k]: v for k, v in fields}}
        row["状态（本站计算）"] = metrics.indicator_status(ind)
        rows.append(row)
    return pd.DataFrame(rows, columns=[*_head(ev), *INDICATOR_COLUMNS.values(), "状态（本站计算）"])


def scores_frame(ev: Evaluation) -> pd.DataFrame:
    items = ev.scores.items if ev.scores else []
    rows = [{**_head(ev), **{SCORE_COLUMNS[k]: v for k, v in i.model_dump().items()}} for i in items]
    return pd.DataFrame(rows, columns=[*_head(ev), *SCORE_COLUMNS.values()])


def funds_frame(ev: Evaluation) -> pd.DataFrame:
    f = ev.funds
    rows = [
        ("年初预算", f.initial_budget),
        ("中期调整", f.adjustment),
        ("调整后预算", f.final_budget),
        ("决算支出", f.expenditure),
        *((f"收入来源：{a.name}", a.amount) for a in f.by_source),
        *((f"支出按性质：{a.name}", a.amount) for a in f.by_nature),
        *((f"支出按经济分类：{a.name}", a.amount) for a in f.by_economic),
        *((f"1—{p.month}月累计支出", p.amount) for p in f.execution_progress),
    ]
    if f.three_public:
        rows += [("“三公”经费预算", f.three_public.budget), ("“三公”经费实际", f.three_public.actual)]
    if f.general_expenditure:
        ge = f.general_expenditure
        rows += [
            ("一般性支出预算（上年）", ge.budget_prev),
            ("一般性支出预算（本年）", ge.budget),
            ("一般性支出决算（上年）", ge.actual_prev),
            ("一般性支出决算（本年）", ge.actual),
        ]
    rows.append(("年末结转结余", f.carryover))
    return pd.DataFrame(
        [{**_head(ev), "项目": name, "金额（万元）": value} for name, value in rows if value is not None]
    )


def tasks_frame(ev: Evaluation) -> pd.DataFrame:
    return pd.DataFrame(
        [{**_head(ev), "任务名称": t.name, "主要内容": t.content} for t in ev.tasks],
        columns=[*_head(ev), "任务名称", "主要内容"],
    )


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, and tab or carriage return, which
# some programs strip before looking. Such a text gets a leading apostrophe; numbers stay numbers (-3.5 is data).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell value no spreadsheet evaluates: texts that look like formulas get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    # utf-8-sig writes the BOM that Excel needs to read UTF-8 Chinese text.
    safe = frame.map(inert) if not frame.empty else frame
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_xlsx(sheets: dict[str, pd.DataFrame], when: dt.datetime | None = None) -> bytes:
    """A workbook with one sheet per frame. Every text is written as a text cell, never as a formula (openpyxl
    would take "=HYPERLINK(…)" for one); entry times and document dates are fixed, so a rebuild is identical."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_plain(v) for v in row])
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a string cell, even when it starts with "="
    stamp = (when or ZIP_EPOCH).replace(tzinfo=None)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "jixiao"
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(buffer.getvalue(), when or ZIP_EPOCH)


def _plain(value):
    """pandas' missing values as empty cells; numpy scalars as Python numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def to_xlsx(ev: Evaluation) -> bytes:
    return write_xlsx(
        {
            "资金": funds_frame(ev),
            "绩效指标": indicators_frame(ev),
            "自评打分": scores_frame(ev),
            "年度主要任务": tasks_frame(ev),
        },
        source_date(data_dates([ev])),
    )


def to_json(ev: Evaluation) -> bytes:
    return json.dumps(ev.canonical(), ensure_ascii=False, indent=1).encode("utf-8")


def unit_downloads(ev: Evaluation) -> dict[str, bytes]:
    """File name (beside the unit page) -> content."""
    return {
        "indicators.csv": to_csv(indicators_frame(ev)),
        "scores.csv": to_csv(scores_frame(ev)),
        "evaluation.xlsx": to_xlsx(ev),
        "evaluation.json": to_json(ev),
    }
