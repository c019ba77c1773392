"""Bounded SQL queries on voluminous data (200 communes × 25 indicators × 4 years)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    EpciFactory,
    IndicatorFactory,
    MeasureFactory,
    UserFactory,
)
from vigie.indicators.enums import Aggregation, TerritorialLevel
from vigie.indicators.models import Campaign, IndicatorValue
from vigie.territories.models import Commune


@pytest.fixture
def big(world):
    epcis = [EpciFactory(code=f"2000000{i:02d}", name=f"EPCI {i}") for i in range(5)]
    for epci in epcis:
        epci.departments.add(world.gers)
    communes = Commune.objects.bulk_create(
        Commune(
            code=f"32{i + 400:03d}",
            name=f"Commune {i}",
            department=world.gers,
            epci=epcis[i % 5],
            population=500 + i,
        )
        for i in range(200)
    )
    measures = [MeasureFactory(axis=world.axis, number=f"9.{i}") for i in range(5)]
    indicators = []
    for i in range(25):
        level = [TerritorialLevel.COMMUNE, TerritorialLevel.EPCI, TerritorialLevel.DEPARTMENT][
            i % 3
        ]
        indicators.append(
            IndicatorFactory(
                measure=measures[i % 5],
                territorial_level=level,
                aggregation=Aggregation.SUM,
                baseline_period="2020",
                baseline_value=10,
                target_period="2024",
                target_value=20,
            )
        )
        ActionFactory(measure=measures[i % 5])
    campaigns = {
        year: Campaign.objects.create(
            plan=world.plan,
            title=f"Bilan {year}",
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            deadline=date(year + 1, 3, 31),
        )
        for year in range(2021, 2025)
    }
    values = []
    for indicator in indicators:
        if indicator.territorial_level == TerritorialLevel.COMMUNE:
            targets = [(f"C{c.code}", {"commune": c}) for c in communes]
        elif indicator.territorial_level == TerritorialLevel.EPCI:
            targets = [(f"E{e.code}", {"epci": e}) for e in epcis]
        else:
            targets = [("D32", {})]
        for year, campaign in campaigns.items():
            for key, fk in targets:
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        campaign=campaign,
                        period=str(year),
                        department=world.gers,
                        territory_key=key,
                        value=Decimal(year - 2019),
                        status="validated",
                        **fk,
                    )
                )
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    for i in range(5):
        UserFactory(role="coordinator", department=world.gers, epci=epcis[i])
    world.big_indicators = indicators
    world.big_measures = measures
    return world


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


LIMITS = {
    "plan_progress": 14,  # 4 for the grants panel (vigie.funding)
    "axis_progress": 13,
    "measure_progress": 18,
    "indicator": 17,
    "campaign": 19,
    "missing": 17,
    "export": 6,
    "template": 9,
}


def test_pages_have_bounded_queries(big, client, django_assert_max_num_queries):
    w = big
    client.force_login(w.users.prefecture)
    args = {
        "plan_progress": [w.plan.pk],
        "axis_progress": [w.axis.pk],
        "measure_progress": [w.big_measures[0].pk],
        "indicator": [w.big_indicators[0].pk],
        "campaign": [w.campaign.pk],
        "missing": [w.campaign.pk],
        "export": [w.plan.pk, "csv"],
        "template": [w.campaign.pk, "xlsx"],
    }
    for name, limit in LIMITS.items():
        with django_assert_max_num_queries(limit, info=name):
            response = client.get(reverse(f"indicators:{name}", args=args[name]))
        assert response.status_code == 200, name

    # Twice as many measures: the same number of queries on the department page.
    url = reverse("indicators:plan_progress", args=[w.plan.pk])
    first = count_queries(client, url)
    MeasureFactory.create_batch(5, axis=w.axis)
    assert count_queries(client, url) == first
