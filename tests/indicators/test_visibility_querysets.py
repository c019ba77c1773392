"""The queryset rules of vigie/indicators/perms.py agree with the per-object rules."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from vigie.indicators import perms, services
from vigie.indicators.models import Campaign, Indicator
from vigie.indicators.territory import resolve_key
from vigie.plans import perms as plan_perms
from vigie.plans.models import Plan


def people(world):
    users = vars(world.users)
    return {
        "anonymous": AnonymousUser(),
        "orphan": UserFactory(role="prefecture", department=None),
        **users,
    }


@pytest.fixture
def values(world):
    def enter(user, indicator, key, campaign):
        return services.save_value(
            acting_user=user,
            campaign=campaign,
            indicator=indicator,
            territory=resolve_key(key, campaign.plan.department),
            period="2025",
            value=Decimal(1),
            submit=True,
        ).value

    gers_value = enter(world.users.coordinator, world.commune_indicator, "C32013", world.campaign)
    validated = enter(world.users.prefecture, world.dept_indicator, "D32", world.campaign)
    services.validate_value(acting_user=world.users.prefecture, value=validated)
    lot_value = enter(world.users.lot_prefecture, world.lot_indicator, "D46", world.lot_campaign)
    return [gers_value, validated, lot_value]


def test_visible_indicators_follow_can_view_monitoring(world):
    for name, user in people(world).items():
        expected = {
            i.pk
            for i in Indicator.objects.select_related("measure__axis__plan")
            if perms.can_view_monitoring(user, i.measure.axis.plan)
        }
        assert set(perms.visible_indicators(user).values_list("pk", flat=True)) == expected, name


def test_visible_campaigns_follow_can_view_unvalidated(world):
    for name, user in people(world).items():
        expected = {
            c.pk for c in Campaign.objects.all() if perms.can_view_unvalidated(user, c.plan)
        }
        assert set(perms.visible_campaigns(user).values_list("pk", flat=True)) == expected, name


def test_visible_values(world, values):
    gers_value, validated, lot_value = values
    everyone = people(world)
    # Adopted plans: validated values are public, the rest stays within the department.
    expectations = {
        "anonymous": {validated.pk},
        "orphan": {validated.pk},
        "reader": {gers_value.pk, validated.pk},
        "lot_prefecture": {validated.pk, lot_value.pk},
        "admin": {gers_value.pk, validated.pk, lot_value.pk},
    }
    for name, expected in expectations.items():
        got = set(perms.visible_values(everyone[name]).values_list("pk", flat=True))
        assert got == expected, name
    world.plan.status = "draft"
    world.plan.save()
    for name in ("anonymous", "orphan"):
        assert not perms.visible_values(everyone[name]).exists(), name
    assert set(perms.visible_values(everyone["lot_prefecture"]).values_list("pk", flat=True)) == {
        lot_value.pk
    }
    assert set(perms.visible_values(everyone["reader"]).values_list("pk", flat=True)) == {
        gers_value.pk,
        validated.pk,
    }


def test_member_plans_follow_can_view_private(world):
    for name, user in people(world).items():
        expected = {
            p.pk for p in Plan.objects.all() if plan_perms.can_view_private(user, p.department_id)
        }
        assert set(plan_perms.member_plans(user).values_list("pk", flat=True)) == expected, name
