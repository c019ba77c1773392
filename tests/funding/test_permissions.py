"""Permission matrix of the funding pages: roles × (same department / other department) → HTTP status.

Objects belong to the Gers. The "same department" applicant acts for the organisation that owns the applications;
"other department" users work in (or apply in) the Lot. Applications are visible to the department's prefecture
agents and to their own organisation's applicants only: everyone else gets 404, even in the Gers.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from tests.funding.matrix import check_route, matrix_cases, matrix_user
from vigie.funding import services
from vigie.funding.enums import ApplicationState

URL_NAMES_COVERED = {
    "funding:calls",
    "funding:call_create",
    "funding:call",
    "funding:call_edit",
    "funding:call_programme_edit",
    "funding:call_applications",
    "funding:application_create",
    "funding:my_applications",
    "funding:application",
    "funding:application_edit",
    "funding:application_budget",
    "funding:application_attachments",
    "funding:attachment_file",
    "funding:attachment_delete",
    "funding:application_transition",
    "funding:payment_create",
}

ROLES = [*ALL_ROLES, "applicant"]
STAFF = {"prefecture", "pilot", "coordinator", "partner", "reader"}
OK = 200
WRITE_OK = (200, 302)


def _staff_page(role, same, *, applicant_same=404, applicant_other=404):
    """A page of the prefecture: 200 for its agents, 403 for the department's other members."""
    if role == "admin" or (role == "prefecture" and same):
        return OK
    if role == "applicant":
        return applicant_same if same else applicant_other
    return 403 if same else 404


def _application_page(role, same, *, applicant=OK, prefecture=OK):
    """An application: its organisation's applicant and the department's prefecture see it; nobody else."""
    if role == "admin":
        return prefecture
    if role == "prefecture" and same:
        return prefecture
    if role == "applicant" and same:
        return applicant
    return 404


# name → (url args builder, expected status for (role, same, method))
MATRIX = {
    "funding:calls": (lambda o: [], lambda r, s, m: OK),
    "funding:call_create": (lambda o: ["32"], lambda r, s, m: _staff_page(r, s)),
    "funding:call": (lambda o: [o["call"].pk], lambda r, s, m: OK if r == "admin" or s else 404),
    "funding:call_edit": (lambda o: [o["call"].pk], lambda r, s, m: _staff_page(r, s)),
    "funding:call_programme_edit": (
        lambda o: [o["call"].pk, o["call"].programmes.first().pk],
        lambda r, s, m: _staff_page(r, s),
    ),
    "funding:call_applications": (
        lambda o: [o["call"].pk],
        lambda r, s, m: _staff_page(r, s, applicant_same=403),
    ),
    "funding:application_create": (
        lambda o: [o["call"].pk],
        lambda r, s, m: (
            (OK if m == "GET" else WRITE_OK)
            if r == "applicant" and s
            else (403 if r == "admin" or s else 404)
        ),
    ),
    "funding:my_applications": (lambda o: [], lambda r, s, m: OK if r == "applicant" else 403),
    "funding:application": (lambda o: [o["draft"].pk], lambda r, s, m: _application_page(r, s)),
    "funding:application_edit": (
        lambda o: [o["draft"].pk],
        lambda r, s, m: _application_page(r, s, prefecture=403),
    ),
    "funding:application_budget": (
        lambda o: [o["draft"].pk],
        lambda r, s, m: _application_page(r, s, prefecture=403),
    ),
    "funding:application_attachments": (
        lambda o: [o["draft"].pk],
        lambda r, s, m: _application_page(r, s, prefecture=403),
    ),
    "funding:attachment_file": (
        lambda o: [o["draft"].pk, o["attachment"].pk],
        lambda r, s, m: _application_page(r, s),
    ),
    "funding:attachment_delete": (
        lambda o: [o["draft"].pk, o["attachment"].pk],
        lambda r, s, m: _application_page(r, s, applicant=302, prefecture=403),
    ),
    "funding:application_transition": (
        lambda o: [o["submitted"].pk, "in_review"],
        lambda r, s, m: _application_page(
            r, s, applicant=403, prefecture=OK if m == "GET" else WRITE_OK
        ),
    ),
    "funding:payment_create": (
        lambda o: [o["notified"].pk],
        lambda r, s, m: _application_page(
            r, s, applicant=403, prefecture=OK if m == "GET" else WRITE_OK
        ),
    ),
}
POST_ONLY = {"funding:attachment_delete"}
GET_ONLY = {
    "funding:calls",
    "funding:call",
    "funding:call_applications",
    "funding:my_applications",
    "funding:application",
    "funding:attachment_file",
}


