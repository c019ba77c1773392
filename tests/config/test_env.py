import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, parse_database_url


def test_sqlite_url_is_parsed():
    config = parse_database_url("sqlite:////tmp/vigie.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/vigie.sqlite3"


def test_postgres_url_is_parsed():
    config = parse_database_url("postgres://postgres@127.0.0.1:5432/vigie")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("vigie", "127.0.0.1", 5432)


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/vigie", "vigie.sqlite3", "", "postgres://postgres@127.0.0.1:5432"],
)
def test_unsupported_or_incomplete_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


def test_booleans_are_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "true")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", False)


def test_integers_are_strict(monkeypatch):
    monkeypatch.setenv("PORT_X", "25")
    assert env_int("PORT_X", 0) == 25
    monkeypatch.setenv("PORT_X", "vingt-cinq")
    with pytest.raises(ImproperlyConfigured):
        env_int("PORT_X", 0)
