"""The rules of vigie.accounts.two_factor, branch by branch."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from vigie.accounts import two_factor
from vigie.accounts.enums import Role


def _user(role, **kwargs):
    if role in (Role.NONE, Role.ADMIN):
        kwargs["department"] = None
    return UserFactory(role=role, **kwargs)


PROCONNECT_2FA = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"
PROCONNECT_CHECKED_2FA = "https://proconnect.gouv.fr/assurance/consistency-checked-2fa"


@pytest.mark.parametrize(
    "acr, expected",
    [
        ("eidas1", False),
        ("eidas2", True),
        ("eidas3", True),
        ("EIDAS2", True),
        ("https://proconnect.gouv.fr/assurance/self-asserted", False),
        (PROCONNECT_2FA, True),
        (PROCONNECT_CHECKED_2FA, True),
        ("https://proconnect.gouv.fr/assurance/consistency-checked", False),
        ("urn:example:loa-mfa", True),
        ("mfa", False),
        ("eidas1 eidas2", True),
        (["eidas1", PROCONNECT_2FA], True),
        (["eidas1"], False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_acr_has_second_factor(acr, expected):
    assert two_factor.acr_has_second_factor(acr) is expected


@pytest.mark.parametrize(
    "session, expected",
    [
        ({}, "password"),
        ({"vigie_auth_method": "password"}, "password"),
        ({"vigie_auth_method": "proconnect"}, "proconnect"),
        ({"vigie_auth_method": "something-else"}, "password"),
        (None, "password"),
    ],
)
def test_auth_method_defaults_to_password(session, expected):
    assert two_factor.auth_method(session) == expected


# (role, superuser, session) → required, with VIGIE_TWO_FACTOR_REQUIRED on and no device.
RULE_CASES = [
    (Role.ADMIN, False, {}, True),
    (Role.PREFECTURE, False, {}, True),
    (Role.PREFECTURE, False, {"vigie_auth_method": "password"}, True),
    (Role.PILOT, False, {}, False),
    (Role.COORDINATOR, False, {}, False),
    (Role.PARTNER, False, {}, False),
    (Role.READER, False, {}, False),
    (Role.NONE, False, {}, False),
    (Role.READER, True, {}, True),  # a superuser is a national administrator
    # ProConnect: the acr decides, whatever the role.
    (Role.PREFECTURE, False, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas1"}, True),
    (Role.PILOT, False, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas1"}, True),
    (Role.NONE, False, {"vigie_auth_method": "proconnect"}, True),
    (Role.PREFECTURE, False, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas2"}, False),
    (Role.ADMIN, False, {"vigie_auth_method": "proconnect", "vigie_acr": PROCONNECT_2FA}, False),
    (Role.PILOT, False, {"vigie_auth_method": "proconnect", "vigie_acr": "x-mfa"}, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role, superuser, session, expected", RULE_CASES)
def test_required_by_the_rules(settings, role, superuser, session, expected):
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    user = _user(role, is_superuser=superuser)
    assert two_factor.second_factor_required(user, session) is expected
    assert two_factor.policy_requires_second_factor(user, session) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role, superuser, session, expected", RULE_CASES)
def test_nothing_required_when_the_setting_is_off(settings, role, superuser, session, expected):
    settings.VIGIE_TWO_FACTOR_REQUIRED = False
    user = _user(role, is_superuser=superuser)
    assert two_factor.second_factor_required(user, session) is False
    assert two_factor.role_requires_second_factor(user) is False


@pytest.mark.django_db
@pytest.mark.parametrize("setting", [True, False])
@pytest.mark.parametrize(
    "session", [{}, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas3"}]
)
def test_a_confirmed_device_is_always_required(settings, setting, session):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.VIGIE_TWO_FACTOR_REQUIRED = setting
    reader = UserFactory(role=Role.READER)
    TOTPDevice.objects.create(user=reader, name="téléphone", confirmed=False)
    assert two_factor.second_factor_required(reader, session) is False  # unconfirmed: not yet
    TOTPDevice.objects.create(user=reader, name="téléphone", confirmed=True)
    assert two_factor.second_factor_required(reader, session) is True


def test_anonymous_people_owe_nothing(settings):
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    assert two_factor.second_factor_required(AnonymousUser(), {}) is False
    assert two_factor.has_confirmed_device(AnonymousUser()) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, session, expected",
    [
        (Role.PILOT, {}, True),
        (Role.PREFECTURE, {}, False),
        # Not even after a ProConnect sign-in with a second factor: the next password sign-in would need it.
        (Role.PREFECTURE, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas2"}, False),
        (Role.PILOT, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas1"}, False),
        (Role.PILOT, {"vigie_auth_method": "proconnect", "vigie_acr": "eidas2"}, True),
    ],
)
def test_who_may_disable(settings, role, session, expected):
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    assert two_factor.may_disable(_user(role), session) is expected
