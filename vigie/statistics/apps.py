from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "vigie.statistics"
    label = "statistics"
    verbose_name = "Statistiques"
