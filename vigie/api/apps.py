from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vigie.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from vigie.api import receivers  # noqa: F401  (connects the receivers)
