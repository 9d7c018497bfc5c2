"""The 年度绩效指标 table of a unit's or a project's form: one dict per real indicator, found by its header.

Template rows (指标1, empty names) and totals rows are skipped; a 小计 row does not end the table; 一级/二级 labels are
filled down from merged cells; a breakdown row under a scored indicator ("其中桃树种植面积") becomes one of its parts.
"""

from __future__ import annotations

from dataclasses import replace

from jixiao.forms.cell_text import (
    clean_label,
    clean_name,
    clean_text,
    is_template_name,
    parse_flag,
    split_label,
)
from jixiao.forms.cells import Measure, parse_measure, parse_op, reconcile
from jixiao.forms.tables import (
    INDICATOR_HEADERS,
    Extract,
    find_header,
    is_stop_row,
    labels,
    number_at,
    own,
    total_row,
)
from jixiao.forms.workbook import Grid


def read_indicators(grid: Grid, ex: Extract, key: str, start: int = 0, end: int | None = None) -> list[dict]:
    """The indicator table in rows [start, end): one dict per real indicator (template and total rows skipped)."""
    end = grid.height if end is None else end
    header = find_header(grid, INDICATOR_HEADERS, ("name", "target"), start=start)
    if header is None or header.row >= end:
        return []
    cols = header.columns
    indicators, places, cells, level1, level2 = [], [], [], None, None
    for r in range(header.row + 1, end):
        row_labels = labels(grid, r)
        total = total_row(grid, r)
        if total == "subtotal":
            _skip(ex, grid, r, "小计行，不是指标")
            continue  # "小计" of a level: the table goes on below it
        if total or is_stop_row(row_labels[cols.get("level1", cols["name"]) :]) or is_stop_row(row_labels):
            _skip(ex, grid, r, "合计（总分）行：指标表到此为止")
            break
        inherited = not clean_label(grid.value(r, cols["level1"])) if "level1" in cols else False
        level1 = _label_or(grid, r, cols.get("level1"), level1)
        level2 = _label_or(grid, r, cols.get("level2"), level2)
        if inherited and _other_family(level1, level2):
            # A 一级 cell lost (a merged cell split by a page break): 社会效益指标 is not under 产出指标 but under
            # the 一级 its family always has in the national framework, and the note says it was read so.
            level1 = _family_of(level2)
            ex.notes.append(
                f"{grid.where(r, cols['level1']).words(with_file=False)}：一级指标单元格为空（多为分页处断开的"
                f"合并单元格），按二级指标“{level2}”读作“{level1}”"
            )
        name, core = clean_name(grid.value(r, cols["name"]))
        if is_template_name(name) or (name and name.startswith("其中") and _blank(grid, r, cols)):
            if any(row_labels):
                if not name:
                    why = "没有指标名称"
                elif is_template_name(name):
                    why = f"“{name}”是模板的占位名称"
                else:
                    why = f"“{name}”是没有数值的“其中”行"
                _skip(ex, grid, r, f"{why}，未作为指标读取")
            continue
        if indicators and _is_part(grid, r, cols, indicators[-1], name):
            indicators[-1].setdefault("parts", []).append(_part(grid, ex, r, cols, name))
            _skip(ex, grid, r, f"“{name}”读作上一项指标“{indicators[-1]['name']}”的组成部分")
            continue
        indicator = _indicator(grid, ex, r, cols, level1, level2, name, core)
        if not any(k in indicator for k in ("target", "actual", "weight", "score")):
            ex.problem(
                "indicator-without-figures",
                grid.where(r, cols["name"]),
                f"指标“{name}”没有指标值、实际完成值、分值或得分",
                "warning",
            )
        indicators.append(indicator)
        places.append(grid.where(r, cols["name"]))
        cells.append({f: grid.where(r, c) for f, c in cols.items() if f in indicators[-1] and f != "name"})
    if indicators:
        ex.set_items(key, indicators, places)
        # Each figure's own cell, so a finding about a score points at the score, not at the indicator's name.
        for n, fields in enumerate(cells, start=1):
            ex.origins.update({f"{key}[{n}].{f}": where for f, where in fields.items()})
    return indicators


def _skip(ex: Extract, grid: Grid, r: int, why: str) -> None:
    ex.skipped.append(f"{grid.where_row(r).words(with_file=False)}：{why}")


# The customary 一级 of each 二级 family: a 二级 label of one family under a 一级 of another was not written so.
FAMILIES = {"产出": ("数量", "质量", "时效", "成本"), "效益": ("效益", "可持续"), "满意度": ("满意度",)}


def _other_family(level1: str | None, level2: str | None) -> bool:
    if not level1 or not level2:
        return False
    own = next((words for key, words in FAMILIES.items() if key in level1), None)
    other = any(w in level2 for key, words in FAMILIES.items() if key not in level1 for w in words)
    return own is not None and not any(w in level2 for w in own) and other


def _family_of(level2: str) -> str:
    return next(f"{key}指标" for key, words in FAMILIES.items() if any(w in level2 for w in words))


