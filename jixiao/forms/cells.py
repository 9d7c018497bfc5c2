"""Cell values as units write them, normalised: operators, numbers, units, look-alike characters, markers.

Real forms glue the operator and unit to the value ("≥50个", "≤90万元", "150万"), repeat the operator in the actual
("≥266米"), use look-alikes (＝ ﹦ ≧ ≦, full-width digits and ％), thousands separators ("1,059.39") and leave
"&NULL&" artefacts. Words ("完成", "达成预期指标") and dates ("9月前") stay text. A cell's text is tidied by
jixiao.forms.cell_text (labels, indicator names, ★), money units by jixiao.forms.money_units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.forms.cell_text import clean_text, fold, is_template_text, simplified

NULL_MARKERS = {"&NULL&", "NULL", "null", "None", "#N/A", "-", "—", "/", "／", "无"}

# Longest spellings first so "大于等于" wins over "大于".
_OPS = [
    ("大于或等于", "≥"),
    ("大于等于", "≥"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("不小于", "≥"),
    ("至少", "≥"),
    ("达到", "≥"),
    ("≥=", "≥"),
    ("小于或等于", "≤"),
    ("小于等于", "≤"),
    ("不高于", "≤"),
    ("不超过", "≤"),
    ("不大于", "≤"),
    ("不多于", "≤"),
    ("≥", "≥"),
    ("≧", "≥"),
    (">=", "≥"),
    ("=>", "≥"),
    ("＞=", "≥"),
    ("⩾", "≥"),
    (">", ">"),
    ("＞", ">"),
    ("超过", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("≤", "≤"),
    ("≦", "≤"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("＜=", "≤"),
    ("⩽", "≤"),
    ("≤=", "≤"),
    ("控制在", "≤"),
    ("<", "<"),
    ("＜", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("==", "="),
    ("=", "="),
    ("＝", "="),
    ("﹦", "="),
    ("═", "="),
    ("〓", "="),
    ("等于", "="),
    ("定性", "定性"),
]
_OP_PREFIX = re.compile("^(" + "|".join(re.escape(spelling) for spelling, _ in _OPS) + r")\s*")
_OP_WORDS = dict(_OPS)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# Units that make a value a date or a deadline, not a measure: "9月前", "12月底", "3日内".
_DEADLINE = re.compile(
    r"(月|日|号|天|周|个月|个工作日|工作日)(?:份)?(?:底前|末前|前|底|末|以前|之前|内|以内|之内)"
)
# Operators written after the number: "95%以上", "100人次以下", "3天以内".
_SUFFIX_OPS = {
    "及以上": "≥",
    "或以上": "≥",
    "（含）以上": "≥",
    "(含)以上": "≥",
    "以上": "≥",
    "及以下": "≤",
    "或以下": "≤",
    "（含）以下": "≤",
    "(含)以下": "≤",
    "以下": "≤",
    "以内": "≤",
    "之内": "≤",
}
_OP_SUFFIX = re.compile("(" + "|".join(re.escape(k) for k in _SUFFIX_OPS) + ")$")
_SYMBOL_SUFFIX = re.compile(r"\s*(≥|≧|>=|≤|≦|<=|>|＞|<|＜)$")
_UNIT_ALIASES = {"百分比": "%", "百分之": "%", "％": "%", "个百分点": "个百分点"}


@dataclass(frozen=True)
class Measure:
    """A value cell taken apart: the operator written in it, the value (number or text), the unit."""

    op: str | None
    value: float | int | str | None
    unit: str | None
    doubt: str | None = None


def parse_op(value: object) -> str | None:
    """The comparison in an 指标性质 cell, normalised to ≥, >, ≤, <, = or 定性; None if the cell says none.

    Strict spellings (>, 大于, 高于, 超过, <, 小于, 低于) stay strict."""
    text = clean_text(value)
    if text is None:
        return None
    text = fold(text).replace(" ", "")
    if text in _OP_WORDS:
        return _OP_WORDS[text]
    if text in {"正向", "正向指标"}:
        return "≥"
    if text in {"反向", "反向指标"}:
        return "≤"
    if text in {"定性指标", "定性评价"}:
        return "定性"
    if text in {"定量", "定量指标"}:
        return None
    match = _OP_PREFIX.match(text)
    return _OP_WORDS[match.group(1)] if match else None


def parse_number(value: object) -> float | int | None:
    """A plain amount or score: 1599.38, "1,059.39", "１２", "93.8分"; None when the cell holds no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _tidy(value)
    measure = parse_measure(value)
    if isinstance(measure.value, (int, float)) and measure.op is None:
        return measure.value
    return None


