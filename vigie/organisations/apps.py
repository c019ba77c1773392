from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "vigie.organisations"
    label = "organisations"
    verbose_name = "Organisations"