def _is_part(grid: Grid, r: int, cols: dict, previous: dict, name: str) -> bool:
    """A breakdown row under a scored indicator ("其中桃树种植面积"): no 分值 and no 得分 of its own, under an
    indicator that has them, in the same 二级 group (its 二级 cell empty or merged from above)."""
    if "weight" not in cols or previous.get("weight") is None:
        return False
    own_figures = any(clean_text(own(grid, r, cols[k], cols)) for k in ("weight", "score") if k in cols)
    if own_figures:
        return False
    c2 = cols.get("level2")
    same_group = c2 is None or grid.anchor(r, c2)[0] != r or clean_text(grid.value(r, c2)) is None
    return name.startswith("其中") or same_group


def _part(grid: Grid, ex: Extract, r: int, cols: dict, name: str) -> dict:
    target = parse_measure(own(grid, r, cols["target"], cols)) if "target" in cols else parse_measure(None)
    actual = parse_measure(own(grid, r, cols["actual"], cols)) if "actual" in cols else parse_measure(None)
    target, actual = _one_unit(grid, ex, r, cols, name, target, actual)
    part = {
        "name": name,
        "op": target.op,
        "target": target.value,
        "unit": target.unit or actual.unit,
        "actual": actual.value,
    }
    return {k: v for k, v in part.items() if v is not None}


def _one_unit(
    grid: Grid, ex: Extract, r: int, cols: dict, name: str, target: Measure, actual: Measure | None
):
    """Target and actual in one unit ("≤5000元" against "0.6万元" is 6,000 元), said in the notes."""
    target, actual, said = reconcile(target, actual)
    if said:
        ex.notes.append(
            f"{grid.where(r, cols.get('actual', cols['name'])).words(with_file=False)}：“{name}”{said}"
        )
    return target, actual


def _blank(grid: Grid, r: int, cols: dict) -> bool:
    return all(clean_text(grid.value(r, cols[k])) is None for k in ("weight", "target") if k in cols)


def _label_or(grid: Grid, r: int, c: int | None, previous: str | None) -> str | None:
    """A 一级/二级 label, filled down from the row above when the cell is empty (merged or left blank)."""
    if c is None:
        return None
    label = clean_label(grid.value(r, c))
    if not label:
        return previous
    return split_label(label)[0]  # "产出指标(50分)": the points belong to the level, not its name


def _indicator(grid, ex, r, cols, level1, level2, name, core) -> dict:
    target = parse_measure(own(grid, r, cols["target"], cols)) if "target" in cols else parse_measure(None)
    actual = parse_measure(own(grid, r, cols["actual"], cols)) if "actual" in cols else None
    for key, measure in (("target", target), ("actual", actual)):
        if measure is not None and measure.doubt:
            ex.problem(
                "doubtful-cell",
                grid.where(r, cols[key]),
                f"“{name}”的{'指标值' if key == 'target' else '实际完成值'} {measure.value!r}：{measure.doubt}",
                "warning",
            )
    op = parse_op(own(grid, r, cols["op"], cols)) if "op" in cols else None
    # A text target is qualitative; an empty one (a template left blank) has no operator at all, nor has a damaged
    # one ("l00%"): its text is kept for review, not declared qualitative.
    op = (
        op
        or target.op
        or (
            None if target.value is None or target.doubt or isinstance(target.value, (int, float)) else "定性"
        )
    )
    unit = clean_text(own(grid, r, cols["unit"], cols)) if "unit" in cols else None
    if unit and isinstance(target.value, (int, float)) and not target.unit:
        target = replace(target, unit=unit)  # the 度量单位 column speaks for the target
    target, actual = _one_unit(grid, ex, r, cols, name, target, actual)
    unit = unit or target.unit or (actual.unit if actual else None)
    # No operator written: none is invented (the reading the category implies is a finding, never a silent "=").
    item: dict = {"level1": level1, "level2": level2, "name": name, "op": op, "target": target.value}
    if unit:
        item["unit"] = unit
    weight = number_at(ex, grid, r, cols.get("weight"), "权重（分值）", cols)
    if weight is not None:
        item["weight"] = weight
    if actual is not None and actual.value is not None:
        item["actual"] = actual.value
    score = number_at(ex, grid, r, cols.get("score"), "得分", cols)
    if score is not None:
        item["score"] = score
        if weight is not None and score > weight + 1e-9:
            # Read as printed (the checks judge it, rule score-range): a publisher's slip is no reason to lose the file.
            ex.problem(
                "score-over-max", grid.where(r, cols["score"]), f"得分 {score} 超过分值 {weight}", "warning"
            )
    # ★ in the name, or a 是否核心指标 column ("是", "√", the ticked option of "R是 £否").
    if core or ("core" in cols and parse_flag(own(grid, r, cols["core"], cols))):
        item["core"] = True
    note = clean_text(own(grid, r, cols["note"], cols)) if "note" in cols else None
    if note:
        item["note"] = note
    return {k: v for k, v in item.items() if v is not None}
