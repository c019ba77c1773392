"""Fetching an account for a user: 403 when the user manages no account, 404 when not one of theirs.

For a change (role, deactivation) of one's own account: 403 (another manager does it).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.accounts import perms
from vigie.accounts.models import User


def require_lockout_manager(user) -> None:
    if not perms.can_manage_lockouts(user):
        raise PermissionDenied


def require_account_manager(user) -> None:
    if not perms.can_manage_some_accounts(user):
        raise PermissionDenied


def account_queryset():
    return User.objects.select_related("department", "region", "organisation", "commune", "epci")


def get_account_for_user(user, pk, *, for_edit: bool = False, for_unlock: bool = False) -> User:
    """An account of the user's department (any account for a national administrator).

    403 when the user manages no account; 404 when the account is another department's (or a national
    administrator's, for a prefecture agent): it does not exist for this user. With `for_edit` (role,
    deactivation), 403 on the user's own account; with `for_unlock`, the rule of `perms.can_unlock_account`.
    """
    require_account_manager(user)
    account = get_object_or_404(account_queryset(), pk=pk)
    visible = (
        perms.can_unlock_account(user, account)
        if for_unlock
        else perms.can_manage_account(user, account)
    )
    if not visible:
        raise Http404
    if for_edit and not perms.can_change_account(user, account):
        raise PermissionDenied
    return account
