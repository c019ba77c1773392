"""Query counts of the casework pages and API whose data grows: the same number of queries for 2 and for 20 cases,
entries, members or access-log rows, under a pinned maximum."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.two_factor.helpers import enrol
from tests.casework.factories import make_case, make_group, make_member, sign_in
from vigie.casework import case_services
from vigie.casework.enums import Level, MemberRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_world():
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    return group, coordinator


def _grow(group, coordinator, n: int):
    """n cases, n entries on the first case (half secret), n members, and their access-log rows."""
    for i in range(n):
        make_member(group, role=MemberRole.SOCIAL_WORKER if i % 2 else MemberRole.OTHER)
    cases = [make_case(coordinator, last_name=f"NOM{i}", first_name="Fictif") for i in range(n)]
    first = cases[0]
    first.assigned.set(group.members.filter(role=MemberRole.SOCIAL_WORKER))
    for i in range(n):
        case_services.add_entry(
            acting_user=coordinator.user,
            member=coordinator,
            case=first,
            data={
                "date": first.opened_on,
                "level": Level.SECRET if i % 2 else Level.CONFIDENTIAL,
                "situation": f"Situation {i}",
            },
        )
    return first


def _count(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


PAGES = {
    # 11: one INSERT logs a read of each case listed.
    "cases": (lambda g, c: reverse("casework:cases", args=[g.pk]), "coordinator", 11),
    "case": (lambda g, c: reverse("casework:case", args=[c.public_id]), "coordinator", 13),
    "group": (lambda g, c: reverse("casework:group", args=[g.pk]), "coordinator", 13),
    "access_log": (lambda g, c: reverse("casework:access_log", args=[g.pk]), "controller", 9),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_costs_the_same_for_2_and_20_items(
    client, group_world, page, django_assert_max_num_queries
):
    url_of, who, limit = PAGES[page]
    group, coordinator = group_world
    user = coordinator.user if who == "coordinator" else group.controller
    sign_in(client, user)
    first = _grow(group, coordinator, 2)
    small = _count(lambda: client.get(url_of(group, first)))
    _grow(group, coordinator, 18)
    with django_assert_max_num_queries(limit):
        large = _count(lambda: client.get(url_of(group, first)))
    assert large == small, (page, small, large)


API_LIMITS = {"list": 9, "detail": 10}


@pytest.mark.parametrize("name", list(API_LIMITS))
def test_the_api_costs_the_same_for_2_and_20_items(
    group_world, name, django_assert_max_num_queries
):
    group, coordinator = group_world
    enrol(coordinator.user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator.user).key}")
    first = _grow(group, coordinator, 2)
    url = (
        reverse("api:casework-case-list", args=[group.pk])
        if name == "list"
        else reverse("api:casework-case-detail", args=[first.public_id])
    )
    small = _count(lambda: api.get(url))
    _grow(group, coordinator, 18)
    with django_assert_max_num_queries(API_LIMITS[name]):
        large = _count(lambda: api.get(url))
    assert large == small, (name, small, large)
