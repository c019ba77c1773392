"""Permission matrix of the casework API (vigie/api/casework.py), with personal tokens.

Every person of tests/casework/test_permissions.py has a confirmed TOTP device and a token: only the group's
accepted members read (200); a member who has not accepted the charter is refused (403); everybody else, the data
controller included, gets 404. A member's token without a confirmed device is refused (403); secret entries reach
only the assigned social-work professional and the coordinator.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.accounts.two_factor.helpers import enrol
from tests.casework import test_permissions as base_matrix
from tests.casework.factories import make_case, make_member, sign_in
from tests.casework.test_permissions import (
    MEMBERS,
    PEOPLE,
)
from vigie.casework import case_services
from vigie.casework.enums import AccessChannel, Level, MemberRole
from vigie.casework.models import AccessLogEntry

# The people and their group (a fixture shared with the matrix of the other casework pages).
world = base_matrix.world

URL_NAMES_COVERED = {"api:casework-case-list", "api:casework-case-detail"}

MATRIX = {
    "api:casework-case-list": lambda w: [w["group"].pk],
    "api:casework-case-detail": lambda w: [w["case"].public_id],
}


def expected(person) -> int:
    if person == "unaccepted":
        return 403
    return 200 if person in MEMBERS else 404


def token_client(client, user, *, device=True):
    if device:
        enrol(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def test_every_url_name_is_in_the_matrix():
    assert set(MATRIX) == URL_NAMES_COVERED


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(api_client, world, person):
    if person != "anonymous":
        token_client(api_client, world["people"][person])
    for name, args in MATRIX.items():
        response = api_client.get(reverse(name, args=args(world)))
        assert response.status_code == expected(person), (name, person, response.status_code)
        assert "no-store" in response["Cache-Control"], name


def test_a_token_without_a_confirmed_device_is_refused(api_client, world):
    token_client(api_client, world["people"]["referent"], device=False)
    response = api_client.get(reverse("api:casework-case-detail", args=[world["case"].public_id]))
    assert response.status_code == 403
    assert "double authentification" in response.json()["detail"]
    assert not AccessLogEntry.objects.filter(channel=AccessChannel.API).exists()


def test_a_session_that_gave_its_second_factor_reads(client, world):
    sign_in(client, world["people"]["referent"])
    response = client.get(reverse("api:casework-case-list", args=[world["group"].pk]))
    assert response.status_code == 200
    assert response.json()["results"][0]["last_name"] == "DUPONT-FICTIF"


def test_a_session_without_second_factor_is_refused(client, world):
    client.force_login(world["people"]["referent"])
    response = client.get(reverse("api:casework-case-list", args=[world["group"].pk]))
    assert response.status_code == 403


def test_every_read_is_logged_with_channel_api(api_client, world):
    second = make_case(world["group"].members.get(user=world["people"]["referent"]))
    token_client(api_client, world["people"]["referent"])
    api_client.get(reverse("api:casework-case-list", args=[world["group"].pk]))
    api_client.get(reverse("api:casework-case-detail", args=[world["case"].public_id]))
    rows = list(AccessLogEntry.objects.filter(channel=AccessChannel.API).order_by("pk"))
    # The list shows each case's identity: one row per case listed, then the case read.
    assert {row.action for row in rows} == {"lecture"}
    assert {row.case_public_id for row in rows[:2]} == {second.public_id, world["case"].public_id}
    assert len(rows) == 3 and rows[2].case_public_id == world["case"].public_id


def test_a_malformed_identifier_is_a_400(api_client, world):
    token_client(api_client, world["people"]["referent"])
    assert api_client.get("/api/casework/cases/not-a-uuid/").status_code == 400
    assert api_client.get("/api/casework/groups/abc/cases/").status_code == 400


@pytest.fixture
def secret_case(world):
    group = world["group"]
    coordinator = group.members.get(role=MemberRole.COORDINATOR)
    assigned = make_member(group, role=MemberRole.SOCIAL_WORKER)
    other_worker = make_member(group, role=MemberRole.SOCIAL_WORKER)
    case = world["case"]
    case.assigned.add(assigned)
    for level, text in ((Level.CONFIDENTIAL, "Note partagée"), (Level.SECRET, "Note secrète")):
        case_services.add_entry(
            acting_user=coordinator.user,
            member=coordinator,
            case=case,
            data={"date": case.opened_on, "level": level, "situation": text},
        )
    return {
        "coordinator": coordinator.user,
        "assigned": assigned.user,
        "other_worker": other_worker.user,
        "referent": world["people"]["referent"],
    }


@pytest.mark.parametrize(
    "reader, sees_secret",
    [("coordinator", True), ("assigned", True), ("other_worker", False), ("referent", False)],
)
def test_secret_entries_reach_only_the_assigned_and_the_coordinator(
    api_client, world, secret_case, reader, sees_secret
):
    token_client(api_client, secret_case[reader])
    response = api_client.get(reverse("api:casework-case-detail", args=[world["case"].public_id]))
    situations = {entry["situation"] for entry in response.json()["entries"]}
    assert "Note partagée" in situations
    assert ("Note secrète" in situations) is sees_secret
