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
