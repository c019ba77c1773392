"""Permission matrix of the coordinator's pages (members, rules document, summary) and of a case's closure and
information, read (GET) and written (POST, with an empty form: refused by the form for those allowed).

Same people as tests/casework/test_permissions.py: nobody outside the group learns it exists (404); the group's
other members and its controller, who see the group, get 403 on the coordinator's pages; a member who has not
accepted the current charter is sent to it (302).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.casework import test_permissions as base_matrix
from tests.casework.factories import sign_in
from tests.casework.test_permissions import (
    MEMBERS,
    PEOPLE,
    _coordinator_only,
    _named,
)
from vigie.casework import services

# The people and their group (a fixture shared with the matrix of the other casework pages).
world = base_matrix.world

URL_NAMES_COVERED = {
    "casework:member_add",
    "casework:member_change",
    "casework:rules_upload",
    "casework:rules_download",
    "casework:summary_edit",
    "casework:meeting_add",
    "casework:case_close",
    "casework:case_inform",
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _members_only(person):
    """The rules document, a group's meeting: every accepted member; 403 to the controller (who sees the group),
    404 to others."""
    if person in ("anonymous", "unaccepted"):
        return 302
    if person in MEMBERS:
        return 200
    return 403 if person == "controller" else 404


def _coordinator(person):
    return _coordinator_only(person, 200)


GROUP = lambda w: [w["group"].pk]  # noqa: E731
CASE = lambda w: [w["case"].public_id]  # noqa: E731

# name: (arguments, expected on GET, expected on POST or None when the route is read-only)
MATRIX = {
    "casework:member_add": (GROUP, _coordinator, _coordinator),
    "casework:member_change": (
        lambda w: [w["group"].pk, w["target"].pk],
        _coordinator,
        _coordinator,
    ),
    "casework:rules_upload": (GROUP, _coordinator, _coordinator),
    "casework:rules_download": (GROUP, _members_only, None),
    # An empty summary is a valid one (it clears the summary): the coordinator is redirected.
    "casework:summary_edit": (GROUP, _coordinator, lambda p: _coordinator_only(p, 302)),
    # Every accepted member records a meeting the group held (an empty form is refused: 200 with the message).
    "casework:meeting_add": (GROUP, _members_only, _members_only),
    "casework:case_close": (CASE, _named, _named),
    "casework:case_inform": (CASE, _named, _named),
}


@pytest.fixture
def rules_world(world):
    coordinator = world["group"].members.get(role="coordinateur")
    services.set_rules_document(
        acting_user=coordinator.user,
        group=world["group"],
        member=coordinator,
        upload=SimpleUploadedFile("reglement.pdf", PDF, content_type="application/pdf"),
    )
    return world


def test_every_url_name_is_in_the_matrix():
    assert set(MATRIX) == URL_NAMES_COVERED


def _no_store(response, person) -> bool:
    return "no-store" in response.get("Cache-Control", "") or (
        response.status_code == 302 and person == "anonymous"
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(client, rules_world, person):
    if person != "anonymous":
        sign_in(client, rules_world["people"][person])
    for name, (args, on_get, on_post) in MATRIX.items():
        url = reverse(name, args=args(rules_world))
        response = client.get(url)
        assert response.status_code == on_get(person), (name, "GET", person, response.status_code)
        assert _no_store(response, person), name
        if on_post is None:
            refused = 302 if person == "anonymous" else 405
            assert client.post(url, {}).status_code == refused, name
            continue
        response = client.post(url, {})
        assert response.status_code == on_post(person), (name, "POST", person)
        assert _no_store(response, person), name


def test_an_empty_post_writes_nothing(client, rules_world):
    """The allowed people's empty POSTs above are refused by the form: nothing changed."""
    group, case = rules_world["group"], rules_world["case"]
    members = group.members.count()
    sign_in(client, rules_world["people"]["coordinator"])
    for name, (args, _, on_post) in MATRIX.items():
        if on_post is not None and name != "casework:summary_edit":
            client.post(reverse(name, args=args(rules_world)), {})
    case.refresh_from_db()
    assert case.closed_on is None and case.informed_on is None
    assert group.members.count() == members
    rules_world["target"].refresh_from_db()
    assert rules_world["target"].role == "autre"
