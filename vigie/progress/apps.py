from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "vigie.progress"
    label = "progress"
    verbose_name = "Avancement public et données ouvertes"
