"""Money units to 万元, the model's unit: the unit a label or cell states ("（单位：元）", "项目资金（万元）"), and a
stated unit jixiao cannot convert ("单位：美元"), for a finding."""

from __future__ import annotations

import re

from jixiao.forms.cell_text import fold, simplified

# Money units to 万元, the model's unit: amounts in 元 and 千元 are converted on input, and the reader says so.
MONEY_UNITS = {
    "元": 1e-4,
    "千元": 0.1,
    "万元": 1.0,
    "万": 1.0,
    "百万元": 100.0,
    "亿元": 10000.0,
    "亿": 10000.0,
}


_UNIT_LABEL = re.compile(
    r"(?:金额|货币|计量|资金)?单位[:：]\s*(?:人民币)?\s*([^\s，,;；)）]{0,3}?元|万)(?![\u4e00-\u9fff])"
)


_UNIT_BRACKET = re.compile(r"[（(]\s*(?:单位[:：]\s*)?(?:人民币)?\s*(元|千元|万元|百万元|亿元)\s*(?:[)）]|$)")


_UNKNOWN_MONEY = re.compile(r"(?:金额|货币)?单位[:：]\s*([^\s，,;；)）]{1,4}元)")


def money_unit_in(text: str | None) -> float | None:
    """The factor to 万元 of the money unit a label or cell states: "（单位：元）" → 0.0001, "项目资金（万元）" → 1,
    "千元" → 0.1, "150万" → None (a number, not a label); None when it states none."""
    if not text:
        return None
    text = simplified(fold(str(text)).replace(" ", ""))
    if text in MONEY_UNITS:
        return MONEY_UNITS[text]
    match = _UNIT_LABEL.search(text) or _UNIT_BRACKET.search(text)
    return MONEY_UNITS.get(match.group(1)) if match else None


def unknown_money_unit(text: str | None) -> str | None:
    """A stated money unit jixiao cannot convert ("单位：美元"), for a finding."""
    if not text:
        return None
    match = _UNKNOWN_MONEY.search(simplified(fold(str(text)).replace(" ", "")))
    return match.group(1) if match and match.group(1) not in MONEY_UNITS else None
