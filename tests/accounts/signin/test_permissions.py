"""Permission matrix of the ProConnect addresses: open to anyone (they sign in or out), 404 when ProConnect is off."""

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory

URL_NAMES_COVERED = {
    "accounts:proconnect_login",
    "accounts:proconnect_callback",
    "accounts:proconnect_logged_out",
}

# With ProConnect on: the start sends to ProConnect, a callback without a started sign-in is refused (French
# page), the return from ProConnect's end of session sends to the home page.
ON_STATUS = {
    "accounts:proconnect_login": 302,
    "accounts:proconnect_callback": 400,
    "accounts:proconnect_logged_out": 302,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URL_NAMES_COVERED))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_proconnect_addresses_when_on(client, make_user, proconnect, role, name):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse(name), {"state": "s" * 48, "code": "c"})
    assert response.status_code == ON_STATUS[name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URL_NAMES_COVERED))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_proconnect_addresses_are_404_when_off(client, make_user, settings, role, name):
    settings.VIGIE_PROCONNECT = None
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse(name), {"state": "s" * 48, "code": "c"}).status_code == 404
