"""Fetching an account for a user.

403 when the user manages no account (``for_unlock``), 404 when the account is not one of theirs (another
department's account does not exist for them).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.accounts import perms
from vigie.accounts.models import User


def require_lockout_manager(user) -> None:
    if not perms.can_manage_lockouts(user):
        raise PermissionDenied


def get_account_for_user(user, pk, *, for_unlock: bool = False) -> User:
    """An account the user may act on: with ``for_unlock``, 403 unless they manage lockouts, 404 unless they may
    unlock this one."""
    if not for_unlock:
        raise PermissionDenied
    require_lockout_manager(user)
    account = get_object_or_404(User.objects.select_related("department"), pk=pk)
    if not perms.can_unlock_account(user, account):
        # Another department's account does not exist for this user.
        raise Http404
    return account
