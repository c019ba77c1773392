"""Permission matrix of the import pages of a call (roles × same / other department → HTTP status).

Only the department's prefecture agents (and national administrators) import; the department's other members get
403; applicants and everyone outside the department get 404. Without an uploaded file, the mapping and preview
steps send the agent back to the upload page (302).
"""

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_call

URL_NAMES_COVERED = {
    "funding:call_import",
    "funding:call_import_mapping",
    "funding:call_import_preview",
}
ROLES = [*ALL_ROLES, "applicant"]


def _expected(name, role, same, method):
    if role == "admin" or (role == "prefecture" and same):
        if name == "funding:call_import":
            return 200  # the form (an empty POST: the form with its errors)
        return 302  # no uploaded file yet: back to the upload step
    if role == "applicant" or not same:
        return 404
    return 403


@pytest.fixture
def objects(db):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    return {
        "gers": gers,
        "lot": lot,
        "call": make_call(gers),
        "owner": OrganisationFactory(department=gers),
        "lot_owner": OrganisationFactory(department=lot),
    }


CASES = [
    (name, role, same, method)
    for name in sorted(URL_NAMES_COVERED)
    for role in ROLES
    for same in ((True,) if role in ("anonymous", "admin") else (True, False))
    for method in ("GET", "POST")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "same", "method"), CASES)
def test_permission_matrix(client, make_user, objects, name, role, same, method):
    department = objects["gers"] if same else objects["lot"]
    if role == "applicant":
        user = make_user(
            role, department, organisation=objects["owner"] if same else objects["lot_owner"]
        )
    else:
        user = make_user(role, department)
    if role != "anonymous":
        client.force_login(user)
    url = reverse(name, args=[objects["call"].pk])
    response = client.post(url, {}) if method == "POST" else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/comptes/connexion/" in response.url
        return
    expected = _expected(name, role, same, method)
    assert response.status_code == expected, (name, role, same, method, response.status_code)
