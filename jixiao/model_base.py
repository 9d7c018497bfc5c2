"""What every part of the model is built on: the base class that refuses unknown fields, NaN, absurd figures and
control characters, and the declared field types (Money in 万元, rates in percent, persons, operators, values).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
    # Called for every field of every part (hundreds per unit): the usual values (text, a figure within range,
    # a list of them) are let through on their exact type first; anything else takes the general way below.
    kind = value.__class__
    if kind is str:
        if _CONTROL.search(value) is None:
            return
    elif kind is float or kind is int:
        if -MAX_NUMBER <= value <= MAX_NUMBER:  # False for NaN too
            return
    elif kind is list:
        for item in value:
            _check_plain(item)
        return
    _check_any(value)


def _check_any(value) -> None:
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(f"含控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），请删除")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"数值不能是 {value}（NaN 或无穷大）")
        if abs(value) > MAX_NUMBER:
            # An integer beyond a float's range (400 digits in a YAML file) is shown without converting it.
            shown = f"{value:g}" if abs(value) < 1e300 else f"{Decimal(value):.6g}"
            raise ValueError(f"数值 {shown} 超出合理范围（绝对值不超过 {MAX_NUMBER:g}）")
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_plain(key)
            _check_plain(item)
