"""Who may do what with accounts. Small rules, each tested on its own."""

from vigie.accounts.enums import Role


def can_manage_lockouts(user) -> bool:
    """The national administrator and the prefecture agents (the department's account managers)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_national_admin or user.role == Role.PREFECTURE)
    )


def can_unlock_account(user, account) -> bool:
    """A locked account is unlocked by the national administrator, or by a prefecture agent of its department.

    An account without a department (a national administrator) is unlocked only by a national administrator.
    """
    if not can_manage_lockouts(user):
        return False
    if user.is_national_admin:
        return True
    return account.department_id is not None and account.department_id == user.department_id


def can_manage_some_accounts(user) -> bool:
    """Who manages accounts at all: the same people as for locked accounts."""
    return can_manage_lockouts(user)


def can_manage_accounts(user, department_id) -> bool:
    """The accounts of a department are managed by its prefecture agents and by the national administrator.

    `department_id` None: the national administrators and the accounts without a role, managed by the national
    administrator alone.
    """
    if not can_manage_some_accounts(user):
        return False
    if user.is_national_admin:
        return True
    return department_id is not None and department_id == user.department_id


def _is_administrator_account(account) -> bool:
    return account.role == Role.ADMIN or account.is_superuser


def can_manage_account(user, account) -> bool:
    """See the account, its history, re-send its invitation: the managers of its department."""
    if _is_administrator_account(account):
        return user.is_authenticated and user.is_national_admin
    return can_manage_accounts(user, account.department_id)


def can_claim_account(user, account) -> bool:
    """An account without a role (e.g. a first ProConnect sign-in) gets a role from any account manager.

    A department's manager finds it by its exact e-mail address only (`listing.account_without_role`).
    """
    return (
        account.role == Role.NONE
        and not account.is_superuser
        and account.is_active
        and can_manage_some_accounts(user)
    )


# Roles above a department: granted by a national administrator only.
NATIONAL_GRANTS = (Role.ADMIN, Role.REGIONAL)


def can_grant_role(user, role) -> bool:
    """Only a national administrator makes national administrators and regional prefectures."""
    if role in NATIONAL_GRANTS:
        return user.is_authenticated and user.is_national_admin
    return can_manage_some_accounts(user)


def can_change_account(user, account) -> bool:
    """Change the role or deactivate: an account manager of the account's department, never on their own account.

    Nobody removes their own management rights or locks themselves out: another manager does it.
    """
    return account.pk != user.pk and can_manage_account(user, account)
