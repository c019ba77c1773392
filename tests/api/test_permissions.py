"""Permission matrix of the API: roles × (same department / other department)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from vigie.indicators import services
from vigie.indicators.territory import resolve_key

URL_NAMES_COVERED = {
    "api:docs",
    "api:schema",
    "api:token",
    "api:indicator-list",
    "api:indicator-detail",
    "api:campaign-list",
    "api:campaign-detail",
    "api:value-list",
    "api:value-detail",
    "api:value-submit",
    # The funding endpoints' matrix (roles and applicants × departments) is in tests/api/test_funding_api.py.
    "api:funding-call-list",
    "api:funding-call-detail",
    "api:funding-application-list",
    "api:funding-application-detail",
    "api:funding-application-submit",
    "api:funding-application-attachments",
}

PUBLIC = dict.fromkeys(ALL_ROLES, 200)
MEMBERS = {
    "anonymous": 404,
    "admin": 200,
    "prefecture": 200,
    "pilot": 200,
    "coordinator": 200,
    "partner": 200,
    "reader": 200,
}
TOKEN = {
    "anonymous": 302,
    "admin": 200,
    "prefecture": 200,
    "pilot": 200,
    "coordinator": 200,
    "partner": 403,
    "reader": 403,
}
# Submitting the coordinator's draft (Auch, commune indicator of measure 1.1 piloted by the DDSP).
SUBMIT = {
    "anonymous": 403,
    "admin": 200,
    "prefecture": 200,
    "pilot": 200,
    "coordinator": 200,
    "partner": 403,
    "reader": 403,
}
# Changing the definition of the department indicator of measure 1.1 (piloted by the DDSP): those who
# may edit the measure; public elsewhere, so visible but not editable (403).
PATCH_SAME = {
    "anonymous": 403,
    "admin": 200,
    "prefecture": 200,
    "pilot": 200,
    "coordinator": 403,
    "partner": 403,
    "reader": 403,
}
PATCH_OTHER = {**dict.fromkeys(ALL_ROLES, 403), "admin": 200}
# Creating a value for Auch.
CREATE = {
    "anonymous": 403,
    "admin": 201,
    "prefecture": 201,
    "pilot": 201,
    "coordinator": 201,
    "partner": 403,
    "reader": 403,
}


def draft(w):
    return services.save_value(
        acting_user=w.users.coordinator,
        campaign=w.campaign,
        indicator=w.commune_indicator,
        territory=resolve_key("C32013", w.gers),
        period="2025",
        value=Decimal(3),
    ).value


CASES = {
    "docs": ("get", lambda w: reverse("api:docs"), None, PUBLIC, PUBLIC),
    "schema": ("get", lambda w: reverse("api:schema"), None, PUBLIC, PUBLIC),
    "token": ("get", lambda w: reverse("api:token"), None, TOKEN, TOKEN),
    "indicator-list": ("get", lambda w: reverse("api:indicator-list"), None, PUBLIC, PUBLIC),
    "indicator-detail": (
        "get",
        lambda w: reverse("api:indicator-detail", args=[w.dept_indicator.pk]),
        None,
        PUBLIC,
        PUBLIC,
    ),
    "campaign-list": ("get", lambda w: reverse("api:campaign-list"), None, PUBLIC, PUBLIC),
    "campaign-detail": (
        "get",
        lambda w: reverse("api:campaign-detail", args=[w.campaign.pk]),
        None,
        MEMBERS,
        {**dict.fromkeys(ALL_ROLES, 404), "admin": 200},
    ),
    "value-list": ("get", lambda w: reverse("api:value-list"), None, PUBLIC, PUBLIC),
    "value-detail": (
        "get",
        lambda w: reverse("api:value-detail", args=[draft(w).pk]),
        None,
        MEMBERS,
        {**dict.fromkeys(ALL_ROLES, 404), "admin": 200},
    ),
    "value-submit": (
        "post",
        lambda w: reverse("api:value-submit", args=[draft(w).pk]),
        {},
        SUBMIT,
        {
            **dict.fromkeys(ALL_ROLES, 404),
            "anonymous": 403,
            "partner": 403,
            "reader": 403,
            "admin": 200,
        },
    ),
    "indicator-patch": (
        "patch",
        lambda w: reverse("api:indicator-detail", args=[w.dept_indicator.pk]),
        {"description": "Définition revue"},
        PATCH_SAME,
        PATCH_OTHER,
    ),
    "value-create": (
        "post",
        lambda w: reverse("api:value-list"),
        lambda w: {
            "campaign": w.campaign.pk,
            "indicator": w.commune_indicator.pk,
            "territory": "32013",
            "period": "2025",
            "value": "4",
        },
        CREATE,
        {**CREATE, "prefecture": 403, "pilot": 403, "coordinator": 403},
    ),
}


def make_role_user(make_user, world, role, same_department):
    department = world.gers if same_department else world.lot
    kwargs = {}
    if role == "pilot" and same_department:
        kwargs["organisation"] = world.ddsp
    if role == "coordinator":
        kwargs["epci" if same_department else "commune"] = (
            world.grand_auch if same_department else world.cahors
        )
    return make_user(role, department, **kwargs)


@pytest.mark.parametrize(
    "same_department", [True, False], ids=["meme-departement", "autre-departement"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_matrix(world, client, make_user, case, role, same_department):
    from rest_framework.authtoken.models import Token

    method, build, data, same, other = CASES[case]
    expected = same if same_department else other
    user = make_role_user(make_user, world, role, same_department)
    url = build(world)
    headers = {}
    if role != "anonymous":
        if method in ("post", "patch"):
            headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
        else:
            client.force_login(user)
    if method == "post":
        payload = data(world) if callable(data) else data
        response = client.post(url, payload, content_type="application/json", **headers)
    elif method == "patch":
        response = client.patch(
            url, data, content_type="application/json", HTTP_IF_MATCH='"v1"', **headers
        )
    else:
        response = client.get(url, **headers)
    assert response.status_code == expected[role], (
        f"{case} {role} {same_department}: {response.content[:300]}"
    )
