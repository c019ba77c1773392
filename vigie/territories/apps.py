from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "vigie.territories"
    label = "territories"
    verbose_name = "Territoires"
