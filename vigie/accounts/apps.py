from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from vigie.accounts import proconnect, sessions  # noqa: F401  (connect the sign-in receivers)
