"""The database cache of production gets its table from `migrate`."""

import pytest


@pytest.mark.django_db
def test_migrate_creates_the_table_of_a_database_cache(settings):
    """Production counts API requests in a database cache: `migrate` must leave its table in place."""
    from django.db import connection

    from vigie.core.apps import create_cache_tables

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vigie_cache_check",
        }
    }
    assert "vigie_cache_check" not in connection.introspection.table_names()
    create_cache_tables(sender=None)
    assert "vigie_cache_check" in connection.introspection.table_names()