def parse_measure(value: object) -> Measure:
    """Split a target or actual cell into (operator, value, unit), whichever order they are written in.

    "≥50个", "=8个", "150万", "95%以上", "不低于90%", "≤ 202.6 万元", "54. 96"; "9月前" and "12月底" are deadlines
    (≤ 9 月); words ("完成") and full dates stay text. A cell that looks damaged ("Q100%": a PDF's ≤ printed as Q)
    keeps its text and says why in ``doubt``, so the reader can flag it instead of guessing.
    """
    if isinstance(value, bool):
        return Measure(None, str(value), None)
    if isinstance(value, (int, float)):
        return Measure(None, _tidy(value), None)
    text = clean_text(value)
    if text is None or text in NULL_MARKERS or is_template_text(text):
        return Measure(None, None, None)  # empty, or the template's guidance ("（≥**人）") left in place
    folded = _close_number_gaps(simplified(fold(text)).strip())
    doubt = _doubt(folded)
    if doubt:
        return Measure(None, text, None, doubt)
    op = None
    match = _OP_PREFIX.match(folded)
    if match and match.group(1) != "定性":
        op = _OP_WORDS[match.group(1)]
        folded = folded[match.end() :]
    number = _NUMBER.match(folded)
    if number:
        rest = folded[number.end() :].strip()
        suffix = _OP_SUFFIX.search(rest)
        if suffix:
            op, rest = op or _SUFFIX_OPS[suffix.group(1)], rest[: suffix.start()].strip()
        elif (symbol := _SYMBOL_SUFFIX.search(rest)) is not None:  # "266米≥": the sign typed last
            op, rest = op or _OP_WORDS[symbol.group(1)], rest[: symbol.start()].strip()
        unit = rest or None
        amount = _tidy(float(number.group(0).replace(",", "")))
        if unit and _DEADLINE.fullmatch(unit) and op is None:
            return Measure("≤", amount, _DEADLINE.fullmatch(unit).group(1))
        if unit is None or (not re.search(r"\d", unit) and not _DEADLINE.search(unit) and len(unit) <= 8):
            return Measure(op, amount, _UNIT_ALIASES.get(unit, unit) if unit else None)
    return Measure(op, text, None)


def _close_number_gaps(text: str) -> str:
    """PDFs break numbers at their glyph boundaries: "54. 96" → "54.96", "1, 059.39" → "1,059.39"."""
    return _GAP.sub(r"\1\2", text)


_GAP = re.compile(r"(\d[.,])\s+(\d)")


def _doubt(text: str) -> str | None:
    """Why a cell that is not a measure might be a damaged one; None when it reads as ordinary words."""
    if _Q_FOR_OP.match(text):
        return "数字前的“Q”可能是 PDF 把“≤”印错了，请核对原件"
    core = text.rstrip("%‰ ")  # "l00%", "1OO%": OCR's letters for digits before a percent sign
    if 2 <= len(core) <= 8 and set(core) <= _OCR_CHARS and set(core) & _OCR_LETTERS:
        return "字母与数字混杂（如“IO”可能是“10”，“l00%”可能是“100%”），可能是识别错误，请核对原件"
    if _TWO_FOR_OP.match(text):
        return "数字前单独的“2”可能是识别时把“≥”认成了 2，请核对原件"
    return None


_Q_FOR_OP = re.compile(r"^[Qq]\s*\d")
_TWO_FOR_OP = re.compile(r"^2\s+\d+(?:\.\d+)?\s*%?$")
_OCR_LETTERS = set("IlOoSBZ")
_OCR_CHARS = _OCR_LETTERS | set("0123456789.")


def _tidy(number: float | int) -> float | int:
    """Whole numbers as int (5, not 5.0); others rounded to remove float noise from spreadsheets."""
    if isinstance(number, float):
        if number.is_integer():
            return int(number)
        return round(number, 10)
    return number


# A unit's scale prefix: "万元" is 10,000 "元", "千米" 1,000 "米", "万人次" 10,000 "人次".
_SCALES = (("亿", 100_000_000), ("万", 10_000), ("千", 1_000))


def _scaled(unit: str | None) -> tuple[str, int] | None:
    if not unit:
        return None
    for prefix, factor in _SCALES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix) :], factor
    return unit, 1


def reconcile(target: Measure, actual: Measure | None) -> tuple[Measure, Measure | None, str | None]:
    """The actual in the target's unit, so the two can be compared, and a note saying what was converted.

    "≤5000元" against "0.6万元" is 6,000 元, not 0.6 (which would wrongly meet the target); "≥0.9" against "95%"
    is a target of 90 %. Units that only share a base ("万吨"/"吨") are scaled; different bases are left alone
    (the checks see the two units)."""
    if (
        actual is None
        or not isinstance(target.value, (int, float))
        or not isinstance(actual.value, (int, float))
    ):
        return target, actual, None
    if target.unit is None and actual.unit == "%" and 0 < target.value <= 1 < actual.value:
        converted = Measure(target.op, _tidy(round(target.value * 100, 6)), "%", target.doubt)
        return (
            converted,
            actual,
            f"指标值 {target.value} 按百分比读作 {converted.value}%（实际完成值写作 {actual.value}%）",
        )
    a, t = _scaled(actual.unit), _scaled(target.unit)
    if a is None or t is None or a[0] != t[0] or a[1] == t[1]:
        return target, actual, None
    value = _tidy(round(actual.value * a[1] / t[1], 6))
    note = f"实际完成值 {actual.value}{actual.unit} 换算为 {value}{target.unit}，与指标值同一单位"
    return target, Measure(actual.op, value, target.unit, actual.doubt), note
