"""Indicator definitions and action reports read before someone else's save are refused (409)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEntry
from vigie.core.concurrency import StaleEdit
from vigie.indicators import services
from vigie.indicators.models import ActionReport, Indicator
from vigie.plans import services as plan_services
from vigie.plans.models import Action

pytestmark = pytest.mark.django_db

REFUSED = "Vos modifications n'ont pas été enregistrées"


def definition_data(indicator, **overrides):
    data = {
        "label": indicator.label,
        "description": indicator.description,
        "unit": indicator.unit,
        "periodicity": indicator.periodicity,
        "territorial_level": indicator.territorial_level,
        "aggregation": indicator.aggregation,
        "direction": indicator.direction,
        "baseline_period": indicator.baseline_period,
        "baseline_value": "",
        "target_period": indicator.target_period,
        "target_value": "",
        "denominator_kind": "",
        "factor": "1",
        "version": indicator.version,
    }
    data.update(overrides)
    return data


def test_update_indicator_refuses_a_stale_version(world):
    indicator = world.dept_indicator
    services.update_indicator(
        acting_user=world.users.prefecture,
        indicator=indicator,
        data={"target_value": Decimal("10")},
        read_version=1,
    )
    late = Indicator.objects.get(pk=indicator.pk)
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleEdit):
        services.update_indicator(
            acting_user=world.users.prefecture,
            indicator=late,
            data={"target_value": Decimal("20")},
            read_version=1,
        )
    assert Indicator.objects.get(pk=indicator.pk).target_value == 10
    assert AuditEntry.objects.count() == entries


def test_stale_definition_edit_is_409_with_the_other_change(world, client):
    indicator = world.dept_indicator
    read = definition_data(indicator, target_value="300")
    services.update_indicator(
        acting_user=world.users.admin,
        indicator=indicator,
        data={"description": "Source : rectorat"},
        read_version=1,
    )
    client.force_login(world.users.prefecture)
    response = client.post(reverse("indicators:indicator_edit", args=[indicator.pk]), read)
    assert response.status_code == 409
    html = response.content.decode()
    assert REFUSED in html and "Source : rectorat" in html
    stored = Indicator.objects.get(pk=indicator.pk)
    assert stored.description == "Source : rectorat" and stored.target_value != 300


def test_report_action_refuses_a_stale_action_and_writes_no_report(world):
    plan_services.update_action(
        acting_user=world.users.prefecture,
        action=world.action,
        data={"progress_note": "Vu par la préfecture"},
        read_version=1,
    )
    late = Action.objects.get(pk=world.action.pk)
    with pytest.raises(StaleEdit):
        services.report_action(
            acting_user=world.users.pilot,
            campaign=world.campaign,
            action=late,
            status="done",
            note="Terminé",
            read_version=1,
        )
    assert not ActionReport.objects.exists()
    assert Action.objects.get(pk=world.action.pk).progress_note == "Vu par la préfecture"


def test_stale_action_report_form_is_409(world, client):
    plan_services.update_action(
        acting_user=world.users.prefecture,
        action=world.action,
        data={"progress_note": "Vu par la préfecture"},
        read_version=1,
    )
    client.force_login(world.users.pilot)
    url = reverse("indicators:action_report", args=[world.campaign.pk, world.action.pk])
    response = client.post(url, {"status": "done", "note": "Terminé", "version": 1})
    assert response.status_code == 409
    assert "Vu par la préfecture" in response.content.decode()
    assert not ActionReport.objects.exists()
