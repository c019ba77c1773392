"""Permission matrix of the two-factor pages: roles × (same / other department), with and without a device."""

import pytest
from django.urls import reverse

from tests.accounts.two_factor.helpers import code, enrol
from tests.conftest import ALL_ROLES
from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role

URL_NAMES_COVERED = {
    "accounts:security",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_backup_codes",
    "accounts:two_factor_regenerate",
    "accounts:two_factor_disable",
    "accounts:account_two_factor_reset",
}

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")

# The person's own pages, for a signed-in person without a device (the rule off, so that no role is gated):
# (method, name) → status. Anonymous people are sent to the sign-in page (302 to LOGIN) everywhere.
OWN_PAGES = [
    ("get", "accounts:security", 200),
    ("get", "accounts:two_factor_setup", 200),
    ("get", "accounts:two_factor_verify", 302),  # nothing to verify: to the enrolment page
    ("get", "accounts:two_factor_backup_codes", 200),
    ("post", "accounts:two_factor_regenerate", 302),  # "not enabled", back to the security page
    ("post", "accounts:two_factor_disable", 302),
]


@pytest.fixture
def rule_off(settings):
    settings.VIGIE_TWO_FACTOR_REQUIRED = False


@pytest.mark.django_db
@pytest.mark.parametrize("method, name, status", OWN_PAGES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_own_pages_without_device(client, make_user, rule_off, role, method, name, status):
    user = make_user(role, DepartmentFactory(code="32", name="Gers") if role != "admin" else None)
    if user.is_authenticated:
        client.force_login(user)
    response = getattr(client, method)(reverse(name))
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    else:
        assert response.status_code == status
    if role != "anonymous" and method == "post":
        assert client.get(reverse(name)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("method, name, status", OWN_PAGES)
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != "anonymous"])
def test_own_pages_with_a_device_before_verification(client, make_user, role, method, name, status):
    """Whatever the role, only the verification page answers until a code is given."""
    user = make_user(role, DepartmentFactory(code="32", name="Gers") if role != "admin" else None)
    enrol(user)
    client.force_login(user)
    response = getattr(client, method)(reverse(name))
    if name == "accounts:two_factor_verify":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith(VERIFY)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "prefecture"])
def test_required_roles_without_device_reach_only_the_enrolment(client, make_user, role):
    user = make_user(role, DepartmentFactory(code="32", name="Gers") if role != "admin" else None)
    client.force_login(user)
    for method, name, _ in OWN_PAGES:
        response = getattr(client, method)(reverse(name))
        if name == "accounts:two_factor_setup":
            assert response.status_code == 200
        elif name == "accounts:two_factor_verify":
            assert response.status_code == 302 and response.url.startswith(SETUP)
        else:
            assert response.status_code == 302 and response.url.startswith(SETUP), name


# The reset of a Gers pilot's second factor, by a user of the Gers (same) or of the Lot (other).
RESET_STATUS = {
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
@pytest.mark.parametrize("same_department", [True, False])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_reset(client, make_user, rule_off, role, same_department):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    account = UserFactory(username="claire", role=Role.PILOT, department=gers)
    enrol(account)
    user = make_user(role, None if role == "admin" else gers if same_department else lot)
    if user.is_authenticated:
        client.force_login(user)
    url = reverse("accounts:account_two_factor_reset", args=[account.pk])
    response = client.post(url)
    expected = RESET_STATUS[(role, same_department)]
    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith(LOGIN)
    assert TOTPDevice.objects.filter(user=account).exists() is (
        role == "anonymous" or expected != 302
    )
    if user.is_authenticated:
        assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_nobody_resets_their_own(client, make_user, rule_off):
    agent = make_user("prefecture", DepartmentFactory(code="32", name="Gers"))
    key, _ = enrol(agent)
    client.force_login(agent)
    assert client.post(VERIFY, {"code": code(key, steps=1)}).status_code == 302
    url = reverse("accounts:account_two_factor_reset", args=[agent.pk])
    assert client.post(url).status_code == 403
