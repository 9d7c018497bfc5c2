"""A cell's text tidied for reading: full-width forms folded, artefacts and label line breaks removed, indicator
names without ★ and numbering, ticked checkboxes, points written inside a level label, the template's own guidance
left in place, and traditional characters recognised as simplified ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_NAME_NUMBERING = re.compile(r"^\s*(?:指标\s*\d+\s*[：:．.、]|\d+\s*[．.、]|[（(]\d+[)）])\s*")


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
    text = _CHECKBOX.sub("", text)
    text = _NAME_NUMBERING.sub("", text)
    text = re.sub(r"\s*\n\s*", "", text).strip()
    return text or None, core


# Checkbox residue stuck to a name: □ ☑ ☐ ☒ ■ as printed, or as Wingdings turned them into text when a form was
# exported (£ for □, R for ☑, S for ☒) — only before CJK text, so "R&D" or a name that begins with 口 stays whole.
_CHECKBOX = re.compile(r"^\s*(?:[□☑☐☒■▢✓✔√]|[£RS](?=\s*[\u4e00-\u9fff]))\s*")


_CHECKED = re.compile(r"(?:[☑☒■✓✔√]|(?<![A-Za-z])R)\s*([\u4e00-\u9fff]+)")


def parse_flag(value: object) -> bool | None:
    """A yes/no cell (是否核心指标): "是", "√", "★", or the ticked option of "R是 £否" / "☑是 □否"; None if empty."""
    text = clean_label(value)
    if not text:
        return None
    if any(box in text for box in "□☐£☑☒■✓✔√R"):
        ticked = _CHECKED.findall(text)
        if ticked:
            return ticked[0].startswith(("是", "核心"))
        if text in ("√", "✓", "✔"):
            return True
    return text in ("是", "核心", "核心指标", "★", "Y", "y", "yes", "Yes")


def is_template_name(name: str | None) -> bool:
    """Blank template rows left in place: "指标2：", "……", "...", "其他" with nothing else."""
    if name is None:
        return True
    stripped = re.sub(r"[\s.…。·/／、\-—]+", "", name)
    return (
        stripped == ""
        or re.fullmatch(r"指标\d*[：:]?", stripped) is not None
        or (
            re.fullmatch(r"[（(].*[)）]", stripped) is not None
            and _TEMPLATE_TEXT.search(stripped) is not None
        )
    )


_POINTS_IN_LABEL = re.compile(
    r"^(.*?)[（(]\s*(?:满分|分值)?[:：]?\s*(\d+(?:\.\d+)?)\s*分?\s*(?:[,，;；、]\s*[^()（）]*?分\s*)?[)）]$"
)


_TEMPLATE_TEXT = re.compile(r"[（(]\s*\d+\s*字以内\s*[)）]|\*\*|＊＊")


def split_label(text: str | None) -> tuple[str | None, float | None]:
    """A level label and the points written inside it: "履职效能（15分）" → ("履职效能", 15); "(50分)" (the label
    itself lost) → (None, 50); "绩效目标(10)" → ("绩效目标", 10)."""
    if not text:
        return None, None
    match = _POINTS_IN_LABEL.match(text)
    if match and ("分" in text or match.group(1)):
        value = float(match.group(2))
        name = match.group(1).strip().rstrip(":：").strip() or None
        return name, int(value) if value.is_integer() else value
    return text, None


def is_template_text(text: str | None) -> bool:
    """Guidance the template printed in a cell and the unit left in place: "…(100字以内)", "(≥**人)"."""
    return bool(text) and _TEMPLATE_TEXT.search(str(text)) is not None


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Traditional characters as simplified ones (績效 → 绩效), for recognising words, never for what is shown."""
    if not _CJK.search(text):
        return text
    return _converter().convert(text)


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


_CJK = re.compile("[\u4e00-\u9fff]")
