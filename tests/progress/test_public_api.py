"""The public API of the adopted plans: documented in the OpenAPI schema (responses match it), the same
public view for everyone, throttled like the rest of the API."""

import yaml
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.test_schema import assert_documented
from vigie.api import public

ENDPOINTS = {
    "plan": "/api/public/plans/",
    "axis": "/api/public/axes/",
    "measure": "/api/public/measures/",
    "action": "/api/public/actions/",
    "indicator": "/api/public/indicators/",
    "value": "/api/public/values/",
}


def _schema(client):
    return yaml.safe_load(client.get(reverse("api:schema")).content)


def test_responses_match_the_schema(world, client):
    schema = _schema(client)
    api = APIClient()
    for name, path in ENDPOINTS.items():
        listing = api.get(reverse(f"api:public-{name}-list"))
        assert listing.status_code == 200, name
        assert_documented(schema, path, "get", listing)
        first = listing.json()["results"][0]["id"]
        detail = api.get(reverse(f"api:public-{name}-detail", args=[first]))
        assert detail.status_code == 200, name
        assert_documented(schema, path + "{id}/", "get", detail)
        assert schema["paths"][path]["get"]["summary"].endswith("(public)")


def test_errors_are_documented_french_and_never_500(world, client):
    schema = _schema(client)
    api = APIClient()
    bad = api.get(reverse("api:public-action-list") + "?plan=abc")
    assert bad.status_code == 400 and "plan" in bad.json()
    assert_documented(schema, ENDPOINTS["action"], "get", bad)
    missing = api.get(reverse("api:public-action-detail", args=[world.secret_action.pk]))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Aucun élément public ne porte cet identifiant."
    assert_documented(schema, ENDPOINTS["action"] + "{id}/", "get", missing)
    huge = api.get(f"/api/public/plans/{2**70}/")
    assert huge.status_code == 400


def test_filters_and_the_public_view_for_everyone(world):
    api = APIClient()
    api.force_authenticate(
        world.users.prefecture
    )  # of the plan's department: still the public view
    actions = api.get(reverse("api:public-action-list"), {"plan": world.plan.pk}).json()
    texts = {row["text"] for row in actions["results"]}
    assert "Intervenir dans les écoles de Condom" in texts
    assert world.secrets.action not in texts
    assert {row["plan"] for row in actions["results"]} == {world.plan.pk}
    values = api.get(
        reverse("api:public-value-list"), {"indicator": world.dept_indicator.pk}
    ).json()
    assert [row["value"] for row in values["results"]] == ["150.0000"]
    assert set(values["results"][0]) == {
        "id",
        "indicator",
        "period",
        "territory",
        "value",
        "is_below_threshold",
        "is_demo",
        "validated_at",
    }  # no comments, no authors


def test_throttled_like_the_rest_of_the_api():
    throttles = [type(t) for t in public.PublicPlanViewSet().get_throttles()]
    expected = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert [f"{t.__module__}.{t.__name__}" for t in throttles] == expected
