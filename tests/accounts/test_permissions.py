"""Permission matrix of the locked-accounts page and of the unlock action (roles × same / other department)."""

import pytest
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, UserFactory

URL_NAMES_COVERED = {"accounts:locked", "accounts:unlock"}

# Expected status of the page: anonymous people are sent to the sign-in page.
LIST_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "prefecture": 200,
    "pilot": 403,
    "coordinator": 403,
    "partner": 403,
    "reader": 403,
}
# Expected status of the unlock of a Gers account, for a user of the Gers (same) or of the Lot (other).
UNLOCK_STATUS = {
    ("anonymous", True): 302,
    ("anonymous", False): 302,
    ("admin", True): 302,
    ("admin", False): 302,
    ("prefecture", True): 302,
    ("prefecture", False): 404,
    ("pilot", True): 403,
    ("pilot", False): 403,
    ("coordinator", True): 403,
    ("coordinator", False): 403,
    ("partner", True): 403,
    ("partner", False): 403,
    ("reader", True): 403,
    ("reader", False): 403,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_locked_accounts_page(client, make_user, role):
    user = make_user(role, DepartmentFactory(code="32", name="Gers"))
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse("accounts:locked")).status_code == LIST_STATUS[role]


@pytest.mark.django_db
@pytest.mark.parametrize("same_department", [True, False])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_unlock(client, make_user, role, same_department):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    account = UserFactory(username="claire", role="pilot", department=gers)
    user = make_user(role, gers if same_department else lot)
    if user.is_authenticated:
        client.force_login(user)
    url = reverse("accounts:unlock", args=[account.pk])
    response = client.post(url)
    assert response.status_code == UNLOCK_STATUS[(role, same_department)]
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    if user.is_authenticated:
        assert client.get(url).status_code == 405  # a change is a POST
