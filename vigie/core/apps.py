from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(sender, using="default", **kwargs):
    """`migrate` also creates the table of a database cache (production: API throttle counts), if missing."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "vigie.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self)
