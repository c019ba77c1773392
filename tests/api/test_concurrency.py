"""API edits carry the version they read: ETag on GET of one object, If-Match required on PATCH
(428 without it, 412 with a stale one, nothing written), all documented in the OpenAPI schema."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.test_schema import assert_documented
from vigie.audit.models import AuditEntry
from vigie.indicators import services
from vigie.indicators.models import Indicator

pytestmark = pytest.mark.django_db

PATH = "/api/indicators/{id}/"


@pytest.fixture
def schema(world, client):
    return yaml.safe_load(client.get(reverse("api:schema")).content)


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def url(indicator) -> str:
    return reverse("api:indicator-detail", args=[indicator.pk])


def test_get_of_one_object_gives_its_version_as_etag(world, schema):
    response = APIClient().get(url(world.dept_indicator))
    assert response.status_code == 200 and response["ETag"] == '"v1"'
    assert_documented(schema, PATH, "get", response)
    headers = schema["paths"][PATH]["get"]["responses"]["200"]["headers"]
    assert "ETag" in headers


def test_patch_with_the_etag_read_changes_the_definition(world, schema):
    api = api_for(world.users.prefecture)
    etag = api.get(url(world.dept_indicator))["ETag"]
    response = api.patch(
        url(world.dept_indicator),
        {"target_value": "300", "target_period": "2025"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"v2"'
    assert response.json()["target_value"] == "300.00"
    assert_documented(schema, PATH, "patch", response)
    entry = AuditEntry.objects.filter(content_type__model="indicator").latest("pk")
    assert entry.actor == world.users.prefecture
    assert entry.changes["target_value"]["new"] == "300"


def test_patch_without_if_match_is_428_and_writes_nothing(world, schema):
    response = api_for(world.users.prefecture).patch(
        url(world.dept_indicator), {"target_value": "300"}, format="json"
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert_documented(schema, PATH, "patch", response)
    assert Indicator.objects.get(pk=world.dept_indicator.pk).version == 1


def test_patch_with_an_etag_of_another_version_is_412(world, schema):
    response = api_for(world.users.prefecture).patch(
        url(world.dept_indicator), {"label": "Autre"}, format="json", HTTP_IF_MATCH='"v7"'
    )
    assert response.status_code == 412 and response.json()["current_version"] == 1
    assert_documented(schema, PATH, "patch", response)


def test_patch_with_a_stale_etag_is_412_with_the_other_change(world, schema):
    api = api_for(world.users.prefecture)
    etag = api.get(url(world.dept_indicator))["ETag"]
    services.update_indicator(
        acting_user=world.users.pilot,
        indicator=world.dept_indicator,
        data={"description": "Source : rectorat"},
        read_version=1,
    )
    entries = AuditEntry.objects.count()
    response = api.patch(
        url(world.dept_indicator), {"description": "La mienne"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2 and response["ETag"] == '"v2"'
    [change] = body["changes"]
    assert change["field"] == "description" and change["new"] == "Source : rectorat"
    assert "pilot32" in change["author"]
    assert "rien n'a été enregistré" in body["detail"]
    assert_documented(schema, PATH, "patch", response)
    assert Indicator.objects.get(pk=world.dept_indicator.pk).description == "Source : rectorat"
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("header", ["*", 'W/"v1"', "v1", '"v999999999999999999999"', "n'importe"])
def test_patch_with_an_if_match_not_ours_is_400_in_french(world, schema, header):
    response = api_for(world.users.prefecture).patch(
        url(world.dept_indicator), {"label": "Autre"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    assert "En-tête If-Match invalide" in response.json()["If-Match"][0]
    assert_documented(schema, PATH, "patch", response)
    assert Indicator.objects.get(pk=world.dept_indicator.pk).label != "Autre"


def test_patch_with_invalid_data_is_400_in_french(world, schema):
    response = api_for(world.users.prefecture).patch(
        url(world.dept_indicator),
        {"target_period": "fin 2024", "baseline_value": "1e40"},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 400
    assert "Période invalide" in response.json()["target_period"][0]
    assert_documented(schema, PATH, "patch", response)
    assert Indicator.objects.get(pk=world.dept_indicator.pk).version == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [("reader", 403), ("partner", 403), ("lot_prefecture", 403), ("admin", 200)],
)
def test_patch_needs_the_right_to_edit_the_measure(world, role, expected):
    response = api_for(getattr(world.users, role)).patch(
        url(world.dept_indicator), {"label": "Nouveau"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == expected, response.content
    changed = Indicator.objects.get(pk=world.dept_indicator.pk).label == "Nouveau"
    assert changed == (expected == 200)


def test_patch_of_an_invisible_indicator_is_404(world):
    # The Lot's draft plan is not public: its indicator does not exist for the Gers prefecture.
    world.lot_plan.status = "draft"
    world.lot_plan.save()
    response = api_for(world.users.prefecture).patch(
        url(world.lot_indicator), {"label": "Nouveau"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 404
    assert Indicator.objects.get(pk=world.lot_indicator.pk).label != "Nouveau"
