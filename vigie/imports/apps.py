from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "vigie.imports"
    label = "imports"
    verbose_name = "Imports de plans"
