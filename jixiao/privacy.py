"""Personal data (政府信息公开条例: never published), found the way people really write it.

Found: personal mobile numbers (11 digits 13–19, written whole or with spaces, dashes or dots between groups,
with +86 / 0086 in front, in full-width digits), 身份证号 (18 digits with a valid check digit and birth date, or
the old 15-digit form with a valid birth date), bank card numbers (16–19 digits passing the Luhn check, written
whole or in spaced groups), e-mail addresses.

Not personal data, and never reported: amounts (a decimal part, 元/万元/%, a currency sign), 统一社会信用代码 (its
own mod-31 check), 索引号 and document numbers (digits glued to letters, slashes or dashes of a code), dates,
project codes, 18-digit numbers that fail the ID check, office landlines with an area code.

Every function here is pure and knows nothing of files: the check (jixiao.checks.personal) and the masking of file
and sheet names (jixiao.location.masked_name) both use ``find``. Positions are those of the text as given: the
full-width forms are mapped one character to one character before matching.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

MOBILE, ID, CARD, EMAIL = "手机号", "身份证号", "银行卡号", "电子邮箱"

# Full-width ASCII (０-９, Ａ-Ｚ, ＋, －, ．, ＠ …) and the ideographic space, one character for one, so positions hold.
_HALF = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    | {
        "\u3000": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

# A number glued to letters or to another number, or joined to one by - . / _ is part of a code, not a number.
_LEFT = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][\-./_])"
_RIGHT = r"(?![0-9A-Za-z])(?![\-/_][0-9A-Za-z])(?!\.\d)"  # a file's ".xlsx" ends a number
_SEP = r"[ \-.]?"
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9A-Za-z][\-./_])"
    r"(?:(?:\+|00)?86[ \-]?|[(（](?:\+|00)?86[)）][ \-]?)?"
    r"(1[3-9]\d)" + _SEP + r"(\d{4})" + _SEP + r"(\d{4})" + _RIGHT
)
_ID18 = re.compile(
    _LEFT + r"([1-8]\d{5}) ?((?:18|19|20)\d{2})(\d{2})(\d{2}) ?(\d{3})([\dXx])" + r"(?![0-9A-Za-z])"
)
_ID15 = re.compile(_LEFT + r"([1-8]\d{5})(\d{2})(\d{2})(\d{2})(\d{3})" + _RIGHT)
_CARD = re.compile(_LEFT + r"(\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{1,3})?)" + _RIGHT)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]{1,64})@((?:[A-Za-z0-9\-]{1,63}\.)+[A-Za-z]{2,24})(?![A-Za-z0-9\-])"
)
# What follows or precedes an amount: a decimal part, a unit of money or a percentage, a currency sign.
_AMOUNT_AFTER = re.compile(r"\s?(?:\.\d|元|万|亿|%|‰|块)")
_AMOUNT_BEFORE = re.compile(r"[￥¥$]\s?$")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Hit:
    kind: str  # MOBILE, ID, CARD or EMAIL
    value: str  # the number as digits only (the address in lower case): what unit.yaml may allow
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask(self.value)


def halfwidth(text: str) -> str:
    return text.translate(_HALF)


def find(text: str) -> list[Hit]:
    """Every piece of personal data in ``text``, in order, none overlapping (an ID is not also a card)."""
    plain = halfwidth(text)
    hits: list[Hit] = []
    for finder in (_ids, _cards, _mobiles, _emails):
        for hit in finder(plain):
            if not any(hit.start < h.end and h.start < hit.end for h in hits):
                hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


def may_hold(text: str) -> bool:
    """Whether ``text`` could hold anything ``find`` finds: 11 digits at least (a mobile), or an @."""
    if "@" in text or "＠" in text:
        return True
    # Counted in C, not character by character in Python: every text of every unit passes here.
    return len(text) >= 11 and len(_DIGIT.findall(text)) >= 11


# What str.isdigit() calls a digit: the decimal digits of every script (\d) and the others with Numeric_Type=Digit
# (superscripts, circled and parenthesised digits …); tests/test_personal.py compares it with str.isdigit().
_DIGIT = re.compile(
    "[\\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]"
)


def mask(value: str) -> str:
    """139****5678; an address keeps its first character and its domain: z***@example.com."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return local[:1] + "***@" + domain
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 8 else value


def masked(text: str) -> str:
    """``text`` with every piece of personal data in it masked (file and sheet names, quoted values)."""
    out, last = [], 0
    for hit in find(text):
        out += [text[last : hit.start], hit.masked]
        last = hit.end
    return "".join(out) + text[last:]


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(text, end) or _AMOUNT_BEFORE.search(text[max(0, start - 2) : start]))


def _ids(text: str) -> Iterator[Hit]:
    for m in _ID18.finditer(text):
        number = (m.group(1) + m.group(2) + m.group(3) + m.group(4) + m.group(5) + m.group(6)).upper()
        if (
            _birth_ok(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            and id_check_char(number[:17]) == number[17]
            and not is_uscc(number)
        ):
            yield Hit(ID, number, m.start(), m.end())
    for m in _ID15.finditer(text):
        if _birth_ok(1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))) and not _is_amount(
            text, m.start(), m.end()
        ):
            yield Hit(ID, m.group(0), m.start(), m.end())


def _mobiles(text: str) -> Iterator[Hit]:
    for m in _MOBILE.finditer(text):
        if not _is_amount(text, m.start(1), m.end()):
            yield Hit(MOBILE, m.group(1) + m.group(2) + m.group(3), m.start(), m.end())


def _cards(text: str) -> Iterator[Hit]:
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ \-]", "", m.group(1))
        if (
            16 <= len(digits) <= 19
            and digits[0] in "3456"
            and (
                len(digits) != 18 or digits.startswith("62")
            )  # 18-digit cards are UnionPay's; IDs are 18 too
            and luhn(digits)
            and not is_uscc(digits)
            and not _is_amount(text, m.start(), m.end())
        ):
            yield Hit(CARD, digits, m.start(), m.end())


def _emails(text: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(text):
        local = m.group(1).strip(".")
        if local and not local.startswith("-"):
            yield Hit(EMAIL, f"{local}@{m.group(2)}".lower(), m.start(), m.end())


def _birth_ok(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


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


def allowed_value(value: str) -> str:
    """How unit.yaml's personal_data_allowed value is compared: digits only for numbers, lower case for addresses."""
    plain = halfwidth(value).strip()
    if "@" in plain:
        return plain.lower()
    hits = find(plain)
    return hits[0].value if len(hits) == 1 else re.sub(r"\D", "", plain) or plain
