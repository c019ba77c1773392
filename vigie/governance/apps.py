from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "vigie.governance"
    label = "governance"
    verbose_name = "Gouvernance"
