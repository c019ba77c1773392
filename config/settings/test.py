from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The whole suite runs from one address within minutes: throttling is tested with low rates set by its tests.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
# Off for the suite; the two-factor tests (tests/accounts/two_factor/) turn it on.
VIGIE_TWO_FACTOR_REQUIRED = False
# Fixed keys of the named cases (vigie.casework): tests that rotate keys override them.
VIGIE_CASEWORK_KEYS = ["dGVzdC1vbmx5LWNhc2V3b3JrLWtleS0zMi1ieXRlcyE="]
VIGIE_CASEWORK_SEARCH_KEY = "test-only-casework-search-key-0123456789"
