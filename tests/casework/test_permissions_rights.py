"""Permission matrix of the rights of the person (export, rectification, erasure; the rectification history).

Like every case URL: 404 for everybody outside the group (the data controller included: they never see a case),
sent to the charter (302) until it is accepted. The rights themselves are the coordinator's: the group's other
members get 403. The rectification history is the group's: every accepted member reads it.
"""

import pytest
from django.urls import reverse

from tests.casework.factories import sign_in
from tests.casework.test_permissions import MEMBERS, PEOPLE, world  # noqa: F401 (fixture)

URL_NAMES_COVERED = {
    "casework:rights",
    "casework:rights_export",
    "casework:rectify",
    "casework:erase",
    "casework:rectifications",
}


def _coordinator_of_case(person, ok=200):
    if person in ("anonymous", "unaccepted"):
        return 302
    if person == "coordinator":
        return ok
    return 403 if person == "referent" else 404


def _named(person):
    if person in ("anonymous", "unaccepted"):
        return 302
    return 200 if person in MEMBERS else 404


MATRIX = {
    "casework:rights": ("GET", _coordinator_of_case),
    # An empty form: the coordinator gets the page back with the errors.
    "casework:rights_export": ("POST", _coordinator_of_case),
    "casework:rectify": ("GET", _coordinator_of_case),
    "casework:erase": ("GET", _coordinator_of_case),
    "casework:rectifications": ("GET", _named),
}


def test_every_url_name_is_in_the_matrix():
    assert set(MATRIX) == URL_NAMES_COVERED


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(client, world, person):  # noqa: F811 (the fixture imported above)
    if person != "anonymous":
        sign_in(client, world["people"][person])
    for name, (method, expected) in MATRIX.items():
        url = reverse(name, args=[world["case"].public_id])
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == expected(person), (name, person, response.status_code)
        if person != "anonymous":
            assert "no-store" in response.get("Cache-Control", ""), (name, person)


def test_a_refused_erasure_erases_nothing(client, world):  # noqa: F811
    sign_in(client, world["people"]["referent"])
    url = reverse("casework:erase", args=[world["case"].public_id])
    response = client.post(
        url,
        {"ground": "opposition", "justification": "Opposition reçue et fondée", "confirm": "on"},
    )
    assert response.status_code == 403
    world["case"].refresh_from_db()
