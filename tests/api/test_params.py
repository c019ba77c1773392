"""Integer parameters of the API: out of range or not numeric, a French 400 naming the parameter.

Run on SQLite (default) and PostgreSQL (DATABASE_URL=postgres://…): both used to fail differently
(an overflow error in the driver, an out-of-range error in the database) with a 500.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from vigie.api.params import MAX_ID

TOO_BIG = "99999999999999999999"
BAD_VALUES = [TOO_BIG, str(MAX_ID + 1), f"-{TOO_BIG}", "0", "-3", "abc", "1.5", "1e3", "١٢"]
FILTERS = [
    ("api:indicator-list", "plan"),
    ("api:indicator-list", "measure"),
    ("api:value-list", "indicator"),
    ("api:value-list", "plan"),
    ("api:value-list", "campaign"),
]


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


@pytest.mark.parametrize("raw", BAD_VALUES)
@pytest.mark.parametrize(("url_name", "name"), FILTERS)
def test_bad_integer_filters_are_400_naming_the_parameter(world, api, url_name, name, raw):
    response = api.get(reverse(url_name), {name: raw})
    assert response.status_code == 400, response.content[:300]
    message = response.json()[name][0]
    assert f"« {name} »" in message and "identifiant" in message


# Dotted ones ("1.5", "-1.9e-118") included: the router used to leave them to Django's HTML 404 page, a
# response outside the schema (found by tests/api/test_schemathesis.py).
@pytest.mark.parametrize("raw", [*BAD_VALUES, "-1.9154670433393206e-118", "1..2", "."])
@pytest.mark.parametrize("prefix", ["/api/indicators/", "/api/campaigns/", "/api/values/"])
def test_bad_path_identifiers_are_400_naming_the_parameter(world, api, prefix, raw):
    api.force_authenticate(world.users.prefecture)
    response = api.get(f"{prefix}{raw}/")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "« id »" in response.json()["id"][0]


def test_dotted_identifier_of_a_submission_is_400(world, api):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users.pilot).key}")
    response = api.post("/api/values/1.5/submit/")
    assert response.status_code == 400 and "« id »" in response.json()["id"][0]


def test_schema_gives_the_range_of_identifiers(world, api):
    """The schema promises what the API accepts: an identifier from 1 to 2**63 − 1, in path, query or body."""
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    operations = [operation for item in schema["paths"].values() for operation in item.values()]
    id_parameters = [
        parameter
        for operation in operations
        for parameter in operation.get("parameters", [])
        if parameter["name"] in ("id", "plan", "measure", "indicator", "campaign")
    ]
    assert len(id_parameters) >= 9  # 4 paths with {id}, 5 filters
    for parameter in id_parameters:
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, MAX_ID)
    body = schema["components"]["schemas"]["ValueSubmit"]["properties"]
    for field in ("campaign", "indicator"):
        assert (body[field]["minimum"], body[field]["maximum"]) == (1, MAX_ID)
    # No developer's docstring published as an operation's description.
    assert not any("lookup" in operation.get("description", "") for operation in operations)


def test_bad_identifier_of_a_submission_is_400(world, api):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users.pilot).key}")
    response = api.post(f"/api/values/{TOO_BIG}/submit/")
    assert response.status_code == 400 and "« id »" in response.json()["id"][0]


def test_largest_identifier_is_a_plain_miss(world, api):
    assert api.get(reverse("api:indicator-list"), {"plan": MAX_ID}).json()["count"] == 0
    response = api.get(f"/api/indicators/{MAX_ID}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Aucun indicateur visible ne porte cet identifiant."


def test_valid_filters_still_filter(world, api):
    response = api.get(reverse("api:indicator-list"), {"plan": f" {world.plan.pk} "})
    assert response.status_code == 200 and response.json()["count"] == 4
    assert api.get(reverse("api:indicator-list"), {"plan": ""}).json()["count"] == 5


@pytest.mark.parametrize("field", ["campaign", "indicator"])
@pytest.mark.parametrize("raw", [TOO_BIG, int(TOO_BIG), -1, 0, 1.5, True, "abc", [1]])
def test_bad_identifiers_in_a_submission_are_400(world, api, field, raw):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users.pilot).key}")
    data = {
        "campaign": world.campaign.pk,
        "indicator": world.dept_indicator.pk,
        "territory": "32",
        "period": "2025",
        "value": "7",
        field: raw,
    }
    response = api.post(reverse("api:value-list"), data, format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()


def test_unknown_status_filter_is_400(world, api):
    response = api.get(reverse("api:value-list"), {"status": "perdue"})
    assert response.status_code == 400
    assert "Statut inconnu" in response.json()["status"][0]


@pytest.mark.parametrize("name", ["period", "territory", "status"])
def test_nul_character_in_a_text_filter_is_400(world, api, name):
    """PostgreSQL text cannot hold a NUL character: the filter used to reach the database (500)."""
    response = api.get(reverse("api:value-list"), {name: "2025\x00"})
    assert response.status_code == 400, response.content[:300]
    assert response.json()[name] == [f"Le paramètre « {name} » contient un caractère nul."]
