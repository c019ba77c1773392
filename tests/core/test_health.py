"""GET /sante/: 200 when the database and both storages work, 503 naming the failed part otherwise."""

import json

import pytest
from django.core.files.storage import storages
from django.db import DatabaseError
from django.urls import reverse

from vigie.core import health
from vigie.core.storage import private_storage

pytestmark = pytest.mark.django_db

URL = "/sante/"


def test_url():
    assert reverse("core:health") == URL


def test_healthy(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "storage": "ok"}


def test_never_cached_and_no_session(client):
    response = client.get(URL)
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_probe_files_are_deleted(client):
    client.get(URL)
    for storage in (storages["default"], private_storage()):
        assert storage.listdir("sante") == ([], []) or not storage.exists("sante")


def test_get_only(client):
    assert client.post(URL).status_code == 405


def _broken(*args, **kwargs):
    raise OSError("disque plein /srv/secret-path AKIASECRET")


@pytest.mark.parametrize(
    ("storage_name", "method"),
    [("default", "save"), ("private", "save"), ("private", "open"), ("default", "delete")],
)
def test_storage_failure_gives_503_naming_the_storage(client, monkeypatch, storage_name, method):
    storage = storages["default"] if storage_name == "default" else private_storage()
    monkeypatch.setattr(storage, method, _broken)
    response = client.get(URL)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"database": "ok", "storage": "erreur", "storage_failed": [storage_name]}
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_storage_returning_other_bytes_is_a_failure(client, monkeypatch):
    storage = private_storage()
    original_save = storage.save

    def save_other_bytes(name, content, **kwargs):
        from django.core.files.base import ContentFile

        return original_save(name, ContentFile(b"autre chose"), **kwargs)

    monkeypatch.setattr(storage, "save", save_other_bytes)
    response = client.get(URL)
    assert response.status_code == 503
    assert json.loads(response.content)["storage_failed"] == ["private"]


def test_database_failure_gives_503(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connexion refusée à postgres://vigie:motdepasse@db/vigie")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get(URL)
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "erreur", "storage": "ok"}
    assert b"motdepasse" not in response.content
