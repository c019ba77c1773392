"""Permission matrix of the indicator monitoring pages: roles × (same department / other department).

Expected codes: 200 page, 302 done (redirect), 403 visible but not allowed, 404 not visible.
Campaigns, values in progress and history are not public: 404 outside the plan's department.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from vigie.indicators import services
from vigie.indicators.territory import resolve_key

URL_NAMES_COVERED = {
    "indicators:plan_progress",
    "indicators:axis_progress",
    "indicators:measure_progress",
    "indicators:indicator",
    "indicators:indicator_edit",
    "indicators:campaigns",
    "indicators:campaign_create",
    "indicators:campaign",
    "indicators:campaign_edit",
    "indicators:value_entry",
    "indicators:submit_drafts",
    "indicators:action_report",
    "indicators:missing",
    "indicators:template",
    "indicators:upload",
    "indicators:export",
    "indicators:value",
    "indicators:value_review",
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
PREFECTURE_ONLY = {
    "anonymous": 404,
    "admin": 200,
    "prefecture": 200,
    "pilot": 403,
    "coordinator": 403,
    "partner": 403,
    "reader": 403,
}
ENTRY = {
    "anonymous": 404,
    "admin": 200,
    "prefecture": 200,
    "pilot": 200,
    "coordinator": 200,
    "partner": 403,
    "reader": 403,
}


def _outside(expected):
    """The same role working in another department (administrators work everywhere)."""
    if expected == PUBLIC:
        return PUBLIC
    return {role: (code if role == "admin" else 404) for role, code in expected.items()}


def submitted_value(w):
    return services.save_value(
        acting_user=w.users.coordinator,
        campaign=w.campaign,
        indicator=w.commune_indicator,
        territory=resolve_key("C32013", w.gers),
        period="2025",
        value=Decimal(3),
        submit=True,
    ).value


# name: (method, url builder, POST data, expected codes in the plan's department)
CASES = {
    "plan_progress": (
        "get",
        lambda w: reverse("indicators:plan_progress", args=[w.plan.pk]),
        None,
        PUBLIC,
    ),
    "axis_progress": (
        "get",
        lambda w: reverse("indicators:axis_progress", args=[w.axis.pk]),
        None,
        PUBLIC,
    ),
    "measure_progress": (
        "get",
        lambda w: reverse("indicators:measure_progress", args=[w.measure.pk]),
        None,
        PUBLIC,
    ),
    "indicator": (
        "get",
        lambda w: reverse("indicators:indicator", args=[w.dept_indicator.pk]),
        None,
        PUBLIC,
    ),
    "export": (
        "get",
        lambda w: reverse("indicators:export", args=[w.plan.pk, "csv"]),
        None,
        PUBLIC,
    ),
    "indicator_edit": (
        "get",
        lambda w: reverse("indicators:indicator_edit", args=[w.dept_indicator.pk]),
        None,
        {**PREFECTURE_ONLY, "pilot": 200},
    ),
    "campaigns": (
        "get",
        lambda w: reverse("indicators:campaigns", args=[w.plan.pk]),
        None,
        MEMBERS,
    ),
    "campaign_create": (
        "get",
        lambda w: reverse("indicators:campaign_create", args=[w.plan.pk]),
        None,
        PREFECTURE_ONLY,
    ),
    "campaign": (
        "get",
        lambda w: reverse("indicators:campaign", args=[w.campaign.pk]),
        None,
        MEMBERS,
    ),
    "campaign_edit": (
        "get",
        lambda w: reverse("indicators:campaign_edit", args=[w.campaign.pk]),
        None,
        PREFECTURE_ONLY,
    ),
    "missing": (
        "get",
        lambda w: reverse("indicators:missing", args=[w.campaign.pk]),
        None,
        MEMBERS,
    ),
    "value_entry": (
        "get",
        lambda w: reverse(
            "indicators:value_entry", args=[w.campaign.pk, w.commune_indicator.pk, "C32013", "2025"]
        ),
        None,
        ENTRY,
    ),
    "value_entry_post": (
        "post",
        lambda w: reverse(
            "indicators:value_entry", args=[w.campaign.pk, w.commune_indicator.pk, "C32013", "2025"]
        ),
        {"value": "3", "intent": "submit"},
        {**ENTRY, "admin": 302, "prefecture": 302, "pilot": 302, "coordinator": 302},
    ),
    "submit_drafts": (
        "post",
        lambda w: reverse("indicators:submit_drafts", args=[w.campaign.pk]),
        {},
        {**ENTRY, "admin": 302, "prefecture": 302, "pilot": 302, "coordinator": 302},
    ),
    "action_report": (
        "get",
        lambda w: reverse("indicators:action_report", args=[w.campaign.pk, w.action.pk]),
        None,
        {**ENTRY, "coordinator": 403},
    ),
    "template": (
        "get",
        lambda w: reverse("indicators:template", args=[w.campaign.pk, "xlsx"]),
        None,
        ENTRY,
    ),
    "upload": ("get", lambda w: reverse("indicators:upload", args=[w.campaign.pk]), None, ENTRY),
    "value": (
        "get",
        lambda w: reverse("indicators:value", args=[submitted_value(w).pk]),
        None,
        MEMBERS,
    ),
    "value_review": (
        "post",
        lambda w: reverse("indicators:value_review", args=[submitted_value(w).pk]),
        {"intent": "validate"},
        {**PREFECTURE_ONLY, "admin": 302, "prefecture": 302},
    ),
}


def make_role_user(make_user, world, role, same_department):
    department = world.gers if same_department else world.lot
    kwargs = {}
    if role == "pilot":
        kwargs["organisation"] = world.ddsp if same_department else None
    if role == "coordinator":
        if same_department:
            kwargs["epci"] = world.grand_auch
        else:
            kwargs["commune"] = world.cahors
    return make_user(role, department, **kwargs)


@pytest.mark.parametrize(
    "same_department", [True, False], ids=["meme-departement", "autre-departement"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_matrix(world, client, make_user, case, role, same_department):
    method, build, data, expected = CASES[case]
    expected = expected if same_department else _outside(expected)
    user = make_role_user(make_user, world, role, same_department)
    url = build(world)
    if role != "anonymous":
        client.force_login(user)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected[role], f"{case} {role} {same_department}"


def test_unknown_formats_and_territories_are_404(world, client):
    client.force_login(world.users.prefecture)
    assert (
        client.get(reverse("indicators:template", args=[world.campaign.pk, "pdf"])).status_code
        == 404
    )
    assert client.get(reverse("indicators:export", args=[world.plan.pk, "pdf"])).status_code == 404
    url = reverse(
        "indicators:value_entry",
        args=[world.campaign.pk, world.commune_indicator.pk, "C46042", "2025"],
    )
    assert client.get(url).status_code == 404  # Cahors is not in the Gers
    url = reverse(
        "indicators:value_entry", args=[world.campaign.pk, world.lot_indicator.pk, "D32", "2025"]
    )
    assert client.get(url).status_code == 404  # indicator of another plan
    url = reverse(
        "indicators:value_entry", args=[world.campaign.pk, world.dept_indicator.pk, "D32", "2019"]
    )
    assert client.get(url).status_code == 404  # period outside the campaign


def test_draft_plan_monitoring_is_not_public(world, client):
    world.plan.status = "draft"
    world.plan.save()
    assert client.get(reverse("indicators:plan_progress", args=[world.plan.pk])).status_code == 404
    assert (
        client.get(reverse("indicators:indicator", args=[world.dept_indicator.pk])).status_code
        == 404
    )
    client.force_login(world.users.reader)
    assert client.get(reverse("indicators:plan_progress", args=[world.plan.pk])).status_code == 200


def test_public_pages_show_validated_values_only(world, client):
    value = submitted_value(world)
    response = client.get(reverse("indicators:indicator", args=[world.commune_indicator.pk]))
    assert "Auch (32013)" not in response.content.decode()
    services.validate_value(acting_user=world.users.prefecture, value=value)
    response = client.get(reverse("indicators:indicator", args=[world.commune_indicator.pk]))
    assert "Auch (32013)" in response.content.decode()
    assert (
        "Historique"
        not in client.get(
            reverse("indicators:measure_progress", args=[world.measure.pk])
        ).content.decode()
    )
