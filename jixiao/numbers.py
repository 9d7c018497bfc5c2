"""Figures written one way everywhere — pages, downloads and the checks' messages: 1,599.38 万元, 45.9%, ≥90%."""

from __future__ import annotations


def money(value: float | None) -> str:
    """万元 with two decimals and thousands separators: 1,599.38."""
    return "—" if value is None else f"{value:,.2f}"


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


def num(value: float | int | str | None) -> str:
    """A figure as written: no trailing zeros (1.25, 5, 1,059.39); text passes through."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def measure(value: float | int | str | None, unit: str | None = None, op: str | None = None) -> str:
    """A target or actual as the forms write it, one way on every page: ``≥5人``, ``≥90%``, ``≤2,944.51万元``.

    The unit follows a number only (a text actual such as “完成” stands alone); 定性 is not an operator."""
    if value is None or value == "":
        return ""
    text = num(value)
    if unit and not isinstance(value, str):
        text += unit
    return f"{op}{text}" if op and op != "定性" else text
