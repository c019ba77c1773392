from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from vigie.accounts import (  # noqa: F401  (connect their sign-in receivers)
            proconnect,
            sessions,
            two_factor_middleware,
        )
