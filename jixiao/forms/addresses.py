"""Cell addresses as spreadsheets write them: column letters (A … XFD) and A1 references."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def column_letter(index: int) -> str:
    """The letters of a column counted from 0: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes | str) -> int:
    """The number of a column counted from 1, as Excel counts: A → 1, AB → 28."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_position(reference: bytes | str) -> tuple[int, int] | None:
    """(row, column) counted from 0 of an A1 reference ("B3" → (2, 1)); None for anything else."""
    text = reference.decode("ascii", "replace") if isinstance(reference, bytes) else reference
    match = _REFERENCE.fullmatch(text)
    if not match:
        return None
    return int(match.group(2)) - 1, column_number(match.group(1)) - 1
