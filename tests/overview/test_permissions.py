"""Permission matrix of the overview: who sees the overview and which departments.

The national administrator sees every department; a regional prefecture (Occitanie) the departments of its region
(Gers, Lot) and nothing of another region's (Landes: 404); every other role gets 403 on the overview and 404 on a
department's overview page (it oversees no department); anonymous visitors are sent to the login page.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.conftest import ALL_ROLES
from tests.factories import PlanFactory
from vigie.plans.enums import PlanStatus

URL_NAMES_COVERED = {"overview:index", "overview:department"}


def _status(role, url_name, code):
    if role == "anonymous":
        return 302
    if role == "admin":
        return 200
    if role == "regional":
        if url_name == "overview:index":
            return 200
        return 200 if code in ("32", "46") else 404
    return 403 if url_name == "overview:index" else 404


CASES = [
    (role, name, code)
    for role in [*ALL_ROLES, "regional"]
    for name, code in (
        ("overview:index", None),
        ("overview:department", "32"),
        ("overview:department", "46"),
        ("overview:department", "40"),
    )
]


def _user(make_user, role, territories):
    if role == "regional":
        return make_user(role, None, region=territories["occitanie"])
    return make_user(role, None if role == "admin" else territories["gers"])


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "code"), CASES)
def test_permission_matrix(client, make_user, territories, role, name, code):
    user = _user(make_user, role, territories)
    if role != "anonymous":
        client.force_login(user)
    url = reverse(name, args=[code] if code else [])
    response = client.get(url)
    assert response.status_code == _status(role, name, code), (role, name, code)
    if role == "anonymous":
        assert "/comptes/connexion/" in response.url


@pytest.mark.django_db
def test_regional_index_lists_its_region_only(client, regional, territories):
    client.force_login(regional)
    response = client.get(reverse("overview:index"))
    codes = [row.department.code for row in response.context["rows"]]
    assert codes == ["32", "46"]
    assert response.context["form"] is None
    # The region filter is the administrator's: a regional prefecture cannot widen its view with it.
    response = client.get(reverse("overview:index"), {"region": "75"})
    assert [row.department.code for row in response.context["rows"]] == ["32", "46"]


@pytest.mark.django_db
def test_admin_filters_by_region(client, make_user, territories):
    client.force_login(make_user("admin"))
    response = client.get(reverse("overview:index"), {"region": "75"})
    assert [row.department.code for row in response.context["rows"]] == ["40"]
    response = client.get(reverse("overview:index"))
    assert [row.department.code for row in response.context["rows"]] == ["32", "40", "46"]
    response = client.get(reverse("overview:index"), {"region": "99"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["form"].errors["region"] == ["Cette région n'existe pas."]


@pytest.mark.django_db
def test_regional_gets_no_department_access_elsewhere(client, regional, territories):
    """The regional prefecture is a member of no department: non-public pages of its region stay closed."""
    draft = PlanFactory(department=territories["gers"], status=PlanStatus.DRAFT)
    adopted = PlanFactory(department=territories["lot"])
    client.force_login(regional)
    assert client.get(reverse("plans:plan", args=[draft.pk])).status_code == 404
    assert client.get(reverse("plans:plan", args=[adopted.pk])).status_code == 200
    assert client.get(reverse("plans:plan_history", args=[adopted.pk])).status_code == 404
    assert client.get(reverse("governance:dashboard", args=["32"])).status_code == 404
    # Its overview page of the department names the draft plan without linking to it.
    page = client.get(reverse("overview:department", args=["32"])).content.decode()
    assert reverse("plans:plan", args=[draft.pk]) not in page
    assert "Ce plan n'est pas public" in page
    page = client.get(reverse("overview:department", args=["46"])).content.decode()
    assert reverse("plans:plan", args=[adopted.pk]) in page


def test_every_overview_url_is_in_the_matrix():
    names = {
        f"overview:{name}"
        for name in get_resolver().namespace_dict["overview"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == URL_NAMES_COVERED
