"""Personal data (政府信息公开条例): never published. Scans every text of every source file, cell by cell.

Found: 身份证号 (18 digits with a valid check digit and birth date, or the old 15-digit form), personal mobile
numbers (11 digits starting 13–19, also written with spaces or dashes), bank card numbers (16–19 digits passing the
Luhn check). Not personal data, and never reported: 统一社会信用代码 (it passes its own mod-31 check), 索引号,
landlines with an area code, amounts, dates, project codes such as 51000021R000000019951.
A unit may allow one specific value (a published office mobile) with a recorded reason; there is no blanket switch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from jixiao import fieldpath
from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context
from jixiao.location import Location

G = "个人信息"

_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
ID18 = re.compile(_EDGE_L + r"([1-8]\d{5})((?:18|19|20)\d{2})(\d{2})(\d{2})(\d{3})([\dXx])" + _EDGE_R)
ID15 = re.compile(_EDGE_L + r"([1-8]\d{5})(\d{2})(\d{2})(\d{2})(\d{3})" + _EDGE_R)
MOBILE = re.compile(r"(?<![0-9A-Za-z\-])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")
CARD = re.compile(_EDGE_L + r"(\d(?:[ -]?\d){15,18})" + _EDGE_R)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= dt.date(year, month, day) <= dt.date.today()


def id_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_uscc(code: str) -> bool:
    """统一社会信用代码: 18 characters whose last is the GB 32100 mod-31 check character."""
    code = code.upper()
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find_ids(text: str) -> Iterator[str]:
    for m in ID18.finditer(text):
        number = m.group(0).upper()
        if (
            _date_ok(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            and id_check_char(number[:17]) == number[17]
            and not is_uscc(number)
        ):
            yield number
    for m in ID15.finditer(text):
        if _date_ok(1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))):
            yield m.group(0)


def find_mobiles(text: str) -> Iterator[str]:
    for m in MOBILE.finditer(text):
        yield m.group(1) + m.group(2) + m.group(3)


def find_cards(text: str) -> Iterator[str]:
    ids = set(find_ids(text))
    for m in CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(1))
        if (
            16 <= len(digits) <= 19
            and digits[0] in "3456"
            and luhn(digits)
            and digits not in ids
            and not is_uscc(digits)
        ):
            yield digits


def mask(value: str) -> str:
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 8 else value


def _texts(ctx: Context) -> Iterator[tuple[Location, str]]:
    """Places and texts to scan: the source files' when the loader gave them, else the evaluation's own fields."""
    if ctx.texts is not None:
        return iter(ctx.texts)
    return (
        (ctx.where(path), text) for path, text in _model_texts(ctx.evaluation.model_dump(mode="json"), "")
    )


def _model_texts(node, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "personal_data_allowed":
                yield from _model_texts(value, fieldpath.join(prefix, key) if prefix else key)
    elif isinstance(node, list):
        for n, value in enumerate(node, start=1):
            yield from _model_texts(value, fieldpath.join(prefix, n))
    elif isinstance(node, str):
        yield prefix, node


def _allowed(ctx: Context) -> set[str]:
    return {re.sub(r"\D", "", a.value) or a.value for a in ctx.evaluation.personal_data_allowed}


def _scan(ctx: Context, find, what: str):
    allowed = _allowed(ctx)
    for where, text in _texts(ctx):
        for value in dict.fromkeys(find(text)):
            if value not in allowed:
                yield where, f"发现{what} {mask(value)}：个人信息不得公开，请删除或遮盖后重新提供"


@rule(
    "personal-id",
    "身份证号",
    "error",
    "文件中出现了身份证号码（校验位正确的 18 位或 15 位号码）。个人信息不得公开。",
    G,
)
def personal_id(ctx: Context):
    yield from _scan(ctx, find_ids, "身份证号")


@rule(
    "personal-mobile",
    "个人手机号",
    "error",
    "文件中出现了 11 位手机号码。若是单位公开的办公电话，可在 unit.yaml 的 personal_data_allowed 中逐个登记并说明理由。",
    G,
)
def personal_mobile(ctx: Context):
    yield from _scan(ctx, find_mobiles, "手机号")


@rule(
    "personal-bank-card", "银行卡号", "error", "文件中出现了银行卡号（16—19 位、通过 Luhn 校验的号码）。", G
)
def personal_bank_card(ctx: Context):
    yield from _scan(ctx, find_cards, "银行卡号")


@rule(
    "unscanned-original",
    "原件未做个人信息检查",
    "warning",
    "PDF 等只作为原件公开的文件，本站无法读取其中的文字，请发布前人工确认不含个人信息。",
    G,
)
def unscanned_original(ctx: Context):
    for source in ctx.evaluation.sources:
        if source.kind == "原件（未读取内容）":
            yield Location(str(Path(ctx.folder) / source.file)), f"原件“{source.file}”未做个人信息检查"
