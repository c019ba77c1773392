from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "vigie.funding"
    label = "funding"
    verbose_name = "Financements"
