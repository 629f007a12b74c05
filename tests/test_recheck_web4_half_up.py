"""Halves round away from zero in every Swedish number the dashboard shows (Swedish official
statistics and spreadsheets round 38,5 % to 39 %, not to the even 38 % of Python's ``format``)."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from lagesbild.figures.format import fmt_change, fmt_int, fmt_num, fmt_pct, fmt_pp

NB = "\u00a0"
MINUS = "\u2212"


def test_halves_round_away_from_zero_hand_computed():
    # each expected text worked out by hand: the half goes up in size, the sign stays
    assert fmt_pct(0.385) == "39" + NB + "%"
    assert fmt_pct(38.5, fraction=False) == "39" + NB + "%"
    assert fmt_int(12.5) == "13"
    assert fmt_int(0.5) == "1"
    assert fmt_int(2.5) == "3"
    assert fmt_num(0.125, 2) == "0,13"
    assert fmt_num(0.005, 2) == "0,01"
    assert fmt_num(-2.5, 0) == MINUS + "3"
    assert fmt_num(-0.125, 2) == MINUS + "0,13"
    assert fmt_change(-2.5) == MINUS + "3"
    assert fmt_change(12.5) == "+13"
    assert fmt_pp(4.5) == "+5" + NB + "p.e."
    assert fmt_num(1234567.5, 0) == "1" + NB + "234" + NB + "568"
    assert fmt_num(-2344.45, 1) == MINUS + "2" + NB + "344,5"
    assert fmt_num(999.95, 1) == "1" + NB + "000,0"


def test_not_halves_unchanged():
    assert fmt_num(0.124, 2) == "0,12"
    assert fmt_num(-0.004, 2) == "0,00"  # rounds to zero: no minus
    assert fmt_int(-0.4) == "0"
    assert fmt_num(1234.56) == "1" + NB + "234,6"
    assert fmt_int(12345) == "12" + NB + "345"


def _reference(value: float, decimals: int) -> str:
    """The number as ``decimal`` rounds its shortest text half up, in the Swedish format."""
    exact = Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    digits = f"{exact:f}"
    whole, _, frac = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NB.join(groups) + ("," + frac if decimals else "")
    return (MINUS + text) if value < 0 and exact != 0 else text


@given(st.integers(-10**9, 10**9), st.integers(0, 3), st.sampled_from([0, 5, 4, 6]))
def test_property_halves_against_decimal(units, decimals, last):
    # numbers with exactly one digit past the shown decimals, many of them halves
    value = float(f"{units / 10**decimals:.{decimals}f}{last}") if decimals else float(f"{units}.{last}")
    assert fmt_num(value, decimals) == _reference(value, decimals)


@given(st.floats(-1e12, 1e12, allow_nan=False), st.integers(0, 3))
def test_property_any_float_against_decimal(value, decimals):
    assert fmt_num(value, decimals) == _reference(value, decimals)
