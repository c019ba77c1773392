"""Gunicorn settings for production (`make serve`). Every value can be set by an environment variable.

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2 × cores + 1), GUNICORN_THREADS (1), GUNICORN_TIMEOUT
(60 s), GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_KEEPALIVE (5 s), GUNICORN_MAX_REQUESTS (1000),
GUNICORN_FORWARDED_ALLOW_IPS (127.0.0.1: the reverse proxy whose X-Forwarded-* headers are trusted),
GUNICORN_CONTROL_SOCKET (false: no gunicornc control socket), DJANGO_LOG_LEVEL (INFO for gunicorn's own
messages).

Logs: one JSON object per line on stdout (vigie.core.jsonlog.JsonFormatter), the access log included (method,
path without its query string, status, duration, request id).
"""

import multiprocessing
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from config.env import env_bool, env_int, env_str  # noqa: E402


def _positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} doit être un entier positif, reçu {value}.")
    return value


wsgi_app = "config.wsgi:application"
bind = [env_str("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _positive("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _positive("GUNICORN_THREADS", 1)
timeout = _positive("GUNICORN_TIMEOUT", 60)
graceful_timeout = _positive("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _positive("GUNICORN_KEEPALIVE", 5)
max_requests = _positive("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = env_str("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No runtime control socket (gunicornc) unless asked for: nothing written in the home directory.
control_socket_disable = not env_bool("GUNICORN_CONTROL_SOCKET", False)
# The app is loaded in each worker (not before the fork): database connections are never shared.
preload_app = False


def on_starting(server):
    """Import WeasyPrint once, in the master, before the workers are forked: they share it (copy-on-write) and
    the first PDF of a worker (a review, a plan) no longer pays its import (1.5 s on a quiet 2-core machine, 15 s
    under load), nor does a worker started again after ``max_requests``. Only modules are loaded (no font
    configuration, no thread, no database), which is safe to fork."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:  # a dependency; without it the PDFs fail, not the whole server
        server.log.warning("WeasyPrint could not be imported before the workers started.")


loglevel = env_str("DJANGO_LOG_LEVEL", "INFO").lower()
accesslog = "-"
errorlog = "-"
# Only used if the JSON formatter below is replaced: still no query string (%(U)s), no referer, no user agent.
access_log_format = "%(m)s %(U)s %(s)s %(D)s %({x-request-id}o)s"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "vigie.core.jsonlog.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
