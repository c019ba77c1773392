from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from vigie.accounts import (
            sessions,  # noqa: F401  (connects the sign-in receiver)
            two_factor_middleware,  # noqa: F401  (its sign-in receiver)
        )
