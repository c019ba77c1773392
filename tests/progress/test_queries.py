"""Bounded queries whatever the size of the plan: the public page (with and without a territory filter),
the feed, the data package and the public API, pinned on a generated plan of about a thousand actions."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommuneFactory, DepartmentFactory, PlanFactory, UserFactory
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Axis, Measure

AXES, MEASURES, ACTIONS, INDICATORS = 6, 10, 16, 2
STATUSES = list(ActionStatus.values)


def _measures(plan):
    axes = Axis.objects.bulk_create(
        Axis(plan=plan, number=str(a + 1), title=f"Axe généré {a + 1}", order=a)
        for a in range(AXES)
    )
    return Measure.objects.bulk_create(
        Measure(axis=axis, number=f"{axis.number}.{m + 1}", title=f"Mesure {m} à Condom", order=m)
        for axis in axes
        for m in range(MEASURES)
    )


def _actions(measures, user, department):
    actions = Action.objects.bulk_create(
        Action(
            measure=measure,
            text=f"Action {k} de la mesure {measure.number}",
            status=STATUSES[k % len(STATUSES)],
            is_restricted=k == 3,
            order=k,
        )
        for measure in measures
        for k in range(ACTIONS)
    )
    entries = [
        audit.PendingEntry(
            AuditAction.UPDATE,
            action.pk,
            str(action),
            {"status": {"label": "état", "old": "À venir", "new": action.get_status_display()}},
            action.measure_id,
        )
        for action in actions
    ]
    audit.record_many(
        acting_user=user,
        model=Action,
        entries=entries,
        parent_model=Measure,
        department_id=department.pk,
    )
    return actions


def _indicators(plan, measures, department):
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=measure, label=f"Indicateur {i} de {measure.number}", target_value=10, order=i
        )
        for measure in measures
        for i in range(INDICATORS)
    )
    campaign = Campaign.objects.create(
        plan=plan,
        title="Bilan",
        period_start=date(2022, 1, 1),
        period_end=date(2024, 12, 31),
        deadline=date(2025, 3, 31),
    )
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            campaign=campaign,
            period=str(year),
            department=department,
            territory_key=f"D{department.code}",
            value=Decimal(year - 2020),
            status=ValueStatus.VALIDATED,
            validated_at=now,
        )
        for indicator in indicators
        for year in (2022, 2023, 2024)
    )


@pytest.fixture
def big_plan(db):
    department = DepartmentFactory(code="32", name="Gers")
    CommuneFactory(code="32107", name="Condom", department=department)
    plan = PlanFactory(department=department)
    user = UserFactory(username="pref-big", role="prefecture", department=department)
    measures = _measures(plan)
    _actions(measures, user, department)
    _indicators(plan, measures, department)
    return plan


def test_bounded_queries_on_a_big_plan(big_plan, client, django_assert_max_num_queries):
    assert Action.objects.filter(measure__axis__plan=big_plan).count() == AXES * MEASURES * ACTIONS
    page = reverse("progress:plan", args=[big_plan.pk])
    urls = {
        # about 25 for the deployment maps (five schemes), 4 for the grants panel (vigie.funding)
        page: 44,
        page + "?territoire=commune-32107": 47,
        reverse("progress:feed", args=[big_plan.pk]): 5,
        reverse("progress:data", args=[big_plan.pk]): 15,  # 5 for the CSV, 9 for plan.json
        reverse("api:public-action-list") + f"?plan={big_plan.pk}": 3,
        reverse("api:public-value-list") + f"?plan={big_plan.pk}": 3,
        reverse("plans:plan", args=[big_plan.pk]): 9,
        reverse("indicators:plan_progress", args=[big_plan.pk]): 15,  # 4 for the grants panel
    }
    for url, limit in urls.items():
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(page).content.decode()
    assert "Action 3 de la mesure" not in body  # the flagged actions stay out
    assert body.count('class="vigie-timeline') == AXES * MEASURES * (ACTIONS - 1)
