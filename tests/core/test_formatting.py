"""French numbers and dates (vigie/core/formatting.py): one rounding rule, one sign, one separator."""

from datetime import date
from decimal import Decimal as D

import pytest

from vigie.core.formatting import (
    french_date,
    number,
    percent,
    plain_decimal,
    rate,
    round_half_up,
    short_date,
)

NNBSP = "\u202f"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # Half values round away from zero, whatever the type and the parity of the digit before.
        (D("2.5"), 0, "3"),
        (D("3.5"), 0, "4"),
        (D("-2.5"), 0, f"{MINUS}3"),
        (2.5, 0, "3"),
        (0.5, 0, "1"),
        (D("0.125"), 2, "0,13"),
        (0.125, 2, "0,13"),
        (D("-0.125"), 2, f"{MINUS}0,13"),
        # A float is read through its repr, not its binary expansion (2.675 is 2.67499999… in binary).
        (2.675, 2, "2,68"),
        (1.005, 2, "1,01"),
        (D("1234.5678"), 2, f"1{NNBSP}234,57"),
        # Fixed decimals keep their zeros.
        (D("8.3"), 2, "8,30"),
        (7, 1, "7,0"),
    ],
)
def test_rounding_is_decimal_half_away_from_zero(value, decimals, expected):
    assert number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (D("0.000"), "0"),
        (999, "999"),
        (1000, f"1{NNBSP}000"),
        (258400, f"258{NNBSP}400"),
        (1234567890123, f"1{NNBSP}234{NNBSP}567{NNBSP}890{NNBSP}123"),
        (D("1E+6"), f"1{NNBSP}000{NNBSP}000"),
        (D("12500.50"), f"12{NNBSP}500,5"),
        (D("2.5000"), "2,5"),
        (-4500, f"{MINUS}4{NNBSP}500"),
        (D("-0.5"), f"{MINUS}0,5"),
        (12.25, "12,25"),
        ("12.5", "12,5"),
        (None, "—"),
        ("", "—"),
        ("abc", "abc"),
        (float("nan"), "nan"),
    ],
)
def test_number(value, expected):
    assert number(value) == expected


def test_a_value_rounded_to_zero_has_no_sign():
    assert number(D("-0.001"), 2) == "0,00"
    assert number(D("0.001"), 2, signed=True) == "0,00"
    assert percent(D("0.004")) == f"0,00{NNBSP}%"


def test_signed_numbers_and_changes():
    assert number(D("3"), signed=True) == "+3"
    assert number(D("-3"), signed=True) == f"{MINUS}3"
    assert number(0, signed=True) == "0"
    assert percent(D("3.2"), 1) == f"+3,2{NNBSP}%"
    assert percent(D("-7.37")) == f"{MINUS}7,37{NNBSP}%"
    assert percent(D("11.345"), 2) == f"+11,35{NNBSP}%"
    assert percent(D("45"), 0, signed=False) == f"45{NNBSP}%"
    assert percent(None) == "—"


def test_rates():
    assert rate(D("2.38")) == f"2,38{NNBSP}‰"
    assert rate(D("0.0125"), 3) == f"0,013{NNBSP}‰"
    assert rate(None) == "—"


def test_round_half_up():
    assert round_half_up(D("0.125"), 2) == D("0.13")
    assert round_half_up(-2.5) == D("-3")
    assert round_half_up(2.675, 2) == D("2.68")


def test_plain_decimal_for_csv():
    assert plain_decimal(D("1234.50")) == "1234,5"
    assert plain_decimal(D("-3.00")) == "-3"
    assert plain_decimal(None) == ""


def test_dates():
    assert french_date(date(2026, 12, 5)) == "5 décembre 2026"
    assert french_date(date(2025, 1, 1)) == "1er janvier 2025"
    assert french_date(date(2024, 8, 31)) == "31 août 2024"
    assert short_date(date(2026, 12, 5)) == "05/12/2026"
    assert french_date(None) == short_date(None) == "—"


def test_template_filters_use_the_same_rule():
    from django.template import Context, Template

    rendered = Template(
        "{% load vigie_tags indicators_tags %}{{ a|nombre:0 }} {{ b|num:2 }} {{ c|nombre }} {{ c|num }}"
    ).render(Context({"a": D("2.5"), "b": D("0.125"), "c": None}))
    assert rendered == "3 0,13 — —"
