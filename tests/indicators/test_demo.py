"""`manage.py load_indicators_demo`: invented figures, flagged, idempotent, tolerant of missing data."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue


def run(*args):
    out = StringIO()
    call_command("load_indicators_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_without_plans_it_does_nothing():
    out = run()
    assert "Département 32 : aucun plan importé" in out
    assert not IndicatorValue.objects.exists()


def test_loads_flagged_values_once(world, client):
    out = run("--department", "32")
    assert "Gers (32)" in out
    values = IndicatorValue.objects.filter(indicator__measure__axis__plan=world.plan)
    assert values.exists() and not values.filter(is_demo=False).exists()
    assert set(values.values_list("status", flat=True)) <= {"validated", "submitted"}
    assert (
        Campaign.objects.filter(plan=world.plan, is_demo=True).count() == 4
    )  # 2021-2023 closed, 2024 open
    assert Campaign.objects.get(plan=world.plan, title="Bilan 2024").is_open
    # A definition someone already wrote is kept (baseline and target set in the world).
    world.dept_indicator.refresh_from_db()
    assert not world.dept_indicator.is_demo and world.dept_indicator.target_value == 200
    world.commune_indicator.refresh_from_db()
    assert world.commune_indicator.is_demo and world.commune_indicator.target_value is not None
    assert ActionReport.objects.exists()
    count = values.count()
    run("--department", "32")
    assert values.count() == count
    assert (
        Indicator.objects.filter(is_demo=True, is_computed=True).count() == 0
    )  # no "violences" indicator here
    page = client.get(
        reverse("indicators:measure_progress", args=[world.measure.pk])
    ).content.decode()
    assert "Données de démonstration" in page
    page = client.get(reverse("indicators:plan_progress", args=[world.plan.pk])).content.decode()
    assert "Données de démonstration" in page


def test_real_values_are_never_overwritten(world):
    from decimal import Decimal

    from vigie.indicators import services
    from vigie.indicators.territory import resolve_key

    campaign = Campaign.objects.create(
        plan=world.plan,
        title="Bilan 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        deadline=date(2024, 3, 31),
    )
    real = services.save_value(
        acting_user=world.users.prefecture,
        campaign=campaign,
        indicator=world.epci_indicator,
        territory=resolve_key("E200066926", world.gers),
        period="2023",
        value=Decimal(42),
    ).value
    run("--department", "32")
    real.refresh_from_db()
    assert (real.value, real.is_demo) == (Decimal(42), False)
