"""Roll-up of values up the territory tree and position against target (rules shown on the pages)."""

from decimal import Decimal

import pytest

from tests.factories import IndicatorFactory
from vigie.indicators import progress
from vigie.indicators.enums import (
    Aggregation,
    DenominatorKind,
    Direction,
    Periodicity,
    TerritorialLevel,
    TrackStatus,
)
from vigie.indicators.models import IndicatorValue


def indicator(**kwargs):
    defaults = {
        "baseline_period": "2020",
        "baseline_value": 100,
        "target_period": "2024",
        "target_value": 200,
    }
    return IndicatorFactory.build(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (150, TrackStatus.ON_TRACK),
        (146, TrackStatus.ON_TRACK),
        (140, TrackStatus.AT_RISK),
        (125, TrackStatus.AT_RISK),
        (120, TrackStatus.OFF_TRACK),
        (90, TrackStatus.OFF_TRACK),
    ],
)
def test_linear_path_up(world, value, status):
    # 2022 is halfway from 2020 (100) to 2024 (200): 150 expected.
    item = indicator(measure=world.measure)
    track = progress.track(item, {2022: Decimal(value)}, world.plan)
    assert track.status == status
    assert track.expected == Decimal("150.00")


def test_linear_path_down_and_labels(world):
    item = indicator(measure=world.measure, direction=Direction.DOWN, target_value=50)
    track = progress.track(item, {2021: Decimal(90), 2022: Decimal(76)}, world.plan)
    assert (track.status, track.year, track.expected, track.percent) == (
        TrackStatus.ON_TRACK,
        2022,
        Decimal("75.00"),
        96,
    )
    assert track.label == "Sur la trajectoire" and track.badge == "success"
    assert progress.track(item, {2022: Decimal(110)}, world.plan).status == TrackStatus.OFF_TRACK


def test_no_data_no_target_neutral_keep_level(world):
    assert (
        progress.track(indicator(measure=world.measure), {}, world.plan).status
        == TrackStatus.NO_DATA
    )
    no_target = indicator(measure=world.measure, target_value=None)
    assert progress.track(no_target, {2022: Decimal(1)}, world.plan).status == TrackStatus.NO_TARGET
    neutral = indicator(measure=world.measure, direction=Direction.NEUTRAL)
    assert progress.track(neutral, {2022: Decimal(1)}, world.plan).status == TrackStatus.NO_TARGET
    keep = indicator(measure=world.measure, target_value=100)
    assert progress.track(keep, {2022: Decimal(100)}, world.plan).status == TrackStatus.ON_TRACK
    assert progress.track(keep, {2022: Decimal(95)}, world.plan).status == TrackStatus.AT_RISK
    assert progress.track(keep, {2022: Decimal(80)}, world.plan).status == TrackStatus.OFF_TRACK


def test_without_baseline_the_first_year_is_the_start(world):
    item = indicator(measure=world.measure, baseline_value=None, baseline_period="")
    track = progress.track(item, {2021: Decimal(100), 2023: Decimal(130)}, world.plan)
    # From 100 in 2021 to 200 in 2024: 166.67 expected in 2023; 30 of 66.67 achieved (45 %).
    assert track.status == TrackStatus.OFF_TRACK


def add(world, indicator, key, period, value, status="validated"):
    territory = {"C32013": world.auch, "C32307": world.pavie, "C32107": world.condom}.get(key)
    epci = {"E200066926": world.grand_auch}.get(key)
    IndicatorValue.objects.create(
        indicator=indicator,
        campaign=world.campaign,
        period=period,
        department=world.gers,
        commune=territory,
        epci=epci,
        territory_key=key,
        value=Decimal(value),
        status=status,
    )


def test_rollup_sums_validated_commune_values(world):
    item = world.commune_indicator
    add(world, item, "C32013", "2024", 4)
    add(world, item, "C32307", "2024", 2)
    add(world, item, "C32107", "2024", 5, status="submitted")  # not validated: not counted
    add(world, item, "C32013", "2023", 3)
    result = progress.indicators_progress([item], world.plan)[0]
    assert result.by_period == {"2023": Decimal(3), "2024": Decimal(6)}


def test_rollup_mean_latest_and_none(world):
    mean = IndicatorFactory(
        measure=world.measure,
        territorial_level=TerritorialLevel.COMMUNE,
        aggregation=Aggregation.MEAN,
    )
    add(world, mean, "C32013", "2024", 4)
    add(world, mean, "C32307", "2024", 2)
    stock = IndicatorFactory(
        measure=world.measure, periodicity=Periodicity.QUARTER, aggregation=Aggregation.LATEST
    )
    for quarter, value in ((1, 10), (2, 12), (4, 15)):
        add(world, stock, "D32", f"2024-T{quarter}", value)
    flow = world.quarterly  # quarterly, summed
    for quarter in (1, 2, 3):
        add(world, flow, "D32", f"2024-T{quarter}", 5)
    none = IndicatorFactory(
        measure=world.measure,
        territorial_level=TerritorialLevel.COMMUNE,
        aggregation=Aggregation.NONE,
    )
    add(world, none, "C32013", "2024", 4)
    results = {
        r.indicator.pk: r
        for r in progress.indicators_progress([mean, stock, flow, none], world.plan)
    }
    assert results[mean.pk].annual == {2024: Decimal(3)}
    assert results[stock.pk].annual == {2024: Decimal(15)}
    assert results[flow.pk].annual == {2024: Decimal(15)}
    assert results[none.pk].annual == {}
    assert results[none.pk].track.status == TrackStatus.NO_DATA


def test_computed_indicator_per_thousand_inhabitants(world):
    rate = IndicatorFactory(
        measure=world.measure,
        is_computed=True,
        numerator=world.dept_indicator,
        denominator_kind=DenominatorKind.POPULATION,
        factor=1000,
    )
    add(world, world.dept_indicator, "D32", "2024", 63)
    result = progress.indicators_progress([rate], world.plan)[0]
    # Population of the department: the sum of its communes (22,000 + 2,600 + 6,500 = 31,100).
    assert result.by_period == {"2024": Decimal("2.03")}
    ratio = IndicatorFactory(
        measure=world.measure,
        is_computed=True,
        numerator=world.dept_indicator,
        denominator_kind=DenominatorKind.INDICATOR,
        denominator=world.quarterly,
        factor=100,
    )
    add(
        world, world.quarterly, "D32", "2024", 90
    )  # not a quarter code: ignored by the campaign, used here
    assert progress.indicators_progress([ratio], world.plan)[0].by_period == {
        "2024": Decimal("70.00")
    }
    assert "÷ population du territoire × 1000" in rate.formula_label


def test_measure_and_axis_progress_count_actions(world):
    measure = progress.measure_progress(world.measure)
    assert (measure.actions.done, measure.actions.total) == (1, 2)
    axis = progress.axis_progress(world.axis)
    assert axis.actions.total == 2
    assert sum(row["count"] for row in axis.track_counts) == 4
