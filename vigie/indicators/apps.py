from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "vigie.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"
