"""The REST API: reading indicators and values, submitting with a personal token, within one's scope."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from vigie.indicators import services
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import IndicatorValue
from vigie.indicators.territory import resolve_key


@pytest.fixture
def api():
    return APIClient()


def with_token(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def payload(world, **overrides):
    data = {
        "campaign": world.campaign.pk,
        "indicator": world.commune_indicator.pk,
        "territory": "32013",
        "period": "2025",
        "value": "12.5",
        "comment": "Par l'API",
    }
    data.update(overrides)
    return data


def test_coordinator_submits_a_value_with_its_token(world, api):
    with_token(api, world.users.coordinator)
    response = api.post(reverse("api:value-list"), payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ValueStatus.SUBMITTED
    assert body["territory"] == {"level": "commune", "code": "32013", "name": "Auch"}
    assert body["value"] == "12.5000"
    value = IndicatorValue.objects.get()
    assert (value.source, value.entered_by) == ("api", world.users.coordinator)
    # Sent again with another value: an update (200).
    response = api.post(
        reverse("api:value-list"), payload(world, value="13", submit=False), format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ValueStatus.DRAFT
    response = api.post(reverse("api:value-submit", args=[value.pk]))
    assert response.status_code == 200 and response.json()["status"] == ValueStatus.SUBMITTED


@pytest.mark.parametrize(
    ("user", "overrides"),
    [
        ("coordinator", {"territory": "32107"}),  # Condom: outside the CISPD
        ("coordinator", {"indicator": "dept", "territory": "32"}),  # department level
        ("clspd", {}),  # CLSPD of Condom: Auch is outside
        ("pilot", {"indicator": "epci", "territory": "200066926"}),  # measure not piloted
    ],
)
def test_nobody_submits_outside_their_scope(world, api, user, overrides):
    indicator = {"dept": world.dept_indicator, "epci": world.epci_indicator}.get(
        overrides.pop("indicator", None)
    )
    if indicator is not None:
        overrides["indicator"] = indicator.pk
    with_token(api, getattr(world.users, user))
    response = api.post(reverse("api:value-list"), payload(world, **overrides), format="json")
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_other_department_and_readers_cannot_submit(world, api):
    with_token(api, world.users.lot_coordinator)
    assert api.post(reverse("api:value-list"), payload(world), format="json").status_code == 403
    with_token(api, world.users.reader)
    assert api.post(reverse("api:value-list"), payload(world), format="json").status_code == 403
    api.credentials()
    assert api.post(reverse("api:value-list"), payload(world), format="json").status_code == 403
    assert not IndicatorValue.objects.exists()


def test_invalid_submissions_are_400_in_french(world, api):
    with_token(api, world.users.coordinator)
    response = api.post(reverse("api:value-list"), payload(world, value="abc"), format="json")
    assert response.status_code == 400 and "value" in response.json()
    response = api.post(reverse("api:value-list"), payload(world, period="2024"), format="json")
    assert response.status_code == 400
    assert "n'appartient pas à la campagne" in response.json()["detail"][0]
    response = api.post(reverse("api:value-list"), payload(world, territory="99999"), format="json")
    assert response.status_code == 400 and "Territoire inconnu" in response.json()["territory"]
    response = api.post(reverse("api:value-list"), payload(world, campaign=9999), format="json")
    assert response.status_code == 400


def test_validated_value_needs_a_reason_through_the_api(world, api):
    value = services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=resolve_key("C32013", world.gers),
        period="2025",
        value=Decimal(3),
        submit=True,
    ).value
    services.validate_value(acting_user=world.users.prefecture, value=value)
    with_token(api, world.users.coordinator)
    response = api.post(reverse("api:value-list"), payload(world, value="4"), format="json")
    assert response.status_code == 400 and "motif" in response.json()["detail"][0]
    response = api.post(
        reverse("api:value-list"), payload(world, value="4", reason="Erreur"), format="json"
    )
    assert response.status_code == 200


def test_reading_values_follows_visibility(world, api):
    value = services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=resolve_key("C32013", world.gers),
        period="2025",
        value=Decimal(3),
        submit=True,
    ).value
    assert api.get(reverse("api:value-list")).json()["count"] == 0  # anonymous: validated only
    api.force_authenticate(world.users.reader)
    assert api.get(reverse("api:value-list")).json()["count"] == 1
    api.force_authenticate(world.users.lot_prefecture)
    assert api.get(reverse("api:value-list")).json()["count"] == 0
    services.validate_value(acting_user=world.users.prefecture, value=value)
    api.force_authenticate(None)
    results = api.get(reverse("api:value-list"), {"territory": "32013", "period": "2025"}).json()[
        "results"
    ]
    assert [r["id"] for r in results] == [value.pk]
    assert api.get(reverse("api:value-list"), {"territory": "32107"}).json()["count"] == 0
    assert api.get(reverse("api:value-list"), {"indicator": "x"}).status_code == 400


def test_indicators_endpoint(world, api):
    response = api.get(reverse("api:indicator-list"), {"plan": world.plan.pk})
    labels = {i["label"] for i in response.json()["results"]}
    assert world.dept_indicator.label in labels and world.lot_indicator.label not in labels
    detail = api.get(reverse("api:indicator-detail", args=[world.commune_indicator.pk])).json()
    assert detail["territorial_level"] == "commune"
    assert detail["url"].endswith(f"/indicateurs/{world.commune_indicator.pk}/")


def test_schema_and_docs_are_served_without_cdn(world, client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/values/" in schema and "tokenAuth" in schema
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/api/values/" in docs and "Saisir ou corriger une valeur" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_token_page_creates_and_revokes(world, client):
    client.force_login(world.users.coordinator)
    client.post(reverse("api:token"), {"intent": "create"})
    token = Token.objects.get(user=world.users.coordinator)
    assert token.key in client.get(reverse("api:token")).content.decode()
    client.post(reverse("api:token"), {"intent": "create"})
    assert Token.objects.get(user=world.users.coordinator).key != token.key
    client.post(reverse("api:token"), {"intent": "revoke"})
    assert not Token.objects.filter(user=world.users.coordinator).exists()
