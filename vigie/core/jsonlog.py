"""Structured logs for production: one JSON object per line (stdlib only).

`JsonFormatter` writes time (UTC, ISO 8601), level, logger, message, the request id when the record was emitted
while serving a request, and, for gunicorn's access log, the method, path, status and duration of the request.
Paths are written without their query string: search forms carry names in it, and named data is never logged.

`RequestIdMiddleware` gives each request an id (the proxy's X-Request-ID when it is a plain token, else a new
one), makes it available to every record logged during the request and returns it in the X-Request-ID response
header, which is how gunicorn's access log line gets it.
"""

import contextlib
import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str | None] = ContextVar("vigie_request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Gunicorn's access log atoms (https://docs.gunicorn.org/en/stable/settings.html#access-log-format):
# m method, U path without query string, s status, D duration in microseconds.
_ACCESS_LOGGER = "gunicorn.access"


def current_request_id() -> str | None:
    return _request_id.get()


def strip_query(path: str) -> str:
    return str(path).split("?", 1)[0]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == _ACCESS_LOGGER and isinstance(record.args, dict):
            entry.update(self._access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            request_id = getattr(record, "request_id", None) or current_request_id()
            if request_id:
                entry["request_id"] = request_id
            status = getattr(record, "status_code", None)
            if isinstance(status, int):
                entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def _access_fields(atoms: dict) -> dict:
        fields = {"message": "requête"}
        method, path = atoms.get("m"), atoms.get("U")
        if method and method != "-":
            fields["method"] = method
        if path and path != "-":
            fields["path"] = strip_query(path)
        with contextlib.suppress(TypeError, ValueError):
            fields["status"] = int(atoms.get("s"))
        with contextlib.suppress(TypeError, ValueError):
            fields["duration_ms"] = round(int(atoms.get("D")) / 1000, 1)
        request_id = atoms.get("{x-request-id}o")
        if request_id and request_id != "-":
            fields["request_id"] = request_id
        return fields


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response
