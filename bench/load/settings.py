"""Settings of the load benchmark only (bench/load/run.py): config.settings.prod unchanged, except for the URLconf,
which adds a bare view beside the application's URLs, and for what a loopback run over plain HTTP needs.
Never used to serve Vigie."""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
# Plain HTTP on loopback, no reverse proxy in front.
SECURE_SSL_REDIRECT = False
# Signed-in clients over plain HTTP: the cookies must not be marked Secure, or the client would not send them back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files collected by run.py for this run only (whitenoise's manifest, as in production).
STATIC_ROOT = BASE_DIR / "bench" / "results" / "load" / "static"  # noqa: F405
