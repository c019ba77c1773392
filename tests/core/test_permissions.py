"""Permission matrix of the public core pages and of the account pages."""

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory

URL_NAMES_COVERED = {
    "plans:home",
    "core:about",
    "core:accessibility",
    "core:health",
    "accounts:login",
    "accounts:logout",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", ["plans:home", "core:about", "core:accessibility"])
def test_public_pages_are_open_to_every_role(client, make_user, role, name):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_login_page(client, make_user, role):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
        # Already logged in: sent on to the home page.
        assert client.get(reverse("accounts:login")).status_code == 302
    else:
        assert client.get(reverse("accounts:login")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_logout_is_post_only(client, make_user, role):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_health_check_is_public(client, make_user, role):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok"}
