"""What the API app does when something happens to an account (signals of vigie.accounts)."""

from django.dispatch import receiver

from vigie.accounts.signals import account_deactivated
from vigie.api import services


@receiver(account_deactivated, dispatch_uid="vigie.api.revoke_token_of_deactivated_account")
def revoke_token_of_deactivated_account(sender, account, acting_user, **kwargs):
    """A deactivated account's API token stops working at once (and does not come back on reactivation)."""
    services.revoke_api_token_of_account(
        account, acting_user=acting_user, reason="Jeton d'API supprimé : compte désactivé"
    )
