"""The funding API: calls and applications read with the pages' visibility, an application created (project and
budget) and submitted by its applicant through the services, every refusal a French 400 writing nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import default_measure, make_application, make_call, programme_of
from vigie.audit.models import AuditEntry
from vigie.funding import reference, services
from vigie.funding.enums import ApplicationState
from vigie.funding.models import GrantApplication, GrantBudgetLine, GrantStateChange

ROLES = [*ALL_ROLES, "applicant"]


@pytest.fixture
def objects(db, make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    owner = OrganisationFactory(
        department=gers, name="Association Trait d'Union", kind="association"
    )
    call = make_call(gers, required_attachments=[])
    return {
        "gers": gers,
        "lot": lot,
        "owner": owner,
        "lot_owner": OrganisationFactory(department=lot, kind="association"),
        "call": call,
        "measure": default_measure(gers),
        "draft": make_application(call, organisation=owner),
    }


def _user(make_user, role, objects, same):
    department = objects["gers"] if same else objects["lot"]
    if role == "applicant":
        organisation = objects["owner"] if same else objects["lot_owner"]
        return make_user(role, department, organisation=organisation)
    return make_user(role, department)


def _payload(objects, *, cost="20000", requested="8000", own="12000", **overrides):
    payload = {
        "call_programme": programme_of(objects["call"]).pk,
        "title": "Médiation de nuit à Auch",
        "summary": "Deux médiateurs en soirée, d'avril à octobre.",
        "applicant_kind": "association",
        "measures": [objects["measure"].pk],
        "budget": [
            {"account": "60", "amount": cost},
            {
                "account": "74",
                "funder_category": "state",
                "fund": objects["call"].fund_id,
                "amount": requested,
            },
            {"account": "75", "amount": own},
        ],
    }
    return {**payload, **overrides}


def _pdf(name="rib.pdf", content=b"%PDF-1.4 rib"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _visible(role, same, *, applicant=True):
    """Applications: the admin, the department's prefecture and (if `applicant`) its owner's applicant."""
    return role == "admin" or (
        same and (role == "prefecture" or (applicant and role == "applicant"))
    )


def _call_visible(role, same):
    return role == "admin" or (same and role != "anonymous")


def _expected(case, role, same):
    if case in ("call-list", "application-list"):
        return 200
    if case == "call-detail":
        return 200 if _call_visible(role, same) else 404
    if case == "application-detail":
        return 200 if _visible(role, same) else 404
    if case == "application-create":
        if role == "applicant":
            return 201 if same else 400  # the Lot applicant does not see the Gers call
        return 403
    # submit, attachments: only the owner's applicant; the prefecture and the admin see it but may not (403)
    if role == "anonymous":
        return 403
    if role == "applicant" and same:
        return 201 if case == "application-attachments" else 200
    return 403 if _visible(role, same) else 404


CASES = {
    "call-list": ("get", lambda o: reverse("api:funding-call-list")),
    "call-detail": ("get", lambda o: reverse("api:funding-call-detail", args=[o["call"].pk])),
    "application-list": ("get", lambda o: reverse("api:funding-application-list")),
    "application-detail": (
        "get",
        lambda o: reverse("api:funding-application-detail", args=[o["draft"].pk]),
    ),
    "application-create": ("post", lambda o: reverse("api:funding-application-list")),
    "application-submit": (
        "post",
        lambda o: reverse("api:funding-application-submit", args=[o["draft"].pk]),
    ),
    "application-attachments": (
        "post",
        lambda o: reverse("api:funding-application-attachments", args=[o["draft"].pk]),
    ),
}


@pytest.mark.parametrize("same", [True, False], ids=["meme-departement", "autre-departement"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_matrix(objects, client, make_user, case, role, same):
    method, build = CASES[case]
    user = _user(make_user, role, objects, same)
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    url = build(objects)
    if case == "application-attachments":
        response = client.post(url, {"kind": "bank_details", "file": _pdf()}, **headers)
    elif method == "post":
        body = _payload(objects) if case == "application-create" else {}
        response = client.post(url, body, content_type="application/json", **headers)
    else:
        response = client.get(url, **headers)
    expected = _expected(case, role, same)
    assert response.status_code == expected, f"{case} {role} {same}: {response.content[:300]}"
    if case == "call-list":
        ids = [row["id"] for row in response.json()["results"]]
        assert (objects["call"].pk in ids) == _call_visible(role, same)
    if case == "application-list":
        ids = [row["id"] for row in response.json()["results"]]
        assert (objects["draft"].pk in ids) == _visible(role, same)


def test_another_organisation_s_applicant_sees_nothing(objects, client, make_user):
    other = make_user(
        "applicant", objects["gers"], organisation=OrganisationFactory(department=objects["gers"])
    )
    client.force_login(other)
    detail = reverse("api:funding-application-detail", args=[objects["draft"].pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("api:funding-application-list")).json()["results"] == []


def _counts():
    return (
        GrantApplication.objects.count(),
        GrantBudgetLine.objects.count(),
        GrantStateChange.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def applicant_client(objects, make_user, client):
    applicant = _user(make_user, "applicant", objects, True)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=applicant).key}"
    client.applicant = applicant
    return client


def test_an_applicant_creates_then_submits_an_application(objects, applicant_client):
    response = applicant_client.post(
        reverse("api:funding-application-list"), _payload(objects), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["organisation_name"] == "Association Trait d'Union"
    assert (body["requested_amount"], body["total_cost"]) == ("8000.00", "20000.00")
    application = GrantApplication.objects.get(pk=body["id"])
    assert application.created_by == applicant_client.applicant
    assert list(application.measures.all()) == [objects["measure"]]
    assert sorted(line.amount for line in application.budget_lines.all()) == [
        Decimal("8000"),
        Decimal("12000"),
        Decimal("20000"),
    ]
    assert AuditEntry.objects.filter(object_id=str(application.pk)).count() >= 2

    submit = reverse("api:funding-application-submit", args=[application.pk])
    response = applicant_client.post(submit, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.submitted_at
    # Once submitted, it cannot be submitted again: a French 400.
    again = applicant_client.post(submit, content_type="application/json")
    assert again.status_code == 400
    assert "ne peut pas passer" in again.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"own": "10000"}, "budget", "équilibr"),
        ({"cost": "-20000", "own": "-28000"}, "budget", "négatif"),
    ],
    ids=["budget-desequilibre", "montant-negatif"],
)
def test_a_bad_budget_is_a_french_400_and_writes_nothing(
    objects, applicant_client, overrides, field, message
):
    before = _counts()
    response = applicant_client.post(
        reverse("api:funding-application-list"),
        _payload(objects, **overrides),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert _counts() == before


def test_a_closed_call_is_a_french_400_and_writes_nothing(objects, applicant_client):
    closed = make_call(objects["gers"], is_open=False, year=2025, required_attachments=[])
    before = _counts()
    payload = _payload(objects, call_programme=programme_of(closed).pk)
    response = applicant_client.post(
        reverse("api:funding-application-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "est clos depuis" in " ".join(response.json()["non_field_errors"])
    assert _counts() == before


def test_a_submission_breaking_the_call_s_rules_is_refused_with_the_figures(
    objects, applicant_client
):
    application = make_application(
        objects["call"], organisation=objects["owner"], cost="20000", requested="12000"
    )
    before = _counts()
    response = applicant_client.post(
        reverse("api:funding-application-submit", args=[application.pk]),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "60" in " ".join(response.json()["non_field_errors"])
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT and _counts() == before


def test_required_attachments_are_checked_on_submission(objects, applicant_client):
    call = make_call(objects["gers"], "MILDECA")
    application = make_application(call, organisation=objects["owner"], programme="")
    submit = reverse("api:funding-application-submit", args=[application.pk])
    assert call.required_attachments
    assert applicant_client.post(submit, content_type="application/json").status_code == 400
    for kind in call.required_attachments:
        services.add_attachment(
            acting_user=applicant_client.applicant,
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 piece"),
        )
    assert applicant_client.post(submit, content_type="application/json").status_code == 200


def test_an_applicant_joins_the_required_attachments_then_submits(objects, applicant_client):
    call, application = objects["call"], objects["draft"]
    call.required_attachments = reference.default_call_rules("FIPD")["required_attachments"]
    call.save()  # the FIPD asks for the bank details and the activity report
    attach = reverse("api:funding-application-attachments", args=[application.pk])
    submit = reverse("api:funding-application-submit", args=[application.pk])
    refused = applicant_client.post(submit, content_type="application/json")
    assert "Pièces obligatoires" in " ".join(refused.json()["non_field_errors"])
    for kind in call.required_attachments:
        response = applicant_client.post(attach, {"kind": kind, "file": _pdf(f"{kind}.pdf")})
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == kind
        assert response.json()["original_name"] == f"{kind}.pdf"
    assert application.attachments.count() == 2
    assert applicant_client.post(submit, content_type="application/json").status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "bank_details", "file": ("rib.pdf", b"\x89PNG\r\n\x1a\n....")},
            "file",
            "ne correspond pas à son extension",
        ),
        ({"kind": "bank_details", "file": ("rib.exe", b"MZ....")}, "file", "Format non accepté"),
        ({"kind": "bank_details", "file": ("rib.pdf", b"")}, "file", "vide"),
        ({"kind": "photo", "file": ("rib.pdf", b"%PDF-1.4 rib")}, "kind", "choix valide"),
        ({"kind": "bank_details"}, "file", "Aucun fichier"),
    ],
    ids=["contenu-png", "executable", "vide", "nature-inconnue", "sans-fichier"],
)
def test_a_wrong_attachment_is_a_french_400_and_writes_nothing(
    objects, applicant_client, data, field, message
):
    if "file" in data:
        data = {**data, "file": _pdf(*data["file"])}
    before = (*_counts(), objects["draft"].attachments.count())
    response = applicant_client.post(
        reverse("api:funding-application-attachments", args=[objects["draft"].pk]), data
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert (*_counts(), objects["draft"].attachments.count()) == before


def test_no_attachment_once_submitted(objects, applicant_client):
    submitted = make_application(
        objects["call"], organisation=objects["owner"], state=ApplicationState.SUBMITTED
    )
    response = applicant_client.post(
        reverse("api:funding-application-attachments", args=[submitted.pk]),
        {"kind": "bank_details", "file": _pdf()},
    )
    assert response.status_code == 403
    assert "tant qu'elle est modifiable" in response.json()["detail"]
    assert not submitted.attachments.exists()


def test_a_bad_budget_line_is_located_in_french(objects, applicant_client):
    payload = _payload(objects)
    payload["budget"][1]["amount"] = "beaucoup"
    before = _counts()
    response = applicant_client.post(
        reverse("api:funding-application-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"budget": ["Ligne 2, montant : Un nombre valide est requis."]}
    assert _counts() == before


def test_an_applicant_gets_a_personal_token_to_use_the_api(objects, client, make_user):
    applicant = _user(make_user, "applicant", objects, True)
    client.force_login(applicant)
    assert client.get(reverse("api:token")).status_code == 200
    client.post(reverse("api:token"), {"intent": "create"})
    key = Token.objects.get(user=applicant).key
    response = client.get(
        reverse("api:funding-application-list"), HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert [row["id"] for row in response.json()["results"]] == [objects["draft"].pk]
    # The token does not open the entry of indicator values.
    refused = client.post(
        reverse("api:value-list"),
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert refused.status_code == 403
