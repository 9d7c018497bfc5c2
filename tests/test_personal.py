"""Personal data: found however it is written, look-alikes left alone, masked wherever it is shown."""

from __future__ import annotations

import random

import pytest

from jixiao.checks import Context, check_evaluation
from jixiao.checks.personal import ADVICE
from jixiao.location import Location, masked_name
from jixiao.model import Evaluation
from jixiao.privacy import CARD, EMAIL, ID, MOBILE, find, id_check_char, is_uscc, luhn, mask, masked

from .conftest import ROOT, SEED
from .test_checks import good


def make_id(prefix: str = "51172519850615123") -> str:
    return prefix + id_check_char(prefix)


def make_card(prefix: str = "621700123456789012") -> str:
    return next(prefix + d for d in "0123456789" if luhn(prefix + d))


def uscc(prefix: str = "91511725MA62A1234") -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(prefix, weights, strict=True))
    return prefix + chars[(31 - total % 31) % 31]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in find(text)]


MOBILES = [
    "联系电话 13812345678",
    "手机：138 1234 5678",
    "138-1234-5678",
    "138.1234.5678",
    "+86 13812345678",
    "+86-138-1234-5678",
    "0086 13812345678",
    "（+86）138 1234 5678",
    "手机１３８１２３４５６７８",  # full-width digits
    "手机 １３８－１２３４－５６７８",
    "电话：13812345678。",
]


@pytest.mark.parametrize("text", MOBILES)
def test_mobiles_are_found_however_written(text):
    assert kinds(text) == [(MOBILE, "13812345678")]


IDS = [
    f"联系人身份证号：{make_id()}",
    f"身份证{make_id().lower()}。",
    f"身份证 {make_id()[:6]} {make_id()[6:14]} {make_id()[14:]}",
    "身份证" + make_id().translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
]


@pytest.mark.parametrize("text", IDS)
def test_id_numbers_with_a_valid_check_digit_and_birth_date_are_found(text):
    assert kinds(text) == [(ID, make_id())]


def test_old_15_digit_ids_are_found():
    assert kinds("旧证 511725850615123") == [(ID, "511725850615123")]


def test_bank_cards_pass_luhn_and_may_be_spaced():
    card = make_card()
    spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert kinds(f"收款账号 {card}") == [(CARD, card)]
    assert kinds(f"账号：{spaced}") == [(CARD, card)]
    assert kinds(f"账号：{spaced.replace(' ', '-')}") == [(CARD, card)]
    visa = next("4" + "1" * 14 + d for d in "0123456789" if luhn("4" + "1" * 14 + d))
    assert kinds(f"卡号 {visa}") == [(CARD, visa)]
    assert kinds(f"卡号 {visa[:-1]}{(int(visa[-1]) + 1) % 10}") == []  # fails Luhn


def test_email_addresses_are_found():
    assert kinds("请发送至 Zhang.San@163.com 谢谢") == [(EMAIL, "zhang.san@163.com")]
    assert kinds("邮箱：bcz_office@qu.gov.cn。") == [(EMAIL, "bcz_office@qu.gov.cn")]
    assert kinds("邮箱 ｚｓ＠１６３．ｃｏｍ") == [(EMAIL, "zs@163.com")]


