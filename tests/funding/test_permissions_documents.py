"""Permission matrix of the letters and final reports: roles × (same department / other department) → HTTP status.

Objects belong to the Gers. Letter templates and the overdue list are the prefecture's pages (403 for the
department's other members, 404 for applicants and other departments). A letter's generated files are the
prefecture's; the applicant sees only the application it owns (its final report), everyone else gets 404.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from tests.funding.matrix import check_route, matrix_cases
from vigie.funding.enums import ApplicationState, LetterKind
from vigie.funding.models import GrantLetter

URL_NAMES_COVERED = {
    "funding:letter_templates",
    "funding:letter_template_edit",
    "funding:letter_generate",
    "funding:letter_file",
    "funding:letter_signed",
    "funding:final_report",
    "funding:overdue_reports",
    "funding:export",
    "funding:plan_grants",
}

ROLES = [*ALL_ROLES, "applicant"]
OK = 200


def _staff_page(role, same):
    if role == "admin" or (role == "prefecture" and same):
        return OK
    if role == "applicant":
        return 404
    return 403 if same else 404


def _application_page(role, same, *, applicant=OK, prefecture=OK):
    if role == "admin" or (role == "prefecture" and same):
        return prefecture
    if role == "applicant" and same:
        return applicant
    return 404


MATRIX = {
    "funding:letter_templates": (lambda o: ["32"], lambda r, s, m: _staff_page(r, s)),
    "funding:letter_template_edit": (
        lambda o: ["32", LetterKind.DECISION],
        lambda r, s, m: _staff_page(r, s),
    ),
    "funding:letter_generate": (
        lambda o: [o["notified"].pk, LetterKind.DECISION],
        lambda r, s, m: _application_page(r, s, applicant=403, prefecture=302),
    ),
    "funding:letter_file": (
        lambda o: [o["notified"].pk, o["letter"].pk, "pdf"],
        lambda r, s, m: _application_page(r, s, applicant=403),
    ),
    "funding:letter_signed": (
        lambda o: [o["notified"].pk, o["letter"].pk],
        lambda r, s, m: _application_page(r, s, applicant=403),
    ),
    "funding:final_report": (
        lambda o: [o["report_due"].pk],
        lambda r, s, m: _application_page(r, s),
    ),
    "funding:overdue_reports": (lambda o: ["32"], lambda r, s, m: _staff_page(r, s)),
    "funding:plan_grants": (
        lambda o: [o["notified"].measures.get().axis.plan_id],
        lambda r, s, m: OK if r == "admin" or (s and r != "applicant") else (403),
    ),
    "funding:export": (
        lambda o: ["32", 2026, "demandes", "xlsx"],
        lambda r, s, m: _staff_page(r, s),
    ),
}
POST_ONLY = {"funding:letter_generate"}
GET_ONLY = {
    "funding:letter_templates",
    "funding:letter_file",
    "funding:overdue_reports",
    "funding:export",
    "funding:plan_grants",
}


@pytest.fixture
def objects(db):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    owner = OrganisationFactory(department=gers, kind="association")
    call = make_call(gers)
    notified = make_application(
        call, organisation=owner, state=ApplicationState.NOTIFIED, granted_amount=8000
    )
    letter = GrantLetter(
        application=notified,
        kind=LetterKind.DECISION,
        text="Arrêté",
        generated_at=timezone.now(),
    )
    letter.odt_file.save("arrete.odt", ContentFile(b"PK\x03\x04 odt"), save=False)
    letter.pdf_file.save("arrete.pdf", ContentFile(b"%PDF-1.4 arrete"), save=False)
    letter.save()
    report_due = make_application(
        make_call(gers, year=2024, is_open=False),
        organisation=owner,
        state=ApplicationState.REPORT_DUE,
        granted_amount=8000,
        ends_on=date(2024, 12, 31),
    )
    return {
        "gers": gers,
        "lot": lot,
        "owner": owner,
        "lot_owner": OrganisationFactory(department=lot),
        "notified": notified,
        "letter": letter,
        "report_due": report_due,
    }


CASES = matrix_cases(MATRIX, ROLES, get_only=GET_ONLY, post_only=POST_ONLY)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "same", "method"), CASES)
def test_permission_matrix(client, make_user, objects, name, role, same, method):
    check_route(client, make_user, objects, MATRIX, name, role, same, method)
