"""Personal data (政府信息公开条例): never published. Scans every text of every source file, part by part.

What counts as personal data and what only looks like it is decided in ``jixiao.privacy``. Each value is reported
once per file, at the first place it stands (cells before document parts), masked (139****5678): never whole, not
on the site and not in the terminal. A unit may allow one specific value (an office mobile, the office's public
mailbox) with a recorded reason; there is no blanket switch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jixiao import fieldpath, privacy
from jixiao.checks.catalogue import rule
from jixiao.checks.context import Context
from jixiao.location import Location, masked_name

G = "个人信息"
ADVICE = "个人信息不得公开，请删除或遮盖后重新提供"


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
            if key == "personal_data_allowed":
                continue
            if prefix:
                # A mapping keyed by name (authorized_by_type) publishes its keys as written, as its values (the
                # model's own field names are plain identifiers: nothing to find in them).
                yield prefix, key
            yield from _model_texts(value, fieldpath.join(prefix, key) if prefix else key)
    elif isinstance(node, list):
        for n, value in enumerate(node, start=1):
            yield from _model_texts(value, fieldpath.join(prefix, n))
    elif isinstance(node, str):
        yield prefix, node


def _allowed(ctx: Context) -> set[str]:
    return {privacy.allowed_value(a.value) for a in ctx.evaluation.personal_data_allowed}


def _scan(ctx: Context, kind: str):
    """(place, message) for each value of ``kind`` not allowed: once per file, with how often it recurs there."""
    allowed = _allowed(ctx)
    first: dict[tuple[str | None, str], Location] = {}
    count: dict[tuple[str | None, str], int] = {}
    if ctx.personal is None:  # every kind found in one pass over the texts, shared by the four rules
        ctx.personal = [
            (where, hit)
            for where, text in _texts(ctx)
            if privacy.may_hold(text)
            for hit in privacy.find(text)
        ]
    for where, hit in ctx.personal:
        if hit.kind == kind and hit.value not in allowed:
            key = (where.file, hit.value)
            first.setdefault(key, where)
            count[key] = count.get(key, 0) + 1
    for key, where in first.items():
        more = f"（该文件另有 {count[key] - 1} 处）" if count[key] > 1 else ""
        yield where, f"发现{kind} {privacy.mask(key[1])}{more}：{ADVICE}"


@rule(
    "personal-id",
    "身份证号",
    "error",
    "文件中出现了身份证号码（校验位与出生日期都正确的 18 位号码，或出生日期正确的 15 位旧号码）。个人信息不得公开。",
    G,
)
def personal_id(ctx: Context):
    yield from _scan(ctx, privacy.ID)


@rule(
    "personal-mobile",
    "个人手机号",
    "error",
    "文件中出现了 11 位手机号码（含加空格、横线、点分隔，+86 或 0086 开头，全角数字的写法）。若是单位公开的办公"
    "手机，可在 unit.yaml 的 personal_data_allowed 中逐个登记并说明理由。",
    G,
)
def personal_mobile(ctx: Context):
    yield from _scan(ctx, privacy.MOBILE)


@rule(
    "personal-bank-card",
    "银行卡号",
    "error",
    "文件中出现了银行卡号（16—19 位、通过 Luhn 校验的号码，连写或分组书写）。",
    G,
)
def personal_bank_card(ctx: Context):
    yield from _scan(ctx, privacy.CARD)


@rule(
    "personal-email",
    "电子邮箱",
    "error",
    "文件中出现了电子邮箱地址，默认视为个人信息。单位对外公开的办公邮箱可在 unit.yaml 的 personal_data_allowed "
    "中逐个登记并说明理由。",
    G,
)
def personal_email(ctx: Context):
    yield from _scan(ctx, privacy.EMAIL)


@rule(
    "withheld-original",
    "原件未公开",
    "warning",
    "原件中有无法自动检查个人信息的部分（图片、嵌入对象、没有文字层的页面、不认识的文件类型），默认不在本站公开。"
    "单位人工核对后，可在 unit.yaml 的 released_files 中登记文件名和理由，页面会显示该理由。",
    G,
)
def withheld_original(ctx: Context):
    for source in ctx.evaluation.sources:
        if source.withheld:
            yield (
                Location(str(Path(ctx.folder) / source.file)),
                # A file name may hold the very data the scan looks for: shown masked.
                f"原件“{masked_name(source.file)}”未公开：{source.withheld}",
            )
