"""Permission matrix of the account management pages (roles × same / other department) and password pages."""

import pytest
from django.urls import reverse

from tests.accounts.management.helpers import last_link_path, text
from tests.conftest import ALL_ROLES
from tests.factories import UserFactory
from vigie.accounts import services
from vigie.accounts.enums import Role
from vigie.accounts.roles import RoleAssignment

URL_NAMES_COVERED = {
    "accounts:account_list",
    "accounts:account_invite",
    "accounts:account_claim",
    "accounts:account_detail",
    "accounts:account_role",
    "accounts:account_resend_invitation",
    "accounts:account_deactivate",
    "accounts:account_reactivate",
    "accounts:invitation",
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
}

# Pages of the manager's own department (list, invitation form, account without role): anonymous → sign-in page.
MANAGER_PAGE_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "prefecture": 200,
    "pilot": 403,
    "coordinator": 403,
    "partner": 403,
    "reader": 403,
}


def _account_status(role, same_department, ok):
    """A Gers account, for a user of the Gers (same) or of the Lot (other)."""
    if role == "anonymous":
        return 302
    if role == "admin" or (role == "prefecture" and same_department):
        return ok
    return 404 if role == "prefecture" else 403


def _sign_in(client, make_user, role, department):
    user = make_user(role, department)
    if user.is_authenticated:
        client.force_login(user)
    return user


@pytest.mark.parametrize(
    "name", ["accounts:account_list", "accounts:account_invite", "accounts:account_claim"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_manager_pages(client, make_user, gers, role, name):
    _sign_in(client, make_user, role, gers)
    response = client.get(reverse(name))
    assert response.status_code == MANAGER_PAGE_STATUS[role]
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["accounts:account_detail", "accounts:account_role"])
@pytest.mark.parametrize("same_department", [True, False])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_account_pages(client, make_user, gers, lot, pilot, role, same_department, name):
    _sign_in(client, make_user, role, gers if same_department else lot)
    response = client.get(reverse(name, args=[pilot.pk]))
    assert response.status_code == _account_status(role, same_department, 200)


@pytest.mark.parametrize(
    "name",
    [
        "accounts:account_resend_invitation",
        "accounts:account_deactivate",
        "accounts:account_reactivate",
    ],
)
@pytest.mark.parametrize("same_department", [True, False])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_account_actions(client, make_user, gers, lot, agent, role, same_department, name):
    invited = services.invite_account(
        acting_user=agent,
        email="camille@example.org",
        first_name="Camille",
        last_name="Roux",
        assignment=RoleAssignment.build(Role.READER, gers),
    )
    user = _sign_in(client, make_user, role, gers if same_department else lot)
    url = reverse(name, args=[invited.pk])
    response = client.post(url)
    assert response.status_code == _account_status(role, same_department, 302)
    if user.is_authenticated:
        assert client.get(url).status_code == 405  # a change is a POST


@pytest.mark.parametrize("name", ["accounts:account_detail", "accounts:account_role"])
def test_a_prefecture_agent_does_not_see_national_accounts(client, agent, national, name):
    without_role = UserFactory(username="sans-role", role=Role.NONE, department=None)
    client.force_login(agent)
    assert client.get(reverse(name, args=[national.pk])).status_code == 404
    assert client.get(reverse(name, args=[without_role.pk])).status_code == 404


def test_own_account_is_seen_but_not_changed(client, agent, national):
    for user in (agent, national):
        client.force_login(user)
        assert client.get(reverse("accounts:account_detail", args=[user.pk])).status_code == 200
        assert client.get(reverse("accounts:account_role", args=[user.pk])).status_code == 403
        assert (
            client.post(reverse("accounts:account_deactivate", args=[user.pk])).status_code == 403
        )
        user.refresh_from_db()
        assert user.is_active


@pytest.mark.parametrize("role", ALL_ROLES)
def test_password_pages(client, make_user, gers, role):
    _sign_in(client, make_user, role, gers)
    change = client.get(reverse("accounts:password_change"))
    assert change.status_code == (302 if role == "anonymous" else 200)
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    confirm = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "faux-jeton"})
    )
    assert confirm.status_code == 200
    assert "Lien inutilisable" in text(confirm)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_invitation_page_is_open_to_whoever_has_the_link(client, make_user, gers, agent, role):
    services.invite_account(
        acting_user=agent,
        email="camille@example.org",
        first_name="Camille",
        last_name="Roux",
        assignment=RoleAssignment.build(Role.READER, gers),
    )
    path = last_link_path("/comptes/invitation/")
    _sign_in(client, make_user, role, gers)
    assert client.get(path).status_code == 200
    assert client.get(reverse("accounts:invitation", args=["inconnu"])).status_code == 404
