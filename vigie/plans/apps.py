from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "vigie.plans"
    label = "plans"
    verbose_name = "Plans"