@pytest.fixture
def objects(db, make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    owner = OrganisationFactory(
        department=gers, name="Association Trait d'Union", kind="association"
    )
    call = make_call(gers)
    draft = make_application(call, organisation=owner)
    applicant = make_user("applicant", gers, organisation=owner)
    attachment = services.add_attachment(
        acting_user=applicant,
        application=draft,
        kind="bank_details",
        upload=SimpleUploadedFile("rib.pdf", b"%PDF-1.4 test"),
    )
    return {
        "gers": gers,
        "lot": lot,
        "owner": owner,
        "lot_owner": OrganisationFactory(department=lot),
        "call": call,
        "draft": draft,
        "attachment": attachment,
        "submitted": make_application(call, organisation=owner, state=ApplicationState.SUBMITTED),
        "notified": make_application(
            call, organisation=owner, state=ApplicationState.NOTIFIED, granted_amount=8000
        ),
    }


CASES = matrix_cases(MATRIX, ROLES, get_only=GET_ONLY, post_only=POST_ONLY)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "same", "method"), CASES)
def test_permission_matrix(client, make_user, objects, name, role, same, method):
    check_route(client, make_user, objects, MATRIX, name, role, same, method)


@pytest.mark.django_db
def test_an_applicant_of_another_organisation_sees_nothing(client, make_user, objects):
    other = make_user(
        "applicant", objects["gers"], organisation=OrganisationFactory(department=objects["gers"])
    )
    client.force_login(other)
    draft = objects["draft"]
    assert client.get(reverse("funding:application", args=[draft.pk])).status_code == 404
    assert client.get(reverse("funding:application_budget", args=[draft.pk])).status_code == 404
    assert (
        client.get(
            reverse("funding:attachment_file", args=[draft.pk, objects["attachment"].pk])
        ).status_code
        == 404
    )
    response = client.get(reverse("funding:my_applications"))
    assert draft.title not in response.content.decode()


@pytest.mark.django_db
def test_an_applicant_does_not_see_the_department_s_private_plans(make_user, objects):
    from tests.factories import PlanFactory
    from vigie.plans import perms as plan_perms
    from vigie.plans.enums import PlanStatus

    draft_plan = PlanFactory(
        department=objects["gers"], status=PlanStatus.DRAFT, period_start=2025, period_end=2028
    )
    applicant = make_user("applicant", objects["gers"], organisation=objects["owner"])
    assert not applicant.belongs_to(objects["gers"].pk)
    assert not plan_perms.can_view_plan(applicant, draft_plan)
    assert draft_plan not in plan_perms.visible_plans(applicant)
    assert not plan_perms.member_plans(applicant).exists()


@pytest.mark.django_db
def test_writes_are_not_reachable_by_get_when_post_only(client, make_user, objects):
    client.force_login(matrix_user(make_user, "applicant", objects, True))
    url = reverse("funding:attachment_delete", args=[objects["draft"].pk, objects["attachment"].pk])
    assert client.get(url).status_code == 405


def test_every_funding_url_is_in_the_matrix():
    resolver = get_resolver()
    names = {
        f"funding:{name}"
        for name in resolver.namespace_dict["funding"][1].reverse_dict
        if isinstance(name, str)
    }
    # The letters, final reports and exports have their own matrix (test_permissions_documents.py), and so
    # have the import pages (test_permissions_import.py).
    from tests.funding.test_permissions_documents import URL_NAMES_COVERED as DOCUMENTS
    from tests.funding.test_permissions_import import URL_NAMES_COVERED as IMPORT

    assert set(MATRIX) == URL_NAMES_COVERED
    assert names == URL_NAMES_COVERED | DOCUMENTS | IMPORT
