"""Accounts locked by django-axes after too many wrong passwords (AXES_FAILURE_LIMIT, per username)."""

from axes.models import AccessAttempt
from django.conf import settings

from vigie.accounts import perms
from vigie.accounts.models import User


def locked_usernames() -> set[str]:
    limit = settings.AXES_FAILURE_LIMIT
    return set(
        AccessAttempt.objects.filter(failures_since_start__gte=limit)
        .exclude(username=None)
        .values_list("username", flat=True)
    )


def is_locked(account: User) -> bool:
    return account.username in locked_usernames()


def locked_accounts_for(user) -> list[User]:
    """The locked accounts this user may unlock, by name."""
    accounts = User.objects.filter(username__in=locked_usernames()).select_related("department")
    return [account for account in accounts if perms.can_unlock_account(user, account)]
