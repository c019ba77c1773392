from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py load_demo` (what `make demo` shows). Top layer: it calls the loaders of every app."""

    name = "vigie.demo"
    label = "demo"
    verbose_name = "Démonstration"
