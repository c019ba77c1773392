"""Permission matrix of the public progress pages, the open data and the public API: roles × (same
department / other department).

Public pages are open to all (200) for an adopted plan and do not exist (404) for a draft, whoever asks.
The publication settings are the prefecture's: 404 outside the department (visitors included), 403 for
the department's other people.
"""

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.indicators.test_permissions import make_role_user
from tests.indicators.world import build_world
from vigie.plans.enums import PlanStatus

API_NAMES = ["plan", "axis", "measure", "action", "indicator", "value"]

URL_NAMES_COVERED = {
    "progress:index",
    "progress:plan",
    "progress:feed",
    "progress:data",
    "progress:publication",
    *[f"api:public-{name}-list" for name in API_NAMES],
    *[f"api:public-{name}-detail" for name in API_NAMES],
}

PUBLIC = dict.fromkeys(ALL_ROLES, 200)
NOWHERE = dict.fromkeys(ALL_ROLES, 404)
PREFECTURE_ONLY = {
    "anonymous": 404,
    "admin": 200,
    "prefecture": 200,
    "pilot": 403,
    "coordinator": 403,
    "partner": 403,
    "reader": 403,
}


@pytest.fixture
def world(db):
    w = build_world()
    w.draft = w.plan.__class__.objects.create(
        department=w.gers, title="Projet de plan", period_start=2025, period_end=2030
    )
    assert w.draft.status == PlanStatus.DRAFT
    return w


def _api_details(w) -> dict[str, int]:
    return {
        "plan": w.plan.pk,
        "axis": w.axis.pk,
        "measure": w.measure.pk,
        "action": w.action.pk,
        "indicator": w.dept_indicator.pk,
    }


def _cases(w) -> list[tuple[str, str, dict | None, dict]]:
    """(method, url, POST data, expected codes in the plan's department)."""
    cases = [
        ("get", reverse("progress:index"), None, PUBLIC),
        ("get", reverse("progress:plan", args=[w.plan.pk]), None, PUBLIC),
        (
            "get",
            reverse("progress:plan", args=[w.plan.pk]) + "?territoire=commune-32107",
            None,
            PUBLIC,
        ),
        ("get", reverse("progress:feed", args=[w.plan.pk]), None, PUBLIC),
        ("get", reverse("progress:data", args=[w.plan.pk]), None, PUBLIC),
        ("get", reverse("progress:plan", args=[w.draft.pk]), None, NOWHERE),
        ("get", reverse("progress:feed", args=[w.draft.pk]), None, NOWHERE),
        ("get", reverse("progress:data", args=[w.draft.pk]), None, NOWHERE),
        ("get", reverse("progress:publication", args=[w.plan.pk]), None, PREFECTURE_ONLY),
        ("get", reverse("progress:publication", args=[w.draft.pk]), None, PREFECTURE_ONLY),
        ("get", reverse("api:public-plan-detail", args=[w.draft.pk]), None, NOWHERE),
    ]
    cases += [("get", reverse(f"api:public-{name}-list"), None, PUBLIC) for name in API_NAMES]
    cases += [
        ("get", reverse(f"api:public-{name}-detail", args=[pk]), None, PUBLIC)
        for name, pk in _api_details(w).items()
    ]
    # Last: it changes what is public.
    cases.append(
        (
            "post",
            reverse("progress:publication", args=[w.plan.pk]),
            {"actions": [w.action.pk]},
            {**PREFECTURE_ONLY, "admin": 302, "prefecture": 302},
        )
    )
    return cases


def _outside(expected: dict) -> dict:
    """The same role working in another department (administrators work everywhere)."""
    if expected in (PUBLIC, NOWHERE):
        return expected
    return {role: (code if role == "admin" else 404) for role, code in expected.items()}


@pytest.mark.parametrize(
    "same_department", [True, False], ids=["meme-departement", "autre-departement"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix(world, client, make_user, role, same_department):
    user = make_role_user(make_user, world, role, same_department)
    if role != "anonymous":
        client.force_login(user)
    failures = []
    for method, url, data, expected in _cases(world):
        expected = expected if same_department else _outside(expected)
        response = client.post(url, data) if method == "post" else client.get(url)
        if response.status_code != expected[role]:
            failures.append((method, url, response.status_code, expected[role]))
    assert failures == []


def test_public_value_detail_is_open_to_all(world, client, make_user):
    from tests.progress.conftest import validated_value

    value = validated_value(world, world.dept_indicator, "D32", "2025", "12")
    url = reverse("api:public-value-detail", args=[value.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.users.lot_prefecture)
    assert client.get(url).status_code == 200
