"""The account management rules, one by one."""

import pytest

from tests.factories import UserFactory
from vigie.accounts import perms
from vigie.accounts.enums import Role

ROLES = ["admin", "prefecture", "pilot", "coordinator", "partner", "reader", "anonymous"]


@pytest.mark.parametrize(
    ("role", "same", "other", "national"),
    [
        ("admin", True, True, True),
        ("prefecture", True, False, False),
        ("pilot", False, False, False),
        ("coordinator", False, False, False),
        ("partner", False, False, False),
        ("reader", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_can_manage_accounts(make_user, gers, lot, role, same, other, national):
    user = make_user(role, gers)
    assert perms.can_manage_accounts(user, gers.pk) is same
    assert perms.can_manage_accounts(user, lot.pk) is other
    assert perms.can_manage_accounts(user, None) is national


def test_a_deactivated_agent_manages_nothing(make_user, gers):
    assert not perms.can_manage_accounts(make_user("prefecture", gers, is_active=False), gers.pk)


def test_administrator_accounts_are_managed_by_national_administrators_only(
    make_user, gers, national
):
    # Even one wrongly left with a department.
    odd = UserFactory(username="odd", role=Role.READER, department=gers, is_superuser=True)
    for account in (national, odd):
        assert perms.can_manage_account(make_user("admin"), account)
        assert not perms.can_manage_account(make_user("prefecture", gers), account)


@pytest.mark.parametrize("role", ROLES)
def test_can_claim_account_without_role(make_user, gers, role):
    newcomer = UserFactory(username="pc", role=Role.NONE, department=None)
    assert perms.can_claim_account(make_user(role, gers), newcomer) is (
        role in ("admin", "prefecture")
    )
    assert not perms.can_claim_account(make_user("prefecture", gers), make_user("reader", gers))
    newcomer.is_active = False
    assert not perms.can_claim_account(make_user("admin"), newcomer)


@pytest.mark.parametrize(
    ("role", "grants_admin", "grants_reader"),
    [
        ("admin", True, True),
        ("prefecture", False, True),
        ("pilot", False, False),
        ("anonymous", False, False),
    ],
)
def test_can_grant_role(make_user, gers, role, grants_admin, grants_reader):
    user = make_user(role, gers)
    assert perms.can_grant_role(user, Role.ADMIN) is grants_admin
    assert perms.can_grant_role(user, Role.READER) is grants_reader


def test_can_change_account_never_ones_own(make_user, gers, agent, pilot):
    assert perms.can_change_account(agent, pilot)
    assert not perms.can_change_account(agent, agent)
    admin = make_user("admin")
    assert perms.can_change_account(admin, agent) and not perms.can_change_account(admin, admin)
