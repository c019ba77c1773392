"""The overview's figures: the same as the department's own pages compute, in a bounded number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    ActionFactory,
    AxisFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
)
from tests.governance.factories import BodyFactory, MeetingFactory
from tests.overview import factories
from vigie.governance import selectors
from vigie.governance.enums import Cadence
from vigie.indicators import progress
from vigie.indicators.enums import TrackStatus, ValueStatus
from vigie.indicators.models import Campaign, IndicatorValue
from vigie.overview.figures import department_figures
from vigie.plans.enums import ActionStatus, PlanStatus

TODAY = date(2026, 12, 6)


def _value(indicator, campaign, year, value):
    IndicatorValue.objects.create(
        indicator=indicator,
        campaign=campaign,
        period=str(year),
        department=campaign.plan.department,
        territory_key=f"D{campaign.plan.department.code}",
        value=Decimal(value),
        status=ValueStatus.VALIDATED,
    )


@pytest.fixture
def gers_plan(territories):
    gers = territories["gers"]
    PlanFactory(department=gers, period_start=2015, period_end=2020, status=PlanStatus.CLOSED)
    plan = PlanFactory(department=gers, period_start=2021, period_end=2026)
    measure = MeasureFactory(axis=AxisFactory(plan=plan))
    for status in (ActionStatus.DONE, ActionStatus.DONE, ActionStatus.IN_PROGRESS):
        ActionFactory(measure=measure, status=status)
    campaign = Campaign.objects.create(
        plan=plan,
        title="Collecte",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        deadline=date(2025, 1, 31),
    )
    common = {"baseline_period": "2020", "baseline_value": 100, "target_period": "2026"}
    off = IndicatorFactory(measure=measure, target_value=200, **common)
    on = IndicatorFactory(measure=measure, target_value=200, **common)
    IndicatorFactory(measure=measure, target_value=200, **common)  # no data
    _value(off, campaign, 2024, 105)
    _value(on, campaign, 2024, 195)
    overdue = BodyFactory(department=gers, cadence=Cadence.YEARLY)
    MeetingFactory(body=overdue, date=TODAY - timedelta(days=500))
    fine = BodyFactory(department=gers, cadence=Cadence.YEARLY)
    MeetingFactory(body=fine, date=TODAY - timedelta(days=30))
    BodyFactory(department=gers, cadence=Cadence.MONTHLY)  # never met
    BodyFactory(department=gers, cadence=Cadence.NONE)
    return plan


@pytest.mark.django_db
def test_figures_of_a_small_department(gers_plan, territories):
    gers, lot = territories["gers"], territories["lot"]
    gers_row, lot_row = department_figures([gers, lot], TODAY)
    assert gers_row.plan == gers_plan  # the adopted plan, not the closed one
    assert (gers_row.actions.done, gers_row.actions.total, gers_row.actions.done_percent) == (
        2,
        3,
        67,
    )
    assert len(gers_row.off_track) == 1
    assert gers_row.tracked_count == 2
    assert len(gers_row.overdue) == 1
    assert len(gers_row.never_met) == 1
    assert gers_row.with_cadence_count == 3
    assert lot_row.plan is None and lot_row.actions.total == 0 and lot_row.bodies == []


@pytest.mark.django_db
def test_figures_agree_with_the_department_pages(gers_plan, territories):
    """Computed by the apps' own functions: the plan's progress page and the governance dashboard."""
    row = department_figures([territories["gers"]], TODAY)[0]
    axes = progress.plan_progress(gers_plan)
    plan_actions = progress.ActionCounts()
    for axis in axes:
        plan_actions.merge(axis.actions)
    assert row.actions.counts == plan_actions.counts
    statuses = {i.indicator.pk: i.track.status for axis in axes for i in axis.indicators}
    assert {i.indicator.pk: i.track.status for i in row.indicators} == statuses
    assert [i.indicator.pk for i in row.off_track] == [
        pk for pk, status in statuses.items() if status == TrackStatus.OFF_TRACK
    ]
    dashboard = selectors.body_statuses(territories["gers"], TODAY)
    assert [(s.body.pk, s.status) for s in row.bodies] == [(s.body.pk, s.status) for s in dashboard]


@pytest.mark.django_db
def test_page_shows_every_figure_as_text(client, make_user, gers_plan, territories):
    client.force_login(make_user("admin"))
    page = client.get(reverse("overview:index")).content.decode()
    detail = reverse("overview:department", args=["32"])
    assert f'href="{detail}#actions">67' in page
    assert f'href="{detail}#indicateurs">1' in page
    assert f'href="{detail}#instances">1' in page
    assert "2021-2026 — Adopté" in page


@pytest.mark.django_db
def test_generated_departments_have_the_expected_figures(db):
    departments = factories.generate_departments(12, regions=3, today=TODAY)
    expected = factories.expected()
    for row in department_figures(departments, TODAY):
        assert row.actions.done_percent == expected.done_percent
        assert len(row.off_track) == expected.off_track
        assert len(row.overdue) == expected.overdue
        assert len(row.never_met) == expected.never_met


@pytest.mark.django_db
def test_national_view_queries_are_bounded(client, make_user, django_assert_max_num_queries):
    factories.generate_departments(101)
    client.force_login(make_user("admin"))
    with django_assert_max_num_queries(13):
        response = client.get(reverse("overview:index"))
    assert len(response.context["rows"]) == 101
    assert response.content.decode().count('data-department="') == 101


@pytest.mark.django_db
def test_regional_and_department_pages_queries_are_bounded(
    client, make_user, django_assert_max_num_queries
):
    departments = factories.generate_departments(101)
    region = departments[0].region
    client.force_login(make_user("regional", None, region=region))
    with django_assert_max_num_queries(13):
        response = client.get(reverse("overview:index"))
    assert len(response.context["rows"]) == 8  # 101 departments over 13 regions
    with django_assert_max_num_queries(12):
        response = client.get(reverse("overview:department", args=[departments[0].code]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("flagged", ["indicator", "measure"])
def test_a_non_public_off_track_indicator_is_counted_but_not_named_to_the_region(
    client, make_user, regional, gers_plan, territories, flagged
):
    indicator = next(
        item.indicator for item in department_figures([territories["gers"]], TODAY)[0].off_track
    )
    target = indicator if flagged == "indicator" else indicator.measure
    type(target).objects.filter(pk=target.pk).update(is_restricted=True)
    url = reverse("overview:department", args=["32"])

    client.force_login(regional)
    page = client.get(url).content.decode()
    assert "1 indicateur hors trajectoire" in page
    assert escape(indicator.label) not in page
    assert "ne sont nommés qu'aux membres du département" in page

    client.force_login(make_user("admin"))  # sees every department's non-public items
    assert escape(indicator.label) in client.get(url).content.decode()
