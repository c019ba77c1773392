"""Structured logs: one JSON object per line, request ids, access lines without query strings."""

import json
import logging
import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from vigie.core.jsonlog import JsonFormatter, RequestIdMiddleware, current_request_id


def record(
    name="vigie.test", level=logging.INFO, msg="Import terminé : %s mesures", args=(12,), **extra
):
    rec = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def formatted(rec) -> dict:
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    return json.loads(line)


def test_one_json_object_per_line_with_time_level_logger_message():
    entry = formatted(record())
    assert entry["level"] == "INFO" and entry["logger"] == "vigie.test"
    assert entry["message"] == "Import terminé : 12 mesures"
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]
    assert "request_id" not in entry


def test_exception_stays_on_one_line():
    try:
        raise ValueError("ligne 1\nligne 2")
    except ValueError:
        rec = logging.LogRecord("vigie", logging.ERROR, __file__, 1, "échec", (), sys.exc_info())
    entry = formatted(rec)
    assert entry["level"] == "ERROR" and "ValueError: ligne 1\nligne 2" in entry["exception"]


def test_django_request_records_carry_their_status():
    entry = formatted(
        record(
            "django.request", logging.ERROR, "Internal Server Error: %s", ("/x/",), status_code=500
        )
    )
    assert entry["status"] == 500 and entry["message"] == "Internal Server Error: /x/"


def gunicorn_access_record(**atoms):
    base = {
        "h": "10.0.0.1",
        "m": "GET",
        "U": "/organisations/",
        "q": "q=Dupont+Jean",
        "r": "GET /organisations/?q=Dupont+Jean HTTP/1.1",
        "s": "200",
        "D": 12345,
        "f": "https://vigie.example.gouv.fr/recherche/?q=Dupont",
        "{x-request-id}o": "abc123def456",
    }
    base.update(atoms)
    return record("gunicorn.access", logging.INFO, "%(m)s %(U)s %(s)s", (base,))


def test_access_lines_have_method_path_status_duration_and_no_query_string():
    entry = formatted(gunicorn_access_record())
    assert entry["method"] == "GET" and entry["path"] == "/organisations/"
    assert entry["status"] == 200 and entry["duration_ms"] == 12.3
    assert entry["request_id"] == "abc123def456"
    line = JsonFormatter().format(gunicorn_access_record())
    assert "Dupont" not in line and "q=" not in line and "10.0.0.1" not in line


def test_access_line_strips_a_query_string_even_from_the_path_atom():
    entry = formatted(
        gunicorn_access_record(U="/recherche/?nom=Durand", **{"{x-request-id}o": "-"})
    )
    assert entry["path"] == "/recherche/" and "request_id" not in entry


def test_middleware_sets_the_request_id_for_records_and_response():
    seen = {}

    def view(request):
        seen["id"] = current_request_id()
        seen["entry"] = formatted(record())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert len(seen["id"]) == 32 and response["X-Request-ID"] == seen["id"]
    assert seen["entry"]["request_id"] == seen["id"]
    assert current_request_id() is None


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("req-0123456789abcdef", True), ("a b\n{}", False), ("x" * 200, False), ("court", False)],
)
def test_middleware_keeps_only_a_plain_incoming_request_id(incoming, kept):
    response = RequestIdMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/", HTTP_X_REQUEST_ID=incoming)
    )
    assert (response["X-Request-ID"] == incoming) is kept


def test_production_settings_log_json_lines_to_stdout():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('vigie.imports').warning('Import refusé : %s', 'fichier illisible')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "test-logging-a-long-random-value-for-this-test-only",
        "DJANGO_ALLOWED_HOSTS": "vigie.example.gouv.fr",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = result.stdout.splitlines()
    entry = json.loads(line)
    assert entry["logger"] == "vigie.imports" and entry["level"] == "WARNING"
    assert entry["message"] == "Import refusé : fichier illisible"


def _gunicorn_conf(monkeypatch, **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))


def test_gunicorn_conf_reads_the_environment_and_logs_json_to_stdout(monkeypatch):
    conf = _gunicorn_conf(
        monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="0.0.0.0:8080", GUNICORN_TIMEOUT="45"
    )
    assert (conf["workers"], conf["bind"], conf["timeout"]) == (3, ["0.0.0.0:8080"], 45)
    assert conf["wsgi_app"] == "config.wsgi:application" and conf["accesslog"] == "-"
    assert "%(q)s" not in conf["access_log_format"] and "%(r)s" not in conf["access_log_format"]
    assert "%(f)s" not in conf["access_log_format"]
    logging_conf = conf["logconfig_dict"]
    assert logging_conf["formatters"]["json"]["()"] == "vigie.core.jsonlog.JsonFormatter"
    access = logging_conf["loggers"]["gunicorn.access"]
    assert logging_conf["handlers"][access["handlers"][0]]["stream"] == "ext://sys.stdout"


@pytest.mark.parametrize("value", ["0", "-2", "deux"])
def test_gunicorn_conf_refuses_bad_worker_counts(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="GUNICORN_WORKERS"):
        _gunicorn_conf(monkeypatch, GUNICORN_WORKERS=value)
