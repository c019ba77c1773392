"""The collection loop: enter, submit, send back, correct, validate — and its history."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vigie.audit.models import AuditEntry
from vigie.indicators import services
from vigie.indicators.enums import CampaignStatus, ValueStatus
from vigie.indicators.models import IndicatorValue
from vigie.indicators.territory import resolve_key


def text(response) -> str:
    return html.unescape(response.content.decode())


def entry_url(world, indicator, key, period="2025"):
    return reverse("indicators:value_entry", args=[world.campaign.pk, indicator.pk, key, period])


def test_acceptance_flow_through_the_pages(world, client):
    coordinator, prefecture = world.users.coordinator, world.users.prefecture
    client.force_login(coordinator)
    # The coordinator of the CISPD Grand Auch enters two values, as drafts, then submits them.
    response = client.post(
        entry_url(world, world.commune_indicator, "C32013"), {"value": "4", "intent": "draft"}
    )
    assert response.status_code == 302
    client.post(
        entry_url(world, world.epci_indicator, "E200066926"),
        {"value": "1 250", "comment": "Source CISPD", "intent": "draft"},
    )
    assert IndicatorValue.objects.filter(status=ValueStatus.DRAFT).count() == 2
    response = client.post(reverse("indicators:submit_drafts", args=[world.campaign.pk]))
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).count() == 2

    # The prefecture sends one back with a comment.
    client.force_login(prefecture)
    auch = IndicatorValue.objects.get(territory_key="C32013")
    page = client.get(reverse("indicators:campaign", args=[world.campaign.pk]))
    assert "Valeurs à valider (2)" in page.content.decode()
    response = client.post(
        reverse("indicators:value_review", args=[auch.pk]), {"intent": "return", "comment": ""}
    )
    assert response.status_code == 200  # the comment is mandatory
    assert "Ce champ est obligatoire" in text(response)
    client.post(
        reverse("indicators:value_review", args=[auch.pk]),
        {"intent": "return", "comment": "Le chiffre de 2024 a été repris par erreur."},
    )
    auch.refresh_from_db()
    assert auch.status == ValueStatus.RETURNED
    assert auch.review_comment == "Le chiffre de 2024 a été repris par erreur."

    # The coordinator sees the comment, corrects and resubmits.
    client.force_login(coordinator)
    page = client.get(entry_url(world, world.commune_indicator, "C32013")).content.decode()
    assert "Le chiffre de 2024 a été repris par erreur." in page
    client.post(
        entry_url(world, world.commune_indicator, "C32013"), {"value": "6", "intent": "submit"}
    )
    auch.refresh_from_db()
    assert (auch.value, auch.status) == (Decimal("6"), ValueStatus.SUBMITTED)

    # The prefecture validates both.
    client.force_login(prefecture)
    for value in IndicatorValue.objects.all():
        client.post(reverse("indicators:value_review", args=[value.pk]), {"intent": "validate"})
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.VALIDATED}

    # Progress and history show each step.
    page = client.get(
        reverse("indicators:measure_progress", args=[world.measure.pk])
    ).content.decode()
    assert "Historique de la mesure" in page
    transitions = [
        (e.changes["status"]["old"], e.changes["status"]["new"])
        for e in AuditEntry.objects.filter(
            object_id=str(auch.pk), content_type__model="indicatorvalue"
        ).order_by("pk")
        if "status" in e.changes
    ]
    assert transitions == [
        ("", "Brouillon"),
        ("Brouillon", "Soumise"),
        ("Soumise", "Renvoyée pour correction"),
        ("Renvoyée pour correction", "Soumise"),
        ("Soumise", "Validée"),
    ]
    for label in (
        "Brouillon",
        "Soumise",
        "Renvoyée pour correction",
        "Validée",
        "Le chiffre de 2024",
    ):
        assert label in page
    indicator_page = client.get(
        reverse("indicators:indicator", args=[world.commune_indicator.pk])
    ).content.decode()
    assert "Auch (32013)" in indicator_page
    value_page = client.get(reverse("indicators:value", args=[auch.pk])).content.decode()
    assert "Renvoyée pour correction" in value_page


def test_audit_entries_hang_on_the_measure(world):
    territory = resolve_key("C32013", world.gers)
    result = services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=territory,
        period="2025",
        value=Decimal(3),
    )
    entry = AuditEntry.objects.get(
        object_id=str(result.value.pk), content_type__model="indicatorvalue"
    )
    assert entry.parent_object_id == str(world.measure.pk)
    assert entry.department == world.gers


def test_validated_value_is_corrected_only_with_a_reason(world, client):
    territory = resolve_key("C32013", world.gers)
    value = services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=territory,
        period="2025",
        value=Decimal(3),
        submit=True,
    ).value
    services.validate_value(acting_user=world.users.prefecture, value=value)
    with pytest.raises(ValidationError):
        services.save_value(
            acting_user=world.users.coordinator,
            campaign=world.campaign,
            indicator=world.commune_indicator,
            territory=territory,
            period="2025",
            value=Decimal(5),
        )
    client.force_login(world.users.coordinator)
    url = entry_url(world, world.commune_indicator, "C32013")
    response = client.post(url, {"value": "5", "intent": "submit"})
    assert "indiquez le motif de la correction" in text(response)
    client.post(url, {"value": "5", "reason": "Erreur de saisie", "intent": "submit"})
    value.refresh_from_db()
    # Corrected by a coordinator: back to the prefecture for validation; the reason is in the history.
    assert (value.value, value.status) == (Decimal(5), ValueStatus.SUBMITTED)
    entry = AuditEntry.objects.filter(
        object_id=str(value.pk), content_type__model="indicatorvalue"
    ).latest("pk")
    assert entry.reason == "Erreur de saisie"
    assert entry.changes["value"] == {"label": "valeur", "old": "3", "new": "5"}
    # Corrected by the prefecture: stays validated.
    services.validate_value(acting_user=world.users.prefecture, value=value)
    services.save_value(
        acting_user=world.users.prefecture,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=territory,
        period="2025",
        value=Decimal(6),
        reason="Chiffre définitif",
    )
    value.refresh_from_db()
    assert (value.value, value.status) == (Decimal(6), ValueStatus.VALIDATED)


@pytest.mark.parametrize(
    ("user", "indicator", "key"),
    [
        ("coordinator", "commune_indicator", "C32107"),  # Condom, outside the CISPD
        ("coordinator", "dept_indicator", "D32"),  # department level
        ("clspd", "commune_indicator", "C32013"),
        ("pilot", "epci_indicator", "E200066926"),  # measure not piloted by the DDSP
        ("partner", "commune_indicator", "C32013"),
        ("lot_prefecture", "commune_indicator", "C32013"),
    ],
)
def test_nobody_enters_outside_their_scope(world, client, user, indicator, key):
    user, indicator = getattr(world.users, user), getattr(world, indicator)
    with pytest.raises(PermissionDenied):
        services.save_value(
            acting_user=user,
            campaign=world.campaign,
            indicator=indicator,
            territory=resolve_key(key, world.gers),
            period="2025",
            value=Decimal(1),
        )
    client.force_login(user)
    response = client.post(entry_url(world, indicator, key), {"value": "1", "intent": "submit"})
    assert response.status_code in (403, 404)
    assert not IndicatorValue.objects.exists()


def test_period_outside_the_campaign_and_closed_campaign_are_refused(world):
    territory = resolve_key("D32", world.gers)
    with pytest.raises(ValidationError, match="n'appartient pas à la campagne"):
        services.save_value(
            acting_user=world.users.prefecture,
            campaign=world.campaign,
            indicator=world.dept_indicator,
            territory=territory,
            period="2024",
            value=Decimal(1),
        )
    world.campaign.status = CampaignStatus.CLOSED
    world.campaign.save()
    with pytest.raises(ValidationError, match="close"):
        services.save_value(
            acting_user=world.users.prefecture,
            campaign=world.campaign,
            indicator=world.dept_indicator,
            territory=territory,
            period="2025",
            value=Decimal(1),
        )


def test_only_the_prefecture_validates(world):
    value = services.save_value(
        acting_user=world.users.pilot,
        campaign=world.campaign,
        indicator=world.dept_indicator,
        territory=resolve_key("D32", world.gers),
        period="2025",
        value=Decimal(10),
        submit=True,
    ).value
    for user in (world.users.pilot, world.users.coordinator, world.users.lot_prefecture):
        with pytest.raises(PermissionDenied):
            services.validate_value(acting_user=user, value=value)
    with pytest.raises(ValidationError):
        services.return_value(acting_user=world.users.prefecture, value=value, comment="  ")
    services.validate_value(acting_user=world.users.prefecture, value=value)
    with pytest.raises(ValidationError):
        services.validate_value(acting_user=world.users.prefecture, value=value)


def test_value_form_rejects_text(world, client):
    client.force_login(world.users.prefecture)
    response = client.post(
        entry_url(world, world.dept_indicator, "D32"), {"value": "douze", "intent": "draft"}
    )
    assert response.status_code == 200
    assert "« douze » n'est pas un nombre." in text(response)
    assert not IndicatorValue.objects.exists()


def test_action_progress_is_reported_in_the_campaign(world, client):
    client.force_login(world.users.pilot)
    url = reverse("indicators:action_report", args=[world.campaign.pk, world.action.pk])
    response = client.post(
        url, {"status": "in_progress", "note": "Trois écoles visitées.", "version": 1}
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert (world.action.status, world.action.progress_note) == (
        "in_progress",
        "Trois écoles visitées.",
    )
    assert world.action.campaign_reports.get().campaign == world.campaign
    page = client.get(
        reverse("indicators:measure_progress", args=[world.measure.pk])
    ).content.decode()
    assert "Trois écoles visitées." in page
    client.force_login(world.users.coordinator)
    assert client.post(url, {"status": "done", "version": 2}).status_code == 403


def test_campaign_opening_and_closing(world, client):
    client.force_login(world.users.prefecture)
    response = client.post(
        reverse("indicators:campaign_create", args=[world.plan.pk]),
        {
            "title": "Bilan S1 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "deadline": "2026-07-31",
            "instructions": "",
        },
    )
    assert response.status_code == 302
    campaign = world.plan.indicator_campaigns.get(title="Bilan S1 2026")
    assert campaign.periods_for("semester") == ["2026-S1"]
    assert campaign.periods_for("annual") == []
    response = client.post(
        reverse("indicators:campaign_create", args=[world.plan.pk]),
        {
            "title": "Bilan S1 2026",
            "period_start": "2026-07-01",
            "period_end": "2026-06-30",
            "deadline": "2026-07-31",
        },
    )
    content = text(response)
    assert "porte déjà cet intitulé" in content and "doit suivre son début" in content
    client.post(reverse("indicators:campaign_edit", args=[campaign.pk]), {"intent": "close"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_indicator_definition_edit(world, client):
    client.force_login(world.users.prefecture)
    url = reverse("indicators:indicator_edit", args=[world.dept_indicator.pk])
    data = {
        "label": world.dept_indicator.label,
        "description": "Source : DSDEN",
        "unit": "number",
        "periodicity": "annual",
        "territorial_level": "department",
        "aggregation": "sum",
        "direction": "up",
        "baseline_period": "2020",
        "baseline_value": "100",
        "target_period": "2024",
        "target_value": "250",
        "denominator_kind": "",
        "factor": "1",
        "version": world.dept_indicator.version,
    }
    assert client.post(url, data).status_code == 302
    world.dept_indicator.refresh_from_db()
    assert world.dept_indicator.target_value == 250
    entry = AuditEntry.objects.filter(content_type__model="indicator").latest("pk")
    assert entry.changes["target_value"]["new"] == "250"
    assert entry.parent_object_id == str(world.measure.pk)
    # A computed indicator needs its numerator; a period must be a period.
    response = client.post(url, {**data, "is_computed": "on", "target_period": "fin 2024"})
    content = text(response)
    assert "a besoin d'un numérateur" in content and "Période invalide" in content


def test_collection_level_is_frozen_once_values_exist(world, client):
    services.save_value(
        acting_user=world.users.prefecture,
        campaign=world.campaign,
        indicator=world.dept_indicator,
        territory=resolve_key("D32", world.gers),
        period="2025",
        value=Decimal(1),
    )
    client.force_login(world.users.prefecture)
    url = reverse("indicators:indicator_edit", args=[world.dept_indicator.pk])
    data = {
        "label": world.dept_indicator.label,
        "unit": "number",
        "periodicity": "quarter",
        "territorial_level": "commune",
        "aggregation": "sum",
        "direction": "up",
        "denominator_kind": "",
        "factor": "1",
        "baseline_period": "2020",
        "baseline_value": "100",
        "target_period": "2024",
        "target_value": "200",
    }
    content = text(client.post(url, data))
    assert content.count("Des valeurs ont déjà été saisies : ce champ ne peut plus changer") == 2
    world.dept_indicator.refresh_from_db()
    assert world.dept_indicator.territorial_level == "department"
