from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "vigie.casework"
    label = "casework"
    verbose_name = "Suivi individualisé (dossiers nominatifs)"

    def ready(self):
        from vigie.accounts.two_factor import register_second_factor_rule
        from vigie.casework import checks  # noqa: F401 (registers the deployment check)
        from vigie.casework.access import is_current_member

        # Every member of a nominative group gives a second factor (vigie.accounts.two_factor).
        register_second_factor_rule(is_current_member)
