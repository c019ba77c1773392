"""vigie/indicators/access.py: 404 when not visible, 403 when visible but not allowed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from vigie.indicators import access, services
from vigie.indicators.territory import resolve_key


@pytest.fixture
def value(world):
    return services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=resolve_key("C32013", world.gers),
        period="2025",
        value=Decimal(3),
        submit=True,
    ).value


def test_get_value_for_review(world, value):
    users = world.users
    assert access.get_value_for_user(users.prefecture, value.pk, for_review=True) == value
    assert access.get_value_for_user(users.admin, value.pk, for_review=True) == value
    assert access.get_value_for_user(users.coordinator, value.pk) == value
    with pytest.raises(PermissionDenied):
        access.get_value_for_user(users.coordinator, value.pk, for_review=True)
    with pytest.raises(Http404):
        access.get_value_for_user(users.lot_prefecture, value.pk, for_review=True)


def test_get_campaign_for_edit_and_entry(world):
    users, pk = world.users, world.campaign.pk
    assert access.get_campaign_for_user(users.prefecture, pk, for_edit=True) == world.campaign
    assert access.get_campaign_for_user(users.coordinator, pk, for_entry=True) == world.campaign
    with pytest.raises(PermissionDenied):
        access.get_campaign_for_user(users.coordinator, pk, for_edit=True)
    with pytest.raises(PermissionDenied):
        access.get_campaign_for_user(users.reader, pk, for_entry=True)
    with pytest.raises(Http404):
        access.get_campaign_for_user(users.lot_prefecture, pk)
