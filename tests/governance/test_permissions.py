"""Permission matrix of the governance pages: roles × (same department / other department) → HTTP status.

Objects belong to the Gers. "Same department" users work in the Gers (the coordinator coordinates the CLSPD of
Condom, the pilot's organisation owns the followed decision); "other department" users work in the Lot.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from tests.conftest import ALL_ROLES
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory
from tests.governance.factories import (
    BodyMemberFactory,
    ClspdFactory,
    DecisionFactory,
    MeetingFactory,
)
from vigie.governance import services
from vigie.governance.enums import SchemeState

URL_NAMES_COVERED = {
    "governance:index",
    "governance:dashboard",
    "governance:body_create",
    "governance:body_detail",
    "governance:body_edit",
    "governance:body_members",
    "governance:body_member_remove",
    "governance:meeting_create",
    "governance:meeting_detail",
    "governance:meeting_edit",
    "governance:meeting_history",
    "governance:meeting_minutes_file",
    "governance:decision_create",
    "governance:decision_edit",
    "governance:decision_status",
    "governance:calendar",
    "governance:calendar_ics",
    "governance:tracker",
    "governance:target_edit",
    "governance:scheme_record_edit",
    "governance:scheme_record_resolve",
}

# Who may do what, in the object's department. Everyone else of that department gets 403; people of another
# department get 404 (administrators work everywhere); anonymous visitors are sent to the login page.
EVERYONE = {"admin", "prefecture", "pilot", "coordinator", "partner", "reader"}
PREFECTURE = {"admin", "prefecture"}
COUNCIL = {"admin", "prefecture", "coordinator"}
STATUS = {"admin", "prefecture", "coordinator", "pilot"}

# name → (url args builder, allowed roles, methods)
MATRIX = {
    "governance:dashboard": (lambda o: ["32"], EVERYONE, ["GET"]),
    "governance:body_create": (lambda o: ["32"], PREFECTURE, ["GET", "POST"]),
    "governance:body_detail": (lambda o: [o["body"].pk], EVERYONE, ["GET"]),
    "governance:body_edit": (lambda o: [o["body"].pk], PREFECTURE, ["GET", "POST"]),
    "governance:body_members": (lambda o: [o["body"].pk], COUNCIL, ["GET", "POST"]),
    "governance:body_member_remove": (lambda o: [o["body"].pk, o["member"].pk], COUNCIL, ["POST"]),
    "governance:meeting_create": (lambda o: [o["body"].pk], COUNCIL, ["GET", "POST"]),
    "governance:meeting_detail": (lambda o: [o["meeting"].pk], EVERYONE, ["GET"]),
    "governance:meeting_edit": (lambda o: [o["meeting"].pk], COUNCIL, ["GET", "POST"]),
    "governance:meeting_history": (lambda o: [o["meeting"].pk], COUNCIL, ["GET"]),
    "governance:meeting_minutes_file": (lambda o: [o["meeting"].pk], EVERYONE, ["GET"]),
    "governance:decision_create": (lambda o: [o["meeting"].pk], COUNCIL, ["GET", "POST"]),
    "governance:decision_edit": (lambda o: [o["decision"].pk], COUNCIL, ["GET", "POST"]),
    "governance:decision_status": (lambda o: [o["decision"].pk], STATUS, ["GET", "POST"]),
    "governance:calendar": (lambda o: ["32"], EVERYONE, ["GET"]),
    "governance:calendar_ics": (lambda o: ["32"], EVERYONE, ["GET"]),
    "governance:tracker": (lambda o: ["32", "videoprotection"], EVERYONE, ["GET"]),
    "governance:target_edit": (lambda o: ["32", "videoprotection"], PREFECTURE, ["GET", "POST"]),
    "governance:scheme_record_edit": (
        lambda o: ["32", "videoprotection", "32107"],
        PREFECTURE,
        ["GET", "POST"],
    ),
    "governance:scheme_record_resolve": (lambda o: [o["pending"].pk], PREFECTURE, ["GET", "POST"]),
}


@pytest.fixture
def objects(db):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    body = ClspdFactory(department=gers, commune=condom)
    owner = OrganisationFactory(department=gers)
    meeting = MeetingFactory(
        body=body,
        date=date(2024, 1, 10),
        minutes_file=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 test"),
    )
    pending = services.add_unresolved_scheme_record(
        acting_user=None,
        department=gers,
        scheme="videoprotection",
        source_label="SAMATAN PANASSAC",
        candidates=[],
        data={"state": SchemeState.DIAGNOSIS, "as_of": date(2021, 6, 30)},
    )
    return {
        "gers": gers,
        "lot": lot,
        "body": body,
        "owner": owner,
        "meeting": meeting,
        "pending": pending,
        "member": BodyMemberFactory(body=body, organisation=OrganisationFactory(department=gers)),
        "decision": DecisionFactory(meeting=meeting, is_followed=True, owner=owner),
        "lot_commune": CommuneFactory(department=lot, code="46042", name="Cahors"),
    }


def _user(make_user, role, objects, same):
    department = objects["gers"] if same else objects["lot"]
    extra = {}
    if role == "coordinator":
        extra["commune"] = objects["body"].commune if same else objects["lot_commune"]
    if role == "pilot" and same:
        extra["organisation"] = objects["owner"]
    return make_user(role, department, **extra)


def expected_status(role, same, allowed, method):
    if role == "anonymous":
        return 302
    if role == "admin" or same:
        if role in allowed:
            return (200, 302) if method == "POST" else 200
        return 403
    return 404


CASES = [
    (name, role, same, method)
    for name, (_args, _allowed, methods) in MATRIX.items()
    for role in ALL_ROLES
    for same in ((True,) if role in ("anonymous", "admin") else (True, False))
    for method in methods
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "same", "method"), CASES)
def test_permission_matrix(client, make_user, objects, name, role, same, method):
    args_for, allowed, _methods = MATRIX[name]
    user = _user(make_user, role, objects, same)
    if role != "anonymous":
        client.force_login(user)
    url = reverse(name, args=args_for(objects))
    response = client.post(url, {}) if method == "POST" else client.get(url)
    expected = expected_status(role, same, allowed, method)
    if isinstance(expected, tuple):
        assert response.status_code in expected, (name, role, same, method, response.status_code)
    else:
        assert response.status_code == expected, (name, role, same, method, response.status_code)
    if role == "anonymous":
        assert "/comptes/connexion/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_index(client, make_user, objects, role):
    user = _user(make_user, role, objects, True)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(reverse("governance:index"))
    if role == "anonymous":
        assert "/comptes/connexion/" in response.url
    elif role == "admin":
        assert response.status_code == 200
    else:
        assert response.url == reverse("governance:dashboard", args=["32"])


@pytest.mark.django_db
def test_forbidden_posts_change_nothing(client, make_user, objects):
    reader = _user(make_user, "reader", objects, True)
    client.force_login(reader)
    client.post(
        reverse("governance:meeting_create", args=[objects["body"].pk]), {"date": "2024-05-01"}
    )
    client.post(
        reverse("governance:body_member_remove", args=[objects["body"].pk, objects["member"].pk])
    )
    assert objects["body"].meetings.count() == 1
    assert objects["body"].members.count() == 1


@pytest.mark.django_db
def test_writes_are_not_reachable_by_get_when_post_only(client, make_user, objects):
    client.force_login(_user(make_user, "prefecture", objects, True))
    url = reverse("governance:body_member_remove", args=[objects["body"].pk, objects["member"].pk])
    assert client.get(url).status_code == 405


def test_every_governance_url_is_in_the_matrix():
    names = {
        f"governance:{name}"
        for name in get_resolver().namespace_dict["governance"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == URL_NAMES_COVERED
    assert set(MATRIX) | {"governance:index"} == URL_NAMES_COVERED
