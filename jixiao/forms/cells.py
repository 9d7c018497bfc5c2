"""Cell values as units write them, normalised: operators, units, look-alike characters, markers.

Real forms glue the operator and unit to the value ("≥50个", "≤90万元", "150万"), repeat the operator in the actual
("≥266米"), use look-alikes (＝ ﹦ ≧ ≦, full-width digits and ％), thousands separators ("1,059.39"), leave
"&NULL&" artefacts, mark core indicators with ★ and number names ("指标1："). Words ("完成", "达成预期指标") and dates
("9月前") stay text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NULL_MARKERS = {"&NULL&", "NULL", "null", "None", "#N/A", "-", "—", "/", "／", "无"}

# Longest spellings first so "大于等于" wins over "大于".
_OPS = [
    ("大于或等于", "≥"),
    ("大于等于", "≥"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("不小于", "≥"),
    ("至少", "≥"),
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
    ("<", "<"),
    ("＜", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("==", "="),
    ("=", "="),
    ("＝", "="),
    ("﹦", "="),
    ("等于", "="),
    ("定性", "定性"),
]
_OP_PREFIX = re.compile("^(" + "|".join(re.escape(spelling) for spelling, _ in _OPS) + r")\s*")
_OP_WORDS = dict(_OPS)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# Units that make a value a date or a deadline, not a measure: "9月前", "12月底", "3日内".
_DEADLINE = re.compile(r"(前|后|底|初|末|内|以前|以后|之前|之内|以内)$")
_UNIT_ALIASES = {"百分比": "%", "百分之": "%", "％": "%", "个百分点": "个百分点"}
_NAME_NUMBERING = re.compile(r"^\s*(?:指标\s*\d+\s*[：:．.、]|\d+\s*[．.、]|[（(]\d+[)）])\s*")


@dataclass(frozen=True)
class Measure:
    """A value cell taken apart: the operator written in it, the value (number or text), the unit."""

    op: str | None
    value: float | int | str | None
    unit: str | None


def fold(text: str) -> str:
    """Full-width digits, letters, ％ and ＝ to their ASCII forms; other characters (（）、，) untouched."""
    out = []
    for ch in text:
        if "\uff01" <= ch <= "\uff5e" and ch not in "（）：；，、":
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch in "\u3000\xa0":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def clean_text(value: object) -> str | None:
    """A cell's text with artefacts, surrounding space and inner line breaks of labels removed; None if empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("&NULL&", "").strip()
    return text or None


def clean_label(value: object) -> str | None:
    """A label such as "年度\\n主要\\n任务" or "被评价部\\n门配合度": all whitespace removed."""
    text = clean_text(value)
    return re.sub(r"\s+", "", text) if text else None


def clean_name(value: object) -> tuple[str | None, bool]:
    """An indicator name without ★ and "指标1：" numbering; returns (name, core)."""
    text = clean_text(value)
    if text is None:
        return None, False
    core = "★" in text or "☆" in text
    text = text.replace("★", "").replace("☆", "")
    text = _NAME_NUMBERING.sub("", text)
    text = re.sub(r"\s*\n\s*", "", text).strip()
    return text or None, core


def is_template_name(name: str | None) -> bool:
    """Blank template rows left in place: "指标2：", "……", "...", "其他" with nothing else."""
    if name is None:
        return True
    stripped = re.sub(r"[\s.…。·]+", "", name)
    return stripped == "" or re.fullmatch(r"指标\d*[：:]?", stripped) is not None


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
    """Split "≥50个" into (≥, 50, 个); keep words and dates as text."""
    if isinstance(value, bool):
        return Measure(None, str(value), None)
    if isinstance(value, (int, float)):
        return Measure(None, _tidy(value), None)
    text = clean_text(value)
    if text is None or text in NULL_MARKERS:
        return Measure(None, None, None)
    folded = fold(text).strip()
    op = None
    match = _OP_PREFIX.match(folded)
    if match and match.group(1) != "定性":
        op = _OP_WORDS[match.group(1)]
        folded = folded[match.end() :]
    number = _NUMBER.match(folded)
    if number:
        unit = folded[number.end() :].strip() or None
        if unit is None or (not re.search(r"\d", unit) and not _DEADLINE.search(unit) and len(unit) <= 8):
            amount = float(number.group(0).replace(",", ""))
            return Measure(op, _tidy(amount), _UNIT_ALIASES.get(unit, unit) if unit else None)
    return Measure(op, text, None)


def _tidy(number: float | int) -> float | int:
    """Whole numbers as int (5, not 5.0); others rounded to remove float noise from spreadsheets."""
    if isinstance(number, float):
        if number.is_integer():
            return int(number)
        return round(number, 10)
    return number
