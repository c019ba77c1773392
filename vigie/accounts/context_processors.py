"""Template context of the accounts app: the header links to account pages the person may use."""

from vigie.accounts.perms import can_manage_lockouts, can_manage_some_accounts


def account_links(request):
    user = getattr(request, "user", None)
    return {
        "can_manage_lockouts": user is not None and can_manage_lockouts(user),
        "can_manage_accounts": user is not None and can_manage_some_accounts(user),
    }
