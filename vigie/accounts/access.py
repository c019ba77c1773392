"""Fetching an account for a user: 403 when the user manages no account, 404 when not one of theirs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.accounts import perms
from vigie.accounts.models import User


def require_lockout_manager(user) -> None:
    if not perms.can_manage_lockouts(user):
        raise PermissionDenied


def get_account_to_unlock(user, pk) -> User:
    require_lockout_manager(user)
    account = get_object_or_404(User.objects.select_related("department"), pk=pk)
    if not perms.can_unlock_account(user, account):
        # Another department's account does not exist for this user.
        raise Http404
    return account
