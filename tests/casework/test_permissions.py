"""Permission matrix of the nominative groups: who reaches each page → HTTP status.

Nobody outside the group learns it exists (404): national administrators, prefecture agents (who set it up), the
council's other members, members of another group, partners and readers. Its current members reach it once they
accepted the current charter (before: sent to the charter, 302); the data controller sees the group page only.
"""

import pytest
from django.urls import reverse

from tests.casework.factories import make_case, make_group, make_member, sign_in
from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.casework import services
from vigie.casework.enums import MemberRole

URL_NAMES_COVERED = {
    "casework:groups",
    "casework:group",
    "casework:charter",
    "casework:charter_edit",
    "casework:member_end",
    "casework:cases",
    "casework:case_create",
    "casework:case",
    "casework:entry_add",
    "casework:access_log",
}

OUTSIDERS = [
    "admin",
    "prefecture",
    "pilot",
    "council_member",
    "partner",
    "reader",
    "other_group_member",
    "ended_member",
    "other_department_prefecture",
]
MEMBERS = ["coordinator", "referent", "unaccepted"]
PEOPLE = ["anonymous", *OUTSIDERS, *MEMBERS, "controller"]


@pytest.fixture
def world(db):
    gers = DepartmentFactory(code="32", name="Gers")
    group, agent = make_group(department=gers)
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    target = make_member(group, role=MemberRole.OTHER)
    other_group, _ = make_group(department=DepartmentFactory(code="46", name="Lot"), name="Cellule")
    ended = make_member(group)
    services.end_membership(acting_user=coordinator.user, member=ended, manager=coordinator)
    people = {
        "admin": UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True),
        "prefecture": agent,
        "pilot": UserFactory(role=Role.PILOT, department=gers),
        "council_member": UserFactory(role=Role.COORDINATOR, department=gers),
        "partner": UserFactory(role=Role.PARTNER, department=gers),
        "reader": UserFactory(role=Role.READER, department=gers),
        "other_group_member": make_member(other_group).user,
        "ended_member": ended.user,
        "other_department_prefecture": UserFactory(
            role=Role.PREFECTURE, department=other_group.department
        ),
        "coordinator": coordinator.user,
        "referent": referent.user,
        "unaccepted": make_member(group, accept=False).user,
        "controller": group.controller,
    }
    case = make_case(referent)
    return {"group": group, "target": target, "people": people, "case": case}


def _group_page(person):
    if person == "anonymous":
        return 302
    if person in MEMBERS:
        return 302 if person == "unaccepted" else 200
    return 200 if person == "controller" else 404


def _charter(person):
    if person == "anonymous":
        return 302
    return 200 if person in MEMBERS else 404


def _coordinator_only(person, ok):
    if person == "anonymous":
        return 302
    if person == "coordinator":
        return ok
    if person == "unaccepted":
        return 302
    # The group is visible to its other members and to its controller: 403 there.
    return 403 if person in ("referent", "controller") else 404


def _named(person):
    """Every case URL, list and form: the group's accepted members only; 404 for everybody else (controller too)."""
    if person == "anonymous":
        return 302
    if person == "unaccepted":
        return 302
    return 200 if person in MEMBERS else 404


def _log(person):
    if person in ("anonymous", "unaccepted"):
        return 302
    if person == "controller":
        return 200
    return 403 if person in MEMBERS else 404


MATRIX = {
    "casework:groups": ("GET", lambda w: [], lambda p: 302 if p == "anonymous" else 200),
    "casework:group": ("GET", lambda w: [w["group"].pk], _group_page),
    "casework:charter": ("GET", lambda w: [w["group"].pk], _charter),
    "casework:charter_edit": (
        "GET",
        lambda w: [w["group"].pk],
        lambda p: _coordinator_only(p, 200),
    ),
    "casework:member_end": (
        "POST",
        lambda w: [w["group"].pk, w["target"].pk],
        lambda p: _coordinator_only(p, 302),
    ),
    "casework:cases": ("GET", lambda w: [w["group"].pk], _named),
    "casework:case_create": ("GET", lambda w: [w["group"].pk], _named),
    "casework:case": ("GET", lambda w: [w["case"].public_id], _named),
    "casework:entry_add": ("GET", lambda w: [w["case"].public_id], _named),
    "casework:access_log": ("GET", lambda w: [w["group"].pk], _log),
}


def test_every_url_name_is_in_the_matrix():
    assert set(MATRIX) == URL_NAMES_COVERED


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(client, world, person):
    if person != "anonymous":
        sign_in(client, world["people"][person])
    for name, (method, args, expected) in MATRIX.items():
        url = reverse(name, args=args(world))
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == expected(person), (name, person, response.status_code)
        assert (
            "no-store" in response.get("Cache-Control", "")
            or response.status_code == 302
            and person == "anonymous"
        ), name


def test_an_unaccepted_member_is_sent_to_the_charter(client, world):
    sign_in(client, world["people"]["unaccepted"])
    response = client.get(reverse("casework:group", args=[world["group"].pk]))
    assert response["Location"] == reverse("casework:charter", args=[world["group"].pk])
