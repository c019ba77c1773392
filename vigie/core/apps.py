from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigie.core"
    label = "core"
    verbose_name = "Socle"
