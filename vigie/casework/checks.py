"""Deployment check: production never runs on the development keys of the named cases."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def casework_keys_check(app_configs, **kwargs):
    errors = []
    if getattr(settings, "CASEWORK_DEV_KEY", None) in settings.VIGIE_CASEWORK_KEYS:
        errors.append(
            checks.Error(
                "VIGIE_CASEWORK_KEYS uses the development key: set your own Fernet keys.",
                id="casework.E001",
            )
        )
    if getattr(settings, "CASEWORK_DEV_SEARCH_KEY", None) == settings.VIGIE_CASEWORK_SEARCH_KEY:
        errors.append(
            checks.Error(
                "VIGIE_CASEWORK_SEARCH_KEY uses the development key: set your own.",
                id="casework.E002",
            )
        )
    return errors
