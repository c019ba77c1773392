from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "vigie.overview"
    label = "overview"
    verbose_name = "Vue nationale et régionale"