LOOK_ALIKES = [
    "金额13912345678.00元",
    "金额 13912345678 元",
    "支出 13912345678万元",
    "合计￥13912345678",
    f"统一社会信用代码：{uscc()}",
    f"统一社会信用代码：{uscc('11511725000000001')}",  # an all-digit code passes its own check: not an ID
    "索引号：11511725MB1634517X/2024-00012",
    "索引号：008712345/2024-13912345678",
    "办公电话：0818-7321234",
    "电话（0818）7321234",
    "预算 1,599.38 万元，1059.39 万元，人均 1.13 万元",
    "2024年7月9日公开，20240709，2024-07-09",
    "项目编码 51000021R000000019951",
    "项目代码 XM-13912345678",
    "文号 渠财预〔2024〕123号",
    "金额 1599380000.00 元",
    "序号 12345678901234567890123",
    make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1"),  # 18 digits failing the ID check
    "511725203012311234",  # a birth date in the future
    "511725199002301234",  # 30 February
    "比率 13.912345678%",
    "版本 v13912345678",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_personal_data(text):
    assert kinds(text) == []


def test_uscc_check():
    assert is_uscc(uscc()) and not is_uscc(uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1"))


def test_random_digit_runs_rarely_look_like_personal_data(capsys):
    rng = random.Random(7)
    runs = ["".join(rng.choice("0123456789") for _ in range(rng.randint(8, 14))) for _ in range(2000)]
    hits = sum(1 for r in runs if kinds(f"编号 {r}"))
    # 11-digit runs starting 13–19 are mobiles by shape; everything else (IDs fail their check) must pass.
    shaped = sum(1 for r in runs if len(r) == 11 and r[0] == "1" and r[1] in "3456789")
    assert shaped > 20 and hits == shaped
    passed = sum(1 for text in LOOK_ALIKES if not kinds(text))
    with capsys.disabled():
        print(
            f"\nlook-alikes: {passed} of {len(LOOK_ALIKES)} written look-alikes passed; "
            f"{len(runs) - shaped} of {len(runs) - shaped} random digit runs that are no mobile by shape passed"
        )
    assert passed == len(LOOK_ALIKES)


def test_values_are_masked():
    assert mask("13812345678") == "138****5678"
    assert mask("zhang.san@163.com") == "z***@163.com"
    assert masked("张三 138-1234-5678 与 zs@163.com") == "张三 138****5678 与 z***@163.com"


def test_file_and_sheet_names_are_masked_wherever_a_place_is_shown():
    where = Location("data/2024/宝城镇/张三１３８１２３４５６７８.xlsx", "zs@163.com 的表", "B2")
    for shown in (where.terminal(), where.words()):
        assert "138****5678" in shown and "z***@163.com" in shown
        assert "5678" in shown and "１２３４" not in shown and "zs@163" not in shown
    assert masked_name("13912345678报表") == "139****5678报表"


def test_personal_data_blocks_with_its_place_and_can_be_allowed_one_by_one():
    data = good()
    data["tasks"] = [
        {"name": "联络", "content": f"联系人手机 13812345678，身份证 {make_id()}，邮箱 office@qu.gov.cn"}
    ]
    ctx = Context(Evaluation.model_validate(data), "data/2024/示例镇")
    found = [f for f in check_evaluation(ctx) if f.severity == "error"]
    assert [(f.rule, f.location.terminal()) for f in found] == [
        ("personal-id", "data/2024/示例镇: tasks[1].content"),
        ("personal-mobile", "data/2024/示例镇: tasks[1].content"),
        ("personal-email", "data/2024/示例镇: tasks[1].content"),
    ]
    assert "138****5678" in found[1].message and "13812345678" not in found[1].message
    data["personal_data_allowed"] = [
        {"value": "138-1234-5678", "reason": "镇办公室对外公开的值班手机"},
        {"value": "Office@qu.gov.cn", "reason": "镇党政办公开的办公邮箱"},
    ]
    left = [
        f.rule
        for f in check_evaluation(Context(Evaluation.model_validate(data), "d"))
        if f.severity == "error"
    ]
    assert left == ["personal-id"]


def test_a_bank_card_in_any_text_blocks_publishing():
    data = good()
    card = make_card()
    data["tasks"] = [
        {"name": "补贴发放", "content": f"打卡至账户 {card[:4]} {card[4:8]} {card[8:12]} {card[12:]}"}
    ]
    [found] = [
        f for f in check_evaluation(Context(Evaluation.model_validate(data), "d")) if f.severity == "error"
    ]
    assert (found.rule, found.location.field) == ("personal-bank-card", "tasks[1].content")
    assert card not in found.message and card[:3] in found.message and card[-4:] in found.message


def test_personal_data_in_any_cell_of_any_sheet_blocks_the_build(tmp_path, capsys):
    import shutil

    import openpyxl

    from jixiao.cli import main

    folder = tmp_path / "data" / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    book = openpyxl.load_workbook(folder / "自评表.xlsx")
    sheet = book.create_sheet("联系人")  # a sheet jixiao does not otherwise read
    sheet["B3"] = f"经办人 张三 {make_id()}"
    book.save(folder / "自评表.xlsx")
    site = tmp_path / "site"
    assert (
        main(
            [
                "build",
                "-q",
                "--data",
                str(tmp_path / "data"),
                "--site",
                str(site),
                "--config",
                str(ROOT / "mkdocs.yml"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith(f"{folder / '自评表.xlsx'}:联系人!B3: 发现身份证号 511")
    assert first.endswith("[personal-id]")
    assert make_id() not in err
    assert not site.exists()


def test_the_quick_prefilter_is_the_digit_count_it_replaced():
    """``may_hold`` counts digits with one regex: the same characters str.isdigit() counts (every code point),
    the same answer on texts around the threshold, and never False where ``find`` finds something."""
    import sys

    from jixiao.privacy import _DIGIT, may_hold

    def before(text: str) -> bool:
        return "@" in text or "＠" in text or sum(ch.isdigit() for ch in text) >= 11

    assert [c for c in range(sys.maxunicode + 1) if bool(_DIGIT.fullmatch(chr(c))) != chr(c).isdigit()] == []
    rng = random.Random(5)
    pieces = ["1", "9", "０", "٣", "²", "①", "⑴", "𝟙", " ", "-", "a", "中", "@", "＠", ".", "元"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 24))) for _ in range(20_000)]
    texts += MOBILES + ["1" * 10, "1" * 11, "²" * 11, "a@b", "＠"]
    assert sum(before(t) for t in texts) > 1_000 and sum(not before(t) for t in texts) > 1_000
    assert [t for t in texts if may_hold(t) != before(t)] == []
    assert [t for t in texts if find(t) and not may_hold(t)] == []


def test_personal_data_written_as_a_mapping_key_in_unit_yaml_is_found(tmp_path, capsys):
    """authorized_by_type's keys (kinds of staff) are published as written: a mobile or an address written as one
    was let through by ``jixiao check`` (only values were scanned); found now, at the mapping, masked."""
    import shutil

    from jixiao.cli import main

    folder = tmp_path / "data" / "2024" / "宝城镇"
    shutil.copytree(SEED, folder)
    unit = folder / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    assert "\nstaffing:\n" in text
    unit.write_text(
        text.replace(
            "\nstaffing:\n",
            '\nstaffing:\n  authorized_by_type: {"联系人 138 1234 5678": 0, ? "ｚｈａｎｇ＠ｑｕ.gov.cn" : 0}\n',
        ),
        encoding="utf-8",
    )
    assert main(["check", "-q", "--data", str(tmp_path / "data")]) == 1
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if "[personal-" in line]
    assert lines == [
        f"{unit}: staffing.authorized_by_type: 发现手机号 138****5678：{ADVICE} [personal-mobile]",
        f"{unit}: staffing.authorized_by_type: 发现电子邮箱 z***@qu.gov.cn：{ADVICE} [personal-email]",
    ]
    assert "1234 5678" not in out.out + out.err


def test_personal_data_in_a_mapping_key_of_the_model_itself_is_found():
    """Without the source files' texts (a model built by a reader or by hand), the model's own texts are scanned:
    a mapping's keys (authorized_by_type: kinds of staff, published as written) as well as its values."""
    data = good()
    data["staffing"] = {"authorized": 3, "authorized_by_type": {"行政": 2, "联系人 13812345678": 1}}
    found = [
        f for f in check_evaluation(Context(Evaluation.model_validate(data), "d")) if f.severity == "error"
    ]
    assert [(f.rule, f.location.field) for f in found] == [("personal-mobile", "staffing.authorized_by_type")]
    assert "138****5678" in found[0].message and "13812345678" not in found[0].message


def test_personal_data_in_an_unknown_key_is_masked_where_the_key_is_named(tmp_path, capsys):
    """An unknown field is named back to the clerk: a mobile or an e-mail written as the key is masked there, as
    in a file or sheet name, in the terminal and in the words a page shows."""
    from jixiao.cli import main

    folder = tmp_path / "2024" / "示例镇"
    folder.mkdir(parents=True)
    (folder / "evaluation.yaml").write_text(
        "unit:\n  name: 示例镇人民政府\n  short_name: 示例镇\n  kind: 乡镇\nyear: 2024\n"
        "联系人13812345678: 1\nfunds:\n  initial_budget: 1\n  final_budget: 1\n  执行人zs@163.com: 2\n",
        encoding="utf-8",
    )
    assert main(["check", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ": 联系人138****5678: 未知字段" in out and ": funds.执行人z***@163.com: 未知字段" in out
    assert "12345678" not in out and "zs@163" not in out
    where = Location("a.docx", part="表格 2（张三 13912345678）", field="tasks[联系人13912345678].content")
    assert "13912345678" not in where.words() and "139****5678" in where.words()
