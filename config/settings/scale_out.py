"""Production settings for the two-node test (tests/test_scale_out.py): config.settings.prod unchanged, except
that every uploaded plan document goes to a task worker and that static files are served from their source
folders (no collectstatic run). Never used outside that test."""

from config.settings.prod import *  # noqa: F403

# Every upload is analysed in the background by a `db_worker`, never during the upload request.
VIGIE_IMPORT_INLINE_MAX_BYTES = 0

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
