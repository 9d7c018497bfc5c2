"""Fuzzing in the suite: every mutated or hostile file ends in a located error or a reading, never a traceback, a
crash or a hang (each case in a child process with a time limit); property tests for the cell and number parsers."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from jixiao.forms.cell_text import clean_name
from jixiao.forms.cells import parse_measure, parse_number, parse_op

from .fuzzing import corpus, run_all


def test_mutated_and_hostile_files_end_in_located_errors_never_tracebacks_or_hangs(tmp_path, capsys):
    cases = list(corpus())
    outcomes = run_all(cases, tmp_path)
    counts = {k: len(v) for k, v in outcomes.items()}
    with capsys.disabled():
        print(
            f"\nfuzz: {len(cases)} cases: {counts.get('located', 0)} clean located errors, {counts.get('ok', 0)} read, "
            f"{counts.get('traceback', 0)} tracebacks, {counts.get('crash', 0)} crashes, {counts.get('hang', 0)} hangs"
        )
    bad = {k: v for k, v in outcomes.items() if k not in ("ok", "located")}
    assert bad == {}
    assert len(cases) > 150 and counts["located"] > 100
    # The hostile ones are refused for the right reason, not by luck.
    located = dict(outcomes["located"])
    assert "[file-too-large]" in located["自评表.xlsx sparse to XFD1048576"]
    assert "[file-too-large]" in located["自评表.xlsx giant merge"]
    assert "[unsafe-file]" in located["自评表.xlsx billion laughs"]
    assert "[unsafe-file]" in located["自评报告.docx XXE"]
    assert "[file-too-large]" in located["HTML 100,000 rows of colspan 16384"]
    assert "[encrypted-file]" in located["encrypted xlsx (OLE EncryptedPackage)"]


# --- property tests: the cell and number parsers ------------------------------------------------------------

anything = st.one_of(
    st.text(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.none(),
)


@given(anything)
def test_parsers_never_raise_and_numbers_from_text_are_finite(value):
    number = parse_number(value)
    measure = parse_measure(value)
    parse_op(value)
    clean_name(value)
    if isinstance(value, str):
        assert number is None or (isinstance(number, (int, float)) and math.isfinite(number))
        assert not isinstance(measure.value, float) or math.isfinite(measure.value)


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_amounts_round_trip_as_written(amount):
    expected = float(amount)
    assert parse_number(f"{amount}") == expected
    assert parse_number(f"{amount:,}") == expected  # thousands separators
    full = f"{amount}".translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_number(full) == expected  # full-width digits
    measure = parse_measure(f"{amount}万元")
    assert (measure.value, measure.unit) == (expected, "万元")


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["≥", ">=", "≧", "大于等于", "不低于"]))
def test_operators_glued_to_numbers_are_split(n, op):
    measure = parse_measure(f"{op}{n}个")
    assert (measure.op, measure.value, measure.unit) == ("≥", n, "个")
