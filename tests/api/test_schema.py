"""The OpenAPI schema (/api/schema/) describes the real responses: codes, fields, nullable fields."""

from decimal import Decimal

import pytest
import yaml
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from vigie.indicators import services
from vigie.indicators.territory import resolve_key

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


class Mismatch(AssertionError):
    pass


def check(schema, value, components, where="body"):
    """A small OpenAPI 3.0 validator: $ref, allOf, oneOf, nullable, enum, type, properties, items."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return check(components[name], value, components, where)
    if "allOf" in schema:
        for part in schema["allOf"]:
            check(part, value, components, where)
        return None
    if "oneOf" in schema:
        errors = []
        for part in schema["oneOf"]:
            try:
                check(part, value, components, where)
            except Mismatch as exc:
                errors.append(str(exc))
            else:
                return None
        raise Mismatch(f"{where}: {value!r} matches none of {errors}")
    if value is None:
        if schema.get("nullable") or None in schema.get("enum", []):
            return None
        raise Mismatch(f"{where} is null but not `nullable: true` in the schema")
    if "enum" in schema and value not in schema["enum"]:
        raise Mismatch(f"{where}: {value!r} not in {schema['enum']}")
    kind = schema.get("type")
    if kind:
        expected = TYPES[kind]
        if not isinstance(value, expected) or (kind in ("integer", "number") and value is True):
            raise Mismatch(f"{where}: {value!r} is not of type {kind}")
    if kind == "array":
        for index, item in enumerate(value):
            check(schema.get("items", {}), item, components, f"{where}[{index}]")
    if kind == "object":
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                raise Mismatch(f"{where}.{name} is required by the schema but missing")
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                check(properties[name], item, components, f"{where}.{name}")
            elif isinstance(extra, dict):
                check(extra, item, components, f"{where}.{name}")
            elif properties and extra is not True:
                raise Mismatch(f"{where}.{name} is not documented in the schema")
    return None


@pytest.fixture
def schema(world, client):
    return yaml.safe_load(client.get(reverse("api:schema")).content)


def assert_documented(schema, path, method, response):
    operation = schema["paths"][path][method]
    code = str(response.status_code)
    assert code in operation["responses"], f"{method.upper()} {path}: {code} is not documented"
    content = operation["responses"][code].get("content", {})
    assert "application/json" in content, f"{method.upper()} {path}: {code} has no JSON body"
    check(
        content["application/json"]["schema"],
        response.json(),
        schema["components"]["schemas"],
        f"{method.upper()} {path} {code}",
    )


def test_validator_refuses_an_undocumented_null():
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    with pytest.raises(Mismatch):
        check(schema, {"a": None}, {})
    check({**schema, "properties": {"a": {"type": "string", "nullable": True}}}, {"a": None}, {})


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/") or path == "/api/schema/":
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "429" in codes, (method, path, codes)
            assert {"400", "403"} <= codes or {"403", "404"} <= codes, (method, path, codes)
            if "{id}" in path:
                assert {"400", "403", "404"} <= codes, (method, path, codes)


def test_successful_responses_match_the_schema(world, schema):
    api = APIClient()
    # Nullable fields left empty: an indicator without responsible organisation, reference or
    # target; a draft value (not submitted, not validated).
    world.commune_indicator.responsible_organisation = None
    world.commune_indicator.save()
    value = services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=resolve_key("C32013", world.gers),
        period="2025",
        value=Decimal(3),
    ).value
    api.force_authenticate(world.users.prefecture)
    checks = [
        ("/api/indicators/", reverse("api:indicator-list")),
        (
            "/api/indicators/{id}/",
            reverse("api:indicator-detail", args=[world.commune_indicator.pk]),
        ),
        ("/api/campaigns/", reverse("api:campaign-list")),
        ("/api/campaigns/{id}/", reverse("api:campaign-detail", args=[world.campaign.pk])),
        ("/api/values/", reverse("api:value-list")),
        ("/api/values/{id}/", reverse("api:value-detail", args=[value.pk])),
    ]
    for path, url in checks:
        response = api.get(url)
        assert response.status_code == 200, (url, response.content)
        assert_documented(schema, path, "get", response)
    body = api.get(reverse("api:value-detail", args=[value.pk])).json()
    assert body["submitted_at"] is None and body["validated_at"] is None
    body = api.get(reverse("api:indicator-detail", args=[world.commune_indicator.pk])).json()
    assert body["responsible_organisation"] is None and body["baseline_value"] is None

    api.force_authenticate(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users.pilot).key}")
    data = {
        "campaign": world.campaign.pk,
        "indicator": world.dept_indicator.pk,
        "territory": "32",
        "period": "2025",
        "value": "7",
    }
    created = api.post(reverse("api:value-list"), data, format="json")
    assert created.status_code == 201, created.content
    assert_documented(schema, "/api/values/", "post", created)
    updated = api.post(reverse("api:value-list"), {**data, "value": "8"}, format="json")
    assert updated.status_code == 200, updated.content
    assert_documented(schema, "/api/values/", "post", updated)


def test_error_responses_match_the_schema(world, schema):
    api = APIClient()
    big = "99999999999999999999"
    cases = [
        ("/api/indicators/", "get", f"{reverse('api:indicator-list')}?plan={big}", 400),
        ("/api/indicators/", "get", f"{reverse('api:indicator-list')}?page=999", 404),
        ("/api/indicators/{id}/", "get", "/api/indicators/abc/", 400),
        ("/api/indicators/{id}/", "get", f"/api/indicators/{2**63 - 1}/", 404),
        ("/api/campaigns/{id}/", "get", f"/api/campaigns/{world.campaign.pk}/", 404),
        ("/api/values/", "get", f"{reverse('api:value-list')}?status=perdue", 400),
        ("/api/values/{id}/", "get", f"/api/values/{big}/", 400),
        ("/api/values/{id}/submit/", "post", f"/api/values/{big}/submit/", 403),
        ("/api/values/", "post", reverse("api:value-list"), 403),
    ]
    for path, method, url, expected in cases:
        response = (
            getattr(api, method)(url, {}, format="json") if method == "post" else api.get(url)
        )
        assert response.status_code == expected, (url, response.content)
        assert_documented(schema, path, method, response)
    # A token that does not exist: 403 on a read, with its French message.
    api.credentials(HTTP_AUTHORIZATION="Token inconnu")
    response = api.get(reverse("api:indicator-list"))
    assert response.status_code == 403
    assert_documented(schema, "/api/indicators/", "get", response)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users.pilot).key}")
    response = api.post(reverse("api:value-list"), {"campaign": big}, format="json")
    assert response.status_code == 400
    assert_documented(schema, "/api/values/", "post", response)
    response = api.post(f"/api/values/{big}/submit/")
    assert response.status_code == 400
    assert_documented(schema, "/api/values/{id}/submit/", "post", response)
