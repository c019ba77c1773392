from datetime import date
from decimal import Decimal

import pytest

from vigie.core.formatting import number
from vigie.indicators import periods
from vigie.indicators.enums import Periodicity
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.indicators.territory import level_of_code, normalize_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", Decimal("12")),
        ("1 234,5", Decimal("1234.5")),
        ("\u202f3,25", Decimal("3.25")),
        (7, Decimal(7)),
        (2.5, Decimal("2.5")),
        ("-4.5", Decimal("-4.5")),
        ("\u22124,5", Decimal("-4.5")),  # the minus sign pages show
        ("", None),
        (None, None),
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12a", "1,2,3", "1e5", True, "1" * 14, float("nan")])
def test_parse_number_rejects(raw):
    with pytest.raises(NotANumber):
        parse_number(raw)


def test_format_number_french():
    assert number(Decimal("1234567.50")) == "1\u202f234\u202f567,5"
    assert number(Decimal("12.0000")) == "12"
    assert number(None) == "—"


def test_periods_codes_bounds_and_labels():
    assert periods.parse("2025-S2") == (Periodicity.SEMESTER, 2025, 2)
    assert periods.parse("2025-13") is None
    assert periods.bounds("2025-T2") == (date(2025, 4, 1), date(2025, 6, 30))
    assert periods.bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.label("2025-T1") == "1er trimestre 2025"
    assert periods.label("2025-03") == "mars 2025"
    assert periods.periods_between(Periodicity.QUARTER, date(2025, 1, 1), date(2025, 12, 31)) == [
        "2025-T1",
        "2025-T2",
        "2025-T3",
        "2025-T4",
    ]
    # A semester campaign contains no annual period.
    assert periods.periods_between(Periodicity.ANNUAL, date(2025, 1, 1), date(2025, 6, 30)) == []
    assert periods.normalize(2025.0) == "2025"


def test_territory_codes():
    assert level_of_code("32") == "department"
    assert level_of_code("2A") == "department"
    assert level_of_code("32013") == "commune"
    assert level_of_code("200066926") == "epci"
    assert level_of_code("12345678") is None
    assert normalize_code(1053) == "01053"  # a spreadsheet dropped the leading zero
    assert normalize_code(32013.0) == "32013"
