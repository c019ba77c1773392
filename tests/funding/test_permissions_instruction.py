"""Permission matrix of the instruction and funders' committee pages: roles × (Gers / Lot) → HTTP status.

Objects belong to the Gers. Prefecture agents of the Gers (and national administrators) instruct and run the
committee; other Gers members get 403 on department pages (queue, committee) and 404 on an application's
instruction file (they do not see applications); the applicant sees its own application elsewhere but never its
instruction file (403); people of the Lot get 404; only the person asked sees an opinion request (with the
instructors). Anonymous visitors are sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.funding.instruction_data import due, gers_world
from vigie.funding import committee, instruction
from vigie.funding.models import Fund

URL_NAMES_COVERED = {
    "instruction:queue",
    "instruction:file",
    "instruction:note_add",
    "instruction:review",
    "instruction:transition",
    "instruction:opinion_request",
    "instruction:my_opinions",
    "instruction:opinion",
    "instruction:sessions",
    "instruction:session",
    "instruction:agenda_add",
    "instruction:proposal",
    "instruction:decisions",
    "instruction:minutes",
    "instruction:minutes_pdf",
}

ROLES = [
    "admin",
    "prefecture",
    "pilot",
    "coordinator",
    "partner",
    "reader",
    "applicant",
    "referent",
]
PREFECTURE = {"admin", "prefecture"}
OK = "ok"

# In the Gers: who gets through; the others' status. Department pages: 403 for members, 404 for an applicant.
DEPARTMENT_PAGE = {"denied": 403, "applicant": 404}
FILE_PAGE = {"denied": 404, "applicant": 403}

MATRIX = {
    "instruction:queue": (lambda o: ["32"], PREFECTURE, DEPARTMENT_PAGE, ["GET"]),
    "instruction:sessions": (lambda o: ["32"], PREFECTURE, DEPARTMENT_PAGE, ["GET", "POST"]),
    "instruction:file": (lambda o: [o["application"].pk], PREFECTURE, FILE_PAGE, ["GET"]),
    "instruction:note_add": (lambda o: [o["application"].pk], PREFECTURE, FILE_PAGE, ["POST"]),
    "instruction:review": (lambda o: [o["application"].pk], PREFECTURE, FILE_PAGE, ["POST"]),
    "instruction:transition": (lambda o: [o["application"].pk], PREFECTURE, FILE_PAGE, ["POST"]),
    "instruction:opinion_request": (
        lambda o: [o["application"].pk],
        PREFECTURE,
        FILE_PAGE,
        ["GET", "POST"],
    ),
    "instruction:opinion": (
        lambda o: [o["opinion"].pk],
        {"admin", "prefecture", "referent"},
        {"denied": 404, "applicant": 404},
        ["GET"],
    ),
    "instruction:session": (lambda o: [o["session"].pk], PREFECTURE, DEPARTMENT_PAGE, ["GET"]),
    "instruction:agenda_add": (lambda o: [o["session"].pk], PREFECTURE, DEPARTMENT_PAGE, ["POST"]),
    "instruction:proposal": (
        lambda o: [o["session"].pk, o["item"].pk, o["fund"].pk],
        PREFECTURE,
        DEPARTMENT_PAGE,
        ["POST"],
    ),
    "instruction:decisions": (lambda o: [o["session"].pk], PREFECTURE, DEPARTMENT_PAGE, ["POST"]),
    "instruction:minutes": (lambda o: [o["session"].pk], PREFECTURE, DEPARTMENT_PAGE, ["GET"]),
    "instruction:minutes_pdf": (lambda o: [o["session"].pk], PREFECTURE, DEPARTMENT_PAGE, ["GET"]),
}


@pytest.fixture
def objects(db, make_user):
    world = gers_world()
    world["opinion"] = instruction.request_opinion(
        acting_user=world["prefecture"],
        application=world["application"],
        service="safety",
        question="Avis ?",
        due_on=due(),
        expert=world["referent"],
    )
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due()}
    )
    [world["item"]] = committee.add_to_agenda(
        acting_user=world["prefecture"], session=session, applications=[world["application"]]
    )
    world["session"] = session
    world["fund"] = Fund.objects.get(code="FIPD")
    return world


def _user(objects, make_user, role, department):
    if role == "referent":
        return (
            objects["referent"]
            if department == objects["gers"]
            else make_user("partner", department)
        )
    if role == "applicant":
        kwargs = {"organisation": objects["association"]} if department == objects["gers"] else {}
        if not kwargs:
            from tests.factories import OrganisationFactory

            kwargs = {"organisation": OrganisationFactory(department=department)}
        return make_user("applicant", department, **kwargs)
    return make_user(role, department)


def _expected(role, same_department, allowed, statuses):
    if role in allowed and (same_department or role == "admin"):
        return OK
    if not same_department:
        return 404
    return statuses["applicant"] if role == "applicant" else statuses["denied"]


def _status(client, method, url):
    if method == "GET":
        return client.get(url).status_code
    return client.post(url, {"amount": "100", "text": "Note", "target": "in_review"}).status_code


def test_every_url_name_is_in_the_matrix():
    assert set(MATRIX) == URL_NAMES_COVERED - {"instruction:my_opinions"}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, objects, make_user, client):
    args, allowed, statuses, methods = MATRIX[name]
    url = reverse(name, args=args(objects))
    failures = []
    for method in methods:
        anonymous = _status(client, method, url)
        if anonymous != 302:
            failures.append(("anonymous", method, anonymous))
        for department in (objects["gers"], objects["lot"]):
            for role in ROLES:
                user = _user(objects, make_user, role, department)
                client.force_login(user)
                status = _status(client, method, url)
                expected = _expected(role, department == objects["gers"], allowed, statuses)
                ok = (
                    status not in (403, 404) and status < 500
                    if expected == OK
                    else status == expected
                )
                if not ok:
                    failures.append((role, department.code, method, status, expected))
                client.logout()
    assert not failures, failures


def test_my_opinions_lists_only_ones_own(objects, client, make_user):
    client.force_login(objects["referent"])
    response = client.get(reverse("instruction:my_opinions"))
    assert objects["application"].title in response.content.decode()
    client.force_login(make_user("partner", objects["gers"]))
    response = client.get(reverse("instruction:my_opinions"))
    assert response.status_code == 200
    assert objects["application"].title not in response.content.decode()
    client.logout()
    assert client.get(reverse("instruction:my_opinions")).status_code == 302


def test_opinion_answer_only_by_the_expert(objects, client):
    url = reverse("instruction:opinion", args=[objects["opinion"].pk])
    client.force_login(objects["prefecture"])
    assert client.post(url, {"verdict": "favourable", "opinion": "x"}).status_code == 403
    client.force_login(objects["referent"])
    assert client.post(url, {"verdict": "favourable", "opinion": "Pertinent."}).status_code == 302
    assert client.post(url, {"verdict": "favourable", "opinion": "Encore"}).status_code == 403
    page = client.get(url).content.decode()
    assert "Pertinent." in page
