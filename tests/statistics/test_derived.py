import json
from decimal import Decimal

import pytest

from vigie.core.formatting import number, percent, rate
from vigie.statistics.derived import (
    annual_average_change,
    check_stated,
    exact_change,
    percent_change,
    rate_per_thousand,
    round_half_up,
)
from vigie.statistics.services import PLAN_FIGURES_FILE

D = Decimal


def test_year_over_year_change_rounds_half_up_to_two_decimals():
    assert percent_change(238600, 258400) == D("8.30")
    assert percent_change(395, 421) == D("6.58")
    assert percent_change(7500, 7500) == D("0.00")
    assert percent_change(0, 0) == D("0.00")
    assert percent_change(0, 3) is None
    assert percent_change(None, 3) is None
    # Half-up, not banker's rounding: 1/8 = 12.5 % → 13 with 0 decimals, 0.125 → 0.13.
    assert percent_change(8, 9, 0) == D("13")
    assert round_half_up(D("0.125"), 2) == D("0.13")
    assert round_half_up(D("-0.125"), 2) == D("-0.13")


def test_rate_per_thousand_and_evolution():
    assert rate_per_thousand(414, 174094, 7) == D("2.3780257")  # as in the SSMSI file
    # Burglaries: per 1,000 dwellings. The file says 4,6527713 (the SSMSI divides by the unrounded dwelling
    # count); the published rounded count gives the same rate to 4 decimals.
    assert rate_per_thousand(556, 119499, 4) == D("4.6528")
    assert rate_per_thousand(945, 173828) == D("5.44")
    assert rate_per_thousand(3, 0) is None
    assert annual_average_change(100, 121, 2) == D("10.00")


def test_check_stated_uses_the_documents_precision():
    assert check_stated("22.5", exact_change(71, 87), 1).matches
    check = check_stated("15.83", exact_change(246, 285), 2)
    assert not check.matches and check.recomputed == D("15.85")
    assert not check_stated("243", exact_change(174, 472), 0).matches
    assert not check_stated("8", None, 0).checkable


def _lot_table():
    data = json.loads(PLAN_FIGURES_FILE.read_text(encoding="utf-8"))
    lot = next(plan for plan in data["plans"] if plan["department"] == "46")
    series = {s["ref"]: s for s in lot["series"]}
    return [
        (f, series[f["series"]])
        for f in lot["stated_figures"]
        if f["kind"] == "yoy" and (f["series"] or "").startswith("lot-tableau-a")
    ]


def test_the_lot_plan_table_2019_2018_column_is_reproduced_exactly_from_its_counts():
    cells = _lot_table()
    assert len(cells) == 22  # 11 indicators × (France entière, Lot)
    for figure, series in cells:
        values = series["values"]
        computed = percent_change(values[str(figure["from"])], values[str(figure["to"])])
        assert computed == D(figure["stated"]), (figure["label"], computed, figure["stated"])


@pytest.mark.parametrize(
    "ref, stated",
    [
        ("lot-tableau-a-france-coups-et-blessures-volontaires", "8.30"),
        ("lot-tableau-a-lot-coups-et-blessures-volontaires", "6.58"),
    ],
)
def test_coups_et_blessures_cells(ref, stated):
    figure, series = next((f, s) for f, s in _lot_table() if s["ref"] == ref)
    assert (
        percent(percent_change(series["values"]["2018"], series["values"]["2019"]))
        == f"+{stated.replace('.', ',')}\u202f%"
    )


def test_french_formatting():
    assert number(258400) == "258\u202f400"
    assert number(D("2.5000")) == "2,5"
    assert number(D("-1234.5"), 2) == "−1\u202f234,50"
    assert percent(D("-7.37")) == "−7,37\u202f%"
    assert percent(D("0.00")) == "0,00\u202f%"
    assert rate(D("2.38")) == "2,38\u202f‰"
